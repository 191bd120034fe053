export class HealthResponse {
  /** `ok` when every check passed. */
  status: 'ok' | 'degraded' | 'error' | 'shutting_down';
  /** Each check by name, with its status (`up` or `down`) and any message. */
  details: Record<string, { status: string; [key: string]: unknown }>;
}
