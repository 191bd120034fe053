// Names and labels of the Kubernetes objects of one service, derived only from its id so
// that every Kiln process (and a restarted one) finds the objects another one created.
import { createHash } from 'node:crypto';
import { LABEL_MANAGED_BY, MANAGED_BY_KILN } from '../run-identity';

export const LABEL_SERVICE_ID = 'kiln.dev/service-id';
/** On pods: the revision they run, which tells a rollout's old replicas from its new ones. */
export const LABEL_SERVICE_REVISION = 'kiln.dev/service-revision';
/** On the Deployment: the revision its pod template holds, so a redeploy of it is a no-op. */
export const ANNOTATION_REVISION = LABEL_SERVICE_REVISION;

/** Every object of every service, and nothing of a batch run. */
export const SERVICE_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY_KILN},${LABEL_SERVICE_ID}`;

/** Both a Service's name (a DNS-1035 label: a letter first) and a Deployment's. */
const NAME_MAX = 63;

/**
 * `kiln-svc-<service id>` when that is a valid name; otherwise a slug of the id plus a
 * hash of it, so two ids that slug alike still get different names.
 */
export function serviceObjectName(serviceId: string): string {
  const plain = `kiln-svc-${serviceId}`;
  if (plain.length <= NAME_MAX && /^[a-z0-9-]+$/.test(serviceId) && !plain.endsWith('-')) {
    return plain;
  }
  const hash = createHash('sha256').update(serviceId).digest('hex').slice(0, 10);
  const room = NAME_MAX - 'kiln-svc-'.length - hash.length - 1;
  const slug = serviceId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, room)
    .replace(/-+$/, '');
  return slug ? `kiln-svc-${slug}-${hash}` : `kiln-svc-${hash}`;
}

/** A service handle's id is `<namespace>/<object name>`. */
export function serviceHandleIdOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function parseServiceHandleId(id: string): { namespace: string; name: string } {
  const [namespace, name, ...rest] = id.split('/');
  if (!namespace || !name || rest.length > 0) {
    throw new Error(`not a Kubernetes service handle id: ${id}`);
  }
  return { namespace, name };
}
