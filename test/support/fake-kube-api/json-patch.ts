// Applies an RFC 6902 JSON Patch the way the API server does, for the operations a
// client sends to change fields (add, replace, remove, test); a bad path throws.
import { KubeObject } from './wire';

interface Operation {
  op: string;
  path: string;
  value?: unknown;
}

export function applyJsonPatch(object: KubeObject, operations: Operation[]): KubeObject {
  if (!Array.isArray(operations)) throw new Error('a JSON Patch is an array of operations');
  const next = structuredClone(object);
  for (const operation of operations) apply(next, operation);
  return next;
}

function apply(root: KubeObject, { op, path, value }: Operation): void {
  const segments = path.split('/').slice(1).map(unescape);
  const last = segments.pop();
  if (last === undefined) throw new Error(`the whole object cannot be patched: ${path}`);
  let parent: any = root; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const segment of segments) {
    parent = parent?.[segment];
    if (typeof parent !== 'object' || parent === null) throw new Error(`no such path: ${path}`);
  }
  if (op === 'test') {
    if (JSON.stringify(parent[last]) !== JSON.stringify(value))
      throw new Error(`test failed: ${path}`);
  } else if (op === 'remove' || op === 'replace') {
    if (!(last in parent)) throw new Error(`no such path: ${path}`);
    if (op === 'remove') delete parent[last];
    else parent[last] = structuredClone(value);
  } else if (op === 'add') {
    parent[last] = structuredClone(value);
  } else {
    throw new Error(`unsupported operation ${op}`);
  }
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
