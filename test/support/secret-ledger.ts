// Remembers every secret a test has seen (passwords it chose, tokens Kiln issued) and
// every response body, so a test can prove no secret comes back where it should not.
// Generated clients report to it through an openapi-fetch middleware; raw requests call
// `record` themselves.
import type { Middleware } from 'openapi-fetch';

export interface RecordedResponse {
  index: number;
  method: string;
  url: string;
  text: string;
}

export class SecretLedger {
  /** Every response body, in order. */
  readonly responses: RecordedResponse[] = [];
  /** Secrets, with the index of the response that issued each (null: chosen by the test). */
  readonly secrets = new Map<string, number | null>();

  /** Remembers a secret the test chose itself, such as a password, and answers it. */
  remember(secret: string): string {
    if (!this.secrets.has(secret)) this.secrets.set(secret, null);
    return secret;
  }

  /** Records one response's body, and the tokens it issued. */
  record(method: string, url: string, text: string): void {
    const index = this.responses.length;
    this.responses.push({ index, method, url, text });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return; // not JSON: it issued nothing
    }
    if (typeof body !== 'object' || body === null) return;
    for (const key of ['accessToken', 'refreshToken', 'token'] as const) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string' && !this.secrets.has(value)) this.secrets.set(value, index);
    }
  }

  /** Records what a generated client receives; install with `client.use(...)`. */
  middleware(): Middleware {
    return {
      onResponse: async ({ request, response }) => {
        this.record(request.method, request.url, await response.clone().text());
      },
    };
  }

  /** Responses other than the one that issued `secret` that contain it. */
  leaksOf(secret: string): RecordedResponse[] {
    const issuedAt = this.secrets.get(secret);
    return this.responses.filter(
      (response) => response.index !== issuedAt && response.text.includes(secret),
    );
  }
}
