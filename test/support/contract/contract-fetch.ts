// Wraps the global fetch of a test file so that every answer of a Kiln server is checked
// against the committed OpenAPI spec; the checks run on a clone, so tests read bodies
// and streams as before. Violations are collected and reported by `takeViolations`.
import { OpenApiContract } from './openapi-contract';
import { isKilnServer } from './kiln-servers';

export class ContractRecorder {
  private readonly pending = new Set<Promise<void>>();
  private violations: string[] = [];

  constructor(private readonly contract: OpenApiContract) {}

  /** Replaces globalThis.fetch with a checking wrapper; returns a function that restores it. */
  install(): () => void {
    const original = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const response = await original(input, init);
      this.track(this.check(targetOf(input, init), response));
      return response;
    };
    return () => {
      globalThis.fetch = original;
    };
  }

  /** Waits for the checks in flight and returns (and forgets) what they found. */
  async takeViolations(): Promise<string[]> {
    await Promise.all([...this.pending]);
    const found = this.violations;
    this.violations = [];
    return found;
  }

  private track(check: Promise<void>): void {
    this.pending.add(check);
    void check.finally(() => this.pending.delete(check));
  }

  private async check(target: Target, response: Response): Promise<void> {
    if (!isKilnServer(target.url) || target.method === 'HEAD') return;
    const observed = {
      method: target.method,
      path: target.url.pathname,
      status: response.status,
      contentType: response.headers.get('content-type'),
    };
    let body: string | undefined;
    try {
      // Only JSON bodies are read; streams (SSE, downloads) are never teed open.
      if (this.contract.wantsBody(observed)) body = await response.clone().text();
    } catch {
      return; // the test aborted the response; there is nothing left to check
    }
    this.violations.push(...this.contract.violations({ ...observed, body }));
  }
}

interface Target {
  method: string;
  url: URL;
}

function targetOf(input: string | URL | Request, init?: RequestInit): Target {
  const request = input instanceof Request ? input : undefined;
  return {
    method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
    url: new URL(request?.url ?? (input instanceof URL ? input.href : input)),
  };
}
