// Names and labels of the Kubernetes objects of one attempt, derived only from the task
// id and attempt so that a repeated launch finds the objects of the first one.
import { createHash } from 'node:crypto';

export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_KILN = 'kiln';
export const LABEL_TASK_ID = 'kiln.dev/task-id';
export const LABEL_ATTEMPT = 'kiln.dev/attempt';
export const LABEL_QUEUE = 'kiln.dev/queue';
/** On pods: the Job they belong to (the job controller's own labels vary by version). */
export const LABEL_JOB_NAME = 'kiln.dev/job-name';

/** Every object Kiln creates carries it; watches and lists select on it. */
export const MANAGED_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY_KILN}`;

const DNS_LABEL_MAX = 63;

/**
 * `kiln-<task id>-<attempt>` when that is a valid DNS label; otherwise a slug of the id
 * plus a hash of it, so two ids that slug alike still get different names.
 */
export function jobNameFor(taskId: string, attempt: number): string {
  const suffix = `-${attempt}`;
  const plain = `kiln-${taskId}${suffix}`;
  if (plain.length <= DNS_LABEL_MAX && /^[a-z0-9-]+$/.test(taskId)) return plain;
  const hash = createHash('sha256').update(taskId).digest('hex').slice(0, 10);
  const room = DNS_LABEL_MAX - 'kiln-'.length - hash.length - 1 - suffix.length;
  const slug = slugOf(taskId).slice(0, room).replace(/-+$/, '');
  return slug ? `kiln-${slug}-${hash}${suffix}` : `kiln-${hash}${suffix}`;
}

/** A label value (≤ 63 chars of [A-Za-z0-9_.-], alphanumeric at both ends) for any text. */
export function labelValueOf(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, DNS_LABEL_MAX)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A handle's id is `<namespace>/<job name>`. */
export function handleIdOf(namespace: string, jobName: string): string {
  return `${namespace}/${jobName}`;
}

export function parseHandleId(id: string): { namespace: string; jobName: string } {
  const [namespace, jobName, ...rest] = id.split('/');
  if (!namespace || !jobName || rest.length > 0) {
    throw new Error(`not a Kubernetes run handle id: ${id}`);
  }
  return { namespace, jobName };
}
