// A small HTTP client for the auth scenarios that remembers every secret it has seen
// and every response body, so a test can prove no secret comes back where it should not.
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Recorded {
  index: number;
  method: string;
  path: string;
  text: string;
}

export class ApiClient {
  /** Every response body, in order. */
  readonly responses: Recorded[] = [];
  /** Secrets (passwords, tokens) with the index of the response that created them, if any. */
  readonly secrets = new Map<string, number | null>();

  constructor(private readonly baseUrl: string) {}

  /** Remembers a secret the test chose itself, such as a password. */
  rememberSecret(secret: string): string {
    if (!this.secrets.has(secret)) this.secrets.set(secret, null);
    return secret;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const index = this.responses.length;
    this.responses.push({ index, method, path, text });
    const body = text && isJson(response) ? (JSON.parse(text) as T) : (text as T);
    this.rememberIssued(body, index);
    return { status: response.status, headers: response.headers, body, text };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('POST', path, { body, token });
  }

  patch<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('PATCH', path, { body, token });
  }

  delete<T = any>(path: string, token?: string) {
    return this.request<T>('DELETE', path, { token });
  }

  /** Responses other than the one that issued `secret` that contain it. */
  leaksOf(secret: string): Recorded[] {
    const issuedAt = this.secrets.get(secret);
    return this.responses.filter(
      (response) => response.index !== issuedAt && response.text.includes(secret),
    );
  }

  private rememberIssued(body: unknown, index: number): void {
    if (typeof body !== 'object' || body === null) return;
    for (const key of ['accessToken', 'refreshToken', 'token'] as const) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string' && !this.secrets.has(value)) this.secrets.set(value, index);
    }
  }
}

function isJson(response: Response): boolean {
  return /json/.test(response.headers.get('content-type') ?? '');
}
