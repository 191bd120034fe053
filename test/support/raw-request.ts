// A request the committed spec forbids (a body with unknown fields or wrong types, a
// forged header), sent around the generated client on purpose: its types refuse to
// build such a request, and the test is about how Kiln refuses it.
export interface RawResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON answer (a problem, mostly), or the text when it is not JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever came back
  text: string;
}

export interface RawRequest {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `path` is under /api/v1, e.g. `/tasks`. */
export async function sendRaw(
  baseUrl: string,
  method: string,
  path: string,
  request: RawRequest = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    body: json && text ? JSON.parse(text) : text,
    text,
  };
}
