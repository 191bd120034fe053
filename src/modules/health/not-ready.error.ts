import type { HealthCheckResult } from '@nestjs/terminus';
import { DomainError } from '../../common/errors/domain-error';

/** A probe failed: answered as 503 problem+json naming each failing check. */
export class NotReadyError extends DomainError {
  readonly status = 503;
  readonly slug = 'not-ready';

  constructor(result?: HealthCheckResult) {
    super(`Failing checks: ${describeFailures(result)}`);
  }
}

function describeFailures(result?: HealthCheckResult): string {
  const failures = Object.entries(result?.error ?? {}).map(([name, check]) => {
    const message = typeof check?.message === 'string' ? ` (${check.message})` : '';
    return `${name}${message}`;
  });
  return failures.length > 0 ? failures.join(', ') : 'unknown';
}
