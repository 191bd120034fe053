// Shapes of the Kubernetes JSON wire format the fake API server answers with.

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown[];
    [key: string]: unknown;
  };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  [key: string]: unknown;
}

export type Collection = 'jobs' | 'pods' | 'secrets' | 'deployments' | 'services';

export const KINDS: Record<Collection, { kind: string; apiVersion: string; group: string }> = {
  jobs: { kind: 'Job', apiVersion: 'batch/v1', group: 'batch' },
  pods: { kind: 'Pod', apiVersion: 'v1', group: '' },
  secrets: { kind: 'Secret', apiVersion: 'v1', group: '' },
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1', group: 'apps' },
  services: { kind: 'Service', apiVersion: 'v1', group: '' },
};

export function statusObject(code: number, reason: string, message: string, details?: object) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** `a=b,c` style selectors: equality and existence, which is all Kiln sends. */
export function matchesSelector(labels: Record<string, string> = {}, selector?: string | null) {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return value === undefined ? key in labels : labels[key] === value;
  });
}

/** A timestamp as the API server writes one. */
export function now(): string {
  return new Date().toISOString();
}

export function goneStatus() {
  return statusObject(410, 'Expired', 'too old resource version');
}

export function notFound(collection: Collection, name: string) {
  const { group, kind } = KINDS[collection];
  return statusObject(404, 'NotFound', `${collection} "${name}" not found`, { name, group, kind });
}
