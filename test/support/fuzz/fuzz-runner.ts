// Sends fuzz requests and judges the answers: never a 5xx, every error problem+json,
// always an answer. Streams are closed as soon as their headers arrive.
import { FuzzRequest } from './fuzz-cases';

// Long enough for a loaded machine; a request still unanswered by then counts as a hang.
const ANSWER_TIMEOUT_MS = 60_000;

export interface FuzzFinding {
  label: string;
  request: string;
  problem: string;
}

export async function fuzz(
  baseUrl: string,
  requests: FuzzRequest[],
  token: string | undefined,
): Promise<FuzzFinding[]> {
  const findings: FuzzFinding[] = [];
  for (const request of requests) {
    const problem = await judge(baseUrl, request, token);
    if (problem) {
      findings.push({
        label: request.label,
        request: `${request.method} ${request.url.slice(0, 120)}`,
        problem,
      });
    }
  }
  return findings;
}

async function judge(
  baseUrl: string,
  request: FuzzRequest,
  token: string | undefined,
): Promise<string | undefined> {
  const headers = { ...request.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    const response = await fetch(baseUrl + request.url, {
      method: request.method,
      headers,
      body: request.body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const type = response.headers.get('content-type') ?? '';
    if (response.status < 400 && !type.includes('json')) await response.body?.cancel();
    else await response.arrayBuffer();
    if (response.status >= 500) return `answered ${response.status}`;
    if (response.status >= 400 && !type.startsWith('application/problem+json')) {
      return `answered ${response.status} as ${type || 'no content type'}, not problem+json`;
    }
    return undefined;
  } catch (error) {
    const { message, cause } = error as Error & { cause?: Error };
    return `no answer: ${message}${cause ? ` (${cause.message})` : ''}`;
  }
}
