// The Kubernetes API calls the executor makes, and the RBAC grants of a Role, in one
// `group/resource:verb` form so the two can be compared.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXECUTOR_DIR, Tree, Manifest } from './deploy-files';

/** The API group of each client the executor holds (src/modules/runtimes/kubernetes/cluster/kube-clients.ts). */
export const CLIENT_GROUPS: Record<string, string> = { apps: 'apps', batch: 'batch', core: '' };

/** RBAC verb of each generated client method prefix. */
export const METHOD_VERBS: Record<string, string> = {
  create: 'create',
  read: 'get',
  list: 'list',
  delete: 'delete',
  patch: 'patch',
  replace: 'update',
};

export function executorSources(): string[] {
  return readdirSync(EXECUTOR_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => readFileSync(join(EXECUTOR_DIR, file), 'utf8'));
}

/** `createNamespacedJob` → jobs, `readNamespacedPodLog` → pods/log, `…JobStatus` → jobs/status. */
export function resourceOf(kind: string): string {
  const match = /^(Job|Pod|Secret|ConfigMap|Event|Deployment|Service)(Log|Status|Scale)?$/.exec(
    kind,
  );
  if (!match) throw new Error(`no RBAC resource known for Namespaced${kind}: extend resourceOf`);
  const plural = `${match[1].toLowerCase()}s`;
  return match[2] ? `${plural}/${match[2].toLowerCase()}` : plural;
}

/**
 * `group/resource:verb` for every Kubernetes API call in the executor's code: the typed
 * clients' `<verb>Namespaced<Kind>` methods, the Log client (pod logs) and the Watch
 * client's collection paths. A call shape this does not recognise fails the test rather
 * than going unnoticed.
 */
export function executorCalls(sources: string[] = executorSources()): string[] {
  const calls = new Set<string>();
  for (const source of sources) {
    const clientCalls = [...source.matchAll(/\b(\w+)\.(\w+?)Namespaced(\w+)\(/g)];
    const anyCalls = [...source.matchAll(/Namespaced\w*\(/g)];
    if (clientCalls.length !== anyCalls.length) throw new Error('unrecognised Namespaced call');
    for (const [call, client, method, kind] of clientCalls) {
      const group = CLIENT_GROUPS[client];
      const verb = METHOD_VERBS[method];
      if (group === undefined || verb === undefined) throw new Error(`unrecognised ${call}`);
      calls.add(`${group}/${resourceOf(kind)}:${verb}`);
    }
    if (/\blog\.log\(/.test(source)) calls.add('/pods/log:get');
    const watchPaths = source.matchAll(
      /\/(?:apis\/([a-z0-9.]+)|api)\/v\w+\/namespaces\/\$\{\w+\}\/([a-z]+)`/g,
    );
    for (const [, group, resource] of watchPaths) calls.add(`${group ?? ''}/${resource}:watch`);
  }
  return [...calls].sort();
}

/** `group/resource:verb` for each permission a Role grants. */
export function grantsOf(role: Manifest): string[] {
  return (role.rules as Tree[])
    .flatMap((rule) =>
      (rule.apiGroups as string[]).flatMap((group) =>
        (rule.resources as string[]).flatMap((resource) =>
          (rule.verbs as string[]).map((verb) => `${group}/${resource}:${verb}`),
        ),
      ),
    )
    .sort();
}
