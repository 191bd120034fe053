// Questions the deployment checks ask of the manifests and of the app they deploy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envBindings } from '../../../src/config/env.decorator';
import { KilnConfig } from '../../../src/config/kiln.config';
import { ROOT, Tree, Manifest, LoadedManifest } from './deploy-files';

export function ofKind(manifests: LoadedManifest[], kind: string): Manifest[] {
  return manifests.filter((manifest) => manifest.doc.kind === kind).map(({ doc }) => doc);
}

export function named(manifests: LoadedManifest[], kind: string, name: string): Manifest {
  const found = ofKind(manifests, kind).find((doc) => doc.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}

export function podSpecOf(deployment: Manifest): Tree {
  return deployment.spec.template.spec;
}

export function kilnContainerOf(deployment: Manifest): Tree {
  return podSpecOf(deployment).containers[0];
}

export function allContainersOf(deployment: Manifest): Tree[] {
  const spec = podSpecOf(deployment);
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** The container's environment as Kiln sees it: ConfigMaps first, then `env` entries. */
export function environmentOf(
  container: Tree,
  manifests: LoadedManifest[],
): Record<string, string> {
  const fromConfigMaps = (container.envFrom ?? [])
    .filter((source: Tree) => source.configMapRef)
    .map((source: Tree) => named(manifests, 'ConfigMap', source.configMapRef.name).data);
  const direct = Object.fromEntries(
    (container.env ?? [])
      .filter((entry: Tree) => entry.value !== undefined)
      .map((entry: Tree) => [entry.name, entry.value]),
  );
  return Object.assign({}, ...fromConfigMaps, direct) as Record<string, string>;
}

export function resolvePort(port: number | string, container: Tree): number {
  if (typeof port === 'number') return port;
  const match = (container.ports ?? []).find((candidate: Tree) => candidate.name === port);
  if (!match) throw new Error(`container ${container.name} has no port named ${port}`);
  return match.containerPort;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** The node flags `npm start` runs Kiln with: the words between `node` and `dist/main.js`. */
export function startScriptNodeFlags(): string[] {
  const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Tree;
  const match = /\bnode\s+(.*?)\s*dist\/main\.js/.exec(packageJson.scripts.start as string);
  return match![1].split(/\s+/).filter(Boolean);
}

/** V8's old-space budget (--max-old-space-size) in MiB, from `npm start`'s flags. */
export function heapBudgetMiB(): number {
  const flag = startScriptNodeFlags().find((each) => each.startsWith('--max-old-space-size='));
  return Number(flag?.split('=')[1]);
}

/** A Kubernetes memory quantity in Mi or Gi, in MiB. */
export function mebibytes(quantity: string): number {
  const [, amount, unit] = /^(\d+)(Mi|Gi)$/.exec(quantity)!;
  return Number(amount) * (unit === 'Gi' ? 1024 : 1);
}

/** Every environment variable Kiln's config reads. */
export function kilnVariables(): Set<string> {
  return new Set(envBindings(KilnConfig).map((binding) => binding.variable));
}

export function shutdownGraceSeconds(environment: Record<string, string>): number {
  const graceMs = environment.KILN_SHUTDOWN_GRACE_MS;
  if (graceMs === undefined) throw new Error('KILN_SHUTDOWN_GRACE_MS is not set');
  return Number(graceMs) / 1000;
}

export function preStopPauseSeconds(container: Tree): number {
  const command: string[] | undefined = container.lifecycle?.preStop?.exec?.command;
  if (command?.[0] !== 'sleep') throw new Error(`${container.name}: preStop is not a sleep`);
  return Number(command[1]);
}
