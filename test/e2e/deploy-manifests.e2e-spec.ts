// The deployment files under docker/: every Kubernetes manifest is valid against the
// official schema with no unknown field, and the manifests, the compose file and the
// Dockerfile agree with the app's routes, config and executor.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { parse, parseAllDocuments } from 'yaml';
import { envBindings } from '../../src/config/env.decorator';
import { KilnConfig } from '../../src/config/kiln.config';
import { startTestApp, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const DOCKER_DIR = join(ROOT, 'docker');
const K8S_DIR = join(DOCKER_DIR, 'k8s');
const EXECUTOR_DIR = join(ROOT, 'src', 'modules', 'runtimes', 'kubernetes');
const KUSTOMIZATION = 'kustomization.yaml';
/** Documents the operator fills in and applies by hand; kustomize must not ship them. */
const EXAMPLE_FILES = ['secret.example.yaml'];

// Parsed YAML has no static shape; the schema checks below are what type it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Tree = Record<string, any>;

/** A kubernetes-models class; each takes its own kind's data, hence the loose parameter. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ModelClass = new (data: any) => { validate(): void };

interface Manifest extends Tree {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
}

interface LoadedManifest {
  file: string;
  doc: Manifest;
}

/** The kinds Kiln deploys, each with its kubernetes-models class (a schema validator). */
const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

// ---- loading ------------------------------------------------------------------------

function manifestFiles(): string[] {
  return readdirSync(K8S_DIR)
    .filter((file) => /\.ya?ml$/.test(file) && file !== KUSTOMIZATION)
    .sort();
}

function loadManifests(): LoadedManifest[] {
  return manifestFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0].message}`);
      return { file, doc: document.toJS() as Manifest };
    }),
  );
}

function readYamlFile(path: string): Tree {
  // Merge keys (`<<: *anchor`) are how compose.yaml shares one definition of Kiln.
  return parse(readFileSync(path, 'utf8'), { merge: true }) as Tree;
}

function modelOf(doc: Manifest): ModelClass {
  const model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!model) throw new Error(`unknown kind ${doc.apiVersion} ${doc.kind}: add it to MODELS`);
  return model;
}

// ---- strict fields ------------------------------------------------------------------

interface Attribute {
  baseName: string;
  type: string;
}

type TypeMap = Record<string, Attribute[]>;

/** Leaf types whose values kubernetes-models checks; they have no fields to walk. */
const LEAF_TYPES = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

/**
 * Every object type of the Kubernetes API with its fields, from @kubernetes/client-node's
 * models (generated from the same published OpenAPI spec). The package is ES modules,
 * which Jest's CommonJS loader cannot read, so a plain Node process dumps the map.
 */
function loadTypeMap(): TypeMap {
  const script = `
    const k8s = require('@kubernetes/client-node');
    const types = {};
    for (const [name, model] of Object.entries(k8s)) {
      if (typeof model?.getAttributeTypeMap !== 'function') continue;
      types[name] = model.getAttributeTypeMap().map(({ baseName, type }) => ({ baseName, type }));
    }
    process.stdout.write(JSON.stringify(types));`;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString('utf8')) as TypeMap;
}

/** The client-node model of a top-level kind, e.g. apps/v1 Deployment → V1Deployment. */
function rootTypeOf(doc: Manifest): string {
  const version = doc.apiVersion.split('/').pop()!;
  return `${version[0].toUpperCase()}${version.slice(1)}${doc.kind}`;
}

/**
 * Paths of fields the schema does not define. kubernetes-models accepts unknown fields,
 * and the API server drops them (or, with strict field validation, rejects the object),
 * so a misspelled `readinesProbe` would otherwise deploy a pod with no readiness probe.
 */
function unknownFields(value: unknown, type: string, path: string, types: TypeMap): string[] {
  if (value === null || value === undefined || LEAF_TYPES.has(type)) return [];
  const element = /^Array<(.+)>$/.exec(type)?.[1];
  if (element !== undefined) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, index) => unknownFields(item, element, `${path}[${index}]`, types));
  }
  const mapValue = /^\{ \[key: string\]: (.+); \}$/.exec(type)?.[1];
  if (mapValue !== undefined) {
    if (!isTree(value)) return [];
    return Object.entries(value).flatMap(([key, item]) =>
      unknownFields(item, mapValue, `${path}.${key}`, types),
    );
  }
  const attributes = types[type];
  if (!attributes) throw new Error(`${path}: no schema for type ${type}`);
  if (!isTree(value)) return [];
  const fieldTypes = new Map(attributes.map((attribute) => [attribute.baseName, attribute.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const fieldType = fieldTypes.get(key);
    const fieldPath = path ? `${path}.${key}` : key;
    return fieldType === undefined ? [fieldPath] : unknownFields(item, fieldType, fieldPath, types);
  });
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- queries over the manifests -----------------------------------------------------

function ofKind(manifests: LoadedManifest[], kind: string): Manifest[] {
  return manifests.filter((manifest) => manifest.doc.kind === kind).map(({ doc }) => doc);
}

function named(manifests: LoadedManifest[], kind: string, name: string): Manifest {
  const found = ofKind(manifests, kind).find((doc) => doc.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}

function podSpecOf(deployment: Manifest): Tree {
  return deployment.spec.template.spec;
}

function kilnContainerOf(deployment: Manifest): Tree {
  return podSpecOf(deployment).containers[0];
}

function allContainersOf(deployment: Manifest): Tree[] {
  const spec = podSpecOf(deployment);
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** The container's environment as Kiln sees it: ConfigMaps first, then `env` entries. */
function environmentOf(container: Tree, manifests: LoadedManifest[]): Record<string, string> {
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

function resolvePort(port: number | string, container: Tree): number {
  if (typeof port === 'number') return port;
  const match = (container.ports ?? []).find((candidate: Tree) => candidate.name === port);
  if (!match) throw new Error(`container ${container.name} has no port named ${port}`);
  return match.containerPort;
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** The node flags `npm start` runs Kiln with: the words between `node` and `dist/main.js`. */
function startScriptNodeFlags(): string[] {
  const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Tree;
  const match = /\bnode\s+(.*?)\s*dist\/main\.js/.exec(packageJson.scripts.start as string);
  return match![1].split(/\s+/).filter(Boolean);
}

/** V8's old-space budget (--max-old-space-size) in MiB, from `npm start`'s flags. */
function heapBudgetMiB(): number {
  const flag = startScriptNodeFlags().find((each) => each.startsWith('--max-old-space-size='));
  return Number(flag?.split('=')[1]);
}

/** A Kubernetes memory quantity in Mi or Gi, in MiB. */
function mebibytes(quantity: string): number {
  const [, amount, unit] = /^(\d+)(Mi|Gi)$/.exec(quantity)!;
  return Number(amount) * (unit === 'Gi' ? 1024 : 1);
}

/** Every environment variable Kiln's config reads. */
function kilnVariables(): Set<string> {
  return new Set(envBindings(KilnConfig).map((binding) => binding.variable));
}

function shutdownGraceSeconds(environment: Record<string, string>): number {
  const graceMs = environment.KILN_SHUTDOWN_GRACE_MS;
  if (graceMs === undefined) throw new Error('KILN_SHUTDOWN_GRACE_MS is not set');
  return Number(graceMs) / 1000;
}

function preStopPauseSeconds(container: Tree): number {
  const command: string[] | undefined = container.lifecycle?.preStop?.exec?.command;
  if (command?.[0] !== 'sleep') throw new Error(`${container.name}: preStop is not a sleep`);
  return Number(command[1]);
}

// ---- RBAC ---------------------------------------------------------------------------

/** The API group of each client the executor holds (src/modules/runtimes/kubernetes/cluster/kube-clients.ts). */
const CLIENT_GROUPS: Record<string, string> = { batch: 'batch', core: '' };

/** RBAC verb of each generated client method prefix. */
const METHOD_VERBS: Record<string, string> = {
  create: 'create',
  read: 'get',
  list: 'list',
  delete: 'delete',
  patch: 'patch',
  replace: 'update',
};

function executorSources(): string[] {
  return readdirSync(EXECUTOR_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => readFileSync(join(EXECUTOR_DIR, file), 'utf8'));
}

/** `createNamespacedJob` → jobs, `readNamespacedPodLog` → pods/log, `…JobStatus` → jobs/status. */
function resourceOf(kind: string): string {
  const match = /^(Job|Pod|Secret|ConfigMap|Event)(Log|Status)?$/.exec(kind);
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
function executorCalls(sources: string[] = executorSources()): string[] {
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
function grantsOf(role: Manifest): string[] {
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

// ---- the suite ----------------------------------------------------------------------

describe('Kubernetes manifests (docker/k8s)', () => {
  const manifests = loadManifests();
  let types: TypeMap;

  beforeAll(() => {
    types = loadTypeMap();
  });

  it('holds the objects a Kiln deployment needs', () => {
    const kinds = manifests.map(({ doc }) => `${doc.kind}/${doc.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        'ConfigMap/kiln',
        'Deployment/kiln-api',
        'Deployment/kiln-worker',
        'PodDisruptionBudget/kiln-api',
        'PodDisruptionBudget/kiln-worker',
        'Role/kiln-executor',
        'RoleBinding/kiln-executor',
        'Secret/kiln',
        'Service/kiln-api',
        'ServiceAccount/kiln',
      ].sort(),
    );
  });

  it.each(manifests.map((manifest) => [manifest.file, manifest.doc.kind, manifest]))(
    '%s: the %s is valid against the Kubernetes schema',
    (_file, _kind, { doc }) => {
      const Model = modelOf(doc);
      expect(() => new Model(doc).validate()).not.toThrow();
    },
  );

  it.each(manifests.map((manifest) => [manifest.file, manifest.doc.kind, manifest]))(
    '%s: the %s has no field the schema does not define',
    (_file, _kind, { doc }) => {
      expect(unknownFields(doc, rootTypeOf(doc), '', types)).toEqual([]);
    },
  );

  it('is namespace-agnostic, so one apply -n places everything', () => {
    const namespaced = manifests.filter(({ doc }) => 'namespace' in doc.metadata);
    expect(namespaced.map(({ file }) => file)).toEqual([]);
  });

  describe('the validators themselves', () => {
    const deployment = () => structuredClone(named(manifests, 'Deployment', 'kiln-api'));

    it('rejects a value of the wrong type', () => {
      const broken = deployment();
      broken.spec.replicas = 'two';
      expect(() => new Deployment(broken).validate()).toThrow();
    });

    it('reports a misspelled field, top-level or deep in a pod template', () => {
      const broken = deployment();
      const container = broken.spec.template.spec.containers[0];
      container.readinesProbe = container.readinessProbe;
      delete container.readinessProbe;
      container.livenessProbe.httpGet.paht = '/health/live';
      broken.spec.replica = 2;
      expect(unknownFields(broken, rootTypeOf(broken), '', types).sort()).toEqual([
        'spec.replica',
        'spec.template.spec.containers[0].livenessProbe.httpGet.paht',
        'spec.template.spec.containers[0].readinesProbe',
      ]);
    });

    it('refuses a kind it has no schema for', () => {
      const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } };
      expect(() => modelOf(unknown)).toThrow(/unknown kind/);
    });
  });

  describe('kustomization', () => {
    const kustomization = readYamlFile(join(K8S_DIR, KUSTOMIZATION));

    it('lists every manifest except the examples an operator fills in', () => {
      const expected = manifestFiles().filter((file) => !EXAMPLE_FILES.includes(file));
      expect([...(kustomization.resources as string[])].sort()).toEqual(expected);
    });

    it('names the image every Kiln container uses', () => {
      const images = (kustomization.images as Tree[]).map((image) => image.name);
      for (const deployment of ofKind(manifests, 'Deployment')) {
        for (const container of allContainersOf(deployment)) {
          expect(images).toContain(container.image);
        }
      }
    });
  });

  describe.each(['kiln-api', 'kiln-worker'])('Deployment %s', (name) => {
    const deployment = named(manifests, 'Deployment', name);
    const container = kilnContainerOf(deployment);
    const environment = environmentOf(container, manifests);

    it('runs the role its name says', () => {
      expect(environment.KILN_ROLE).toBe(name.replace('kiln-', ''));
    });

    it('probes /health/live, /health/ready and /health/startup', () => {
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.startupProbe.httpGet.path).toBe('/health/startup');
    });

    it('probes, exposes and scrapes the port Kiln listens on (PORT)', () => {
      const port = Number(environment.PORT);
      expect(port).toBeGreaterThan(0);
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        expect(resolvePort(container[probe].httpGet.port, container)).toBe(port);
      }
      expect(resolvePort('http', container)).toBe(port);
      expect(Number(deployment.spec.template.metadata.annotations['prometheus.io/port'])).toBe(
        port,
      );
    });

    it('leaves room above the heap budget within the memory limit', () => {
      // Old space is not all of RSS: the young generation (32 MiB), code and native
      // memory (about 90 MiB in the lifecycle benchmark) come on top.
      const limitMiB = mebibytes(container.resources.limits.memory);
      expect(heapBudgetMiB() + 128).toBeLessThanOrEqual(limitMiB);
    });

    it('gives Kiln time to drain: grace period > preStop pause + KILN_SHUTDOWN_GRACE_MS', () => {
      const budget = preStopPauseSeconds(container) + shutdownGraceSeconds(environment);
      expect(podSpecOf(deployment).terminationGracePeriodSeconds).toBeGreaterThan(budget);
    });

    it('runs every container as non-root, read-only, without capabilities, within limits', () => {
      expect(podSpecOf(deployment).securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: expect.any(Number),
      });
      expect(podSpecOf(deployment).securityContext.runAsUser).not.toBe(0);
      for (const each of allContainersOf(deployment)) {
        expect(each.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(each.resources).toMatchObject({
          requests: { cpu: expect.any(String), memory: expect.any(String) },
          limits: { cpu: expect.any(String), memory: expect.any(String) },
        });
      }
    });

    it('mounts a writable volume at KILN_DATA_DIR and /tmp, since the root file system is not', () => {
      const mounts = (container.volumeMounts as Tree[]).map((mount) => mount.mountPath);
      expect(mounts).toEqual(expect.arrayContaining([environment.KILN_DATA_DIR, '/tmp']));
    });

    it('migrates before Kiln starts, and Kiln itself does not', () => {
      const [migrate] = podSpecOf(deployment).initContainers as Tree[];
      expect(migrate.command).toEqual(['node', 'dist/infra/database/migrate.js']);
      expect(existsSync(join(ROOT, 'src', 'infra', 'database', 'migrate.ts'))).toBe(true);
      expect(environment.KILN_DATABASE_MIGRATE_ON_BOOT).toBe('false');
    });

    it('refers to a ServiceAccount, ConfigMap and Secret that exist', () => {
      named(manifests, 'ServiceAccount', podSpecOf(deployment).serviceAccountName);
      for (const each of allContainersOf(deployment)) {
        for (const source of each.envFrom as Tree[]) {
          if (source.configMapRef) named(manifests, 'ConfigMap', source.configMapRef.name);
          if (source.secretRef) named(manifests, 'Secret', source.secretRef.name);
        }
      }
    });

    it('is covered by a PodDisruptionBudget', () => {
      const labels = deployment.spec.template.metadata.labels;
      const budgets = ofKind(manifests, 'PodDisruptionBudget').filter((budget) =>
        selects(budget.spec.selector.matchLabels, labels),
      );
      expect(budgets).toHaveLength(1);
    });
  });

  it('routes the Service to the api pods on the port Kiln listens on', () => {
    const service = named(manifests, 'Service', 'kiln-api');
    const api = named(manifests, 'Deployment', 'kiln-api');
    const container = kilnContainerOf(api);
    expect(selects(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    const worker = named(manifests, 'Deployment', 'kiln-worker');
    expect(selects(service.spec.selector, worker.spec.template.metadata.labels)).toBe(false);
    expect(resolvePort(service.spec.ports[0].targetPort, container)).toBe(
      Number(environmentOf(container, manifests).PORT),
    );
  });

  it('sets only variables Kiln reads (a typo would be ignored silently)', () => {
    const known = kilnVariables();
    const configMapKeys = Object.keys(named(manifests, 'ConfigMap', 'kiln').data);
    const secretKeys = Object.keys(named(manifests, 'Secret', 'kiln').stringData);
    const envNames = ofKind(manifests, 'Deployment')
      .flatMap(allContainersOf)
      .flatMap((container) => (container.env ?? []).map((entry: Tree) => entry.name as string));
    const unknown = [...configMapKeys, ...secretKeys, ...envNames].filter(
      (name) => !known.has(name),
    );
    expect(unknown).toEqual([]);
  });

  it('keeps production secrets in the Secret, with placeholders Kiln refuses to boot with', () => {
    const secret = named(manifests, 'Secret', 'kiln');
    expect(Object.keys(secret.stringData).sort()).toEqual(
      expect.arrayContaining(['KILN_DATABASE_URL', 'KILN_JWT_SECRET', 'KILN_REDIS_URL']),
    );
    for (const value of Object.values(secret.stringData as Record<string, string>)) {
      expect(value).toContain('REPLACE-ME');
    }
    expect((secret.stringData.KILN_JWT_SECRET as string).length).toBeLessThan(32);
    const configMap = named(manifests, 'ConfigMap', 'kiln');
    expect(Object.keys(configMap.data)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/SECRET|PASSWORD|DATABASE_URL|REDIS_URL/)]),
    );
  });

  it('grants the executor Role exactly the API calls the executor makes', () => {
    const calls = executorCalls();
    // The executor's core calls; if one disappears from the code, this derivation broke.
    expect(calls).toEqual(
      expect.arrayContaining([
        'batch/jobs:create',
        'batch/jobs:delete',
        'batch/jobs:watch',
        '/pods/log:get',
      ]),
    );
    expect(grantsOf(named(manifests, 'Role', 'kiln-executor'))).toEqual(calls);
  });

  it('derives RBAC permissions from client calls, and refuses a call it cannot map', () => {
    const source = [
      'await clients.core.readNamespacedPodLog({ name, namespace });',
      'await this.clients.batch.replaceNamespacedJobStatus({ name, namespace, body });',
      'watch.watch(`/apis/batch/v1/namespaces/${namespace}/jobs`, {}, onEvent, onDone);',
    ].join('\n');
    expect(executorCalls([source])).toEqual([
      '/pods/log:get',
      'batch/jobs/status:update',
      'batch/jobs:watch',
    ]);
    expect(() => executorCalls(['clients.batch.deleteCollectionNamespacedJob({})'])).toThrow();
    expect(() => executorCalls(['clients.core.readNamespacedPersistentVolumeClaim({})'])).toThrow();
  });

  it('binds the executor Role to the ServiceAccount Kiln runs as', () => {
    const binding = named(manifests, 'RoleBinding', 'kiln-executor');
    const role = named(manifests, 'Role', binding.roleRef.name);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kiln' }]);
    named(manifests, 'ServiceAccount', 'kiln');
  });
});

describe('the probe paths in docker/ are routes the app serves', () => {
  const manifests = loadManifests();
  const probePaths = [
    ...new Set(
      ofKind(manifests, 'Deployment')
        .map(kilnContainerOf)
        .flatMap((container) =>
          ['livenessProbe', 'readinessProbe', 'startupProbe'].map(
            (probe) => container[probe].httpGet.path as string,
          ),
        ),
    ),
  ];

  describe.each(['api', 'worker'])('KILN_ROLE=%s', (role) => {
    let kiln: TestApp;

    beforeAll(async () => {
      kiln = await startTestApp({ env: { KILN_ROLE: role } });
    });

    afterAll(async () => {
      await kiln?.close();
    });

    it.each(probePaths)('answers GET %s with 200', async (path) => {
      const response = await fetch(`${kiln.url}${path}`);
      expect(response.status).toBe(200);
    });

    it('answers the Dockerfile HEALTHCHECK path and /metrics with 200', async () => {
      const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
      const healthcheckPath = /HEALTHCHECK[\s\S]*?(\/health\/\w+)/.exec(dockerfile)?.[1];
      expect(healthcheckPath).toBe('/health/live');
      expect((await fetch(`${kiln.url}${healthcheckPath}`)).status).toBe(200);
      expect((await fetch(`${kiln.url}/metrics`)).status).toBe(200);
    });
  });
});

describe('docker/compose.yaml', () => {
  const compose = readYamlFile(join(DOCKER_DIR, 'compose.yaml'));
  const services = compose.services as Record<string, Tree>;
  const kilnServices = ['migrate', 'api', 'worker'];

  it('builds api, worker and migrate from one image of docker/Dockerfile', () => {
    const builds = kilnServices.map((name) => services[name].build);
    expect(builds[0]).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(builds).toEqual([builds[0], builds[0], builds[0]]);
    const images = kilnServices.map((name) => services[name].image);
    expect(new Set(images).size).toBe(1);
  });

  it('runs the api and the worker roles', () => {
    expect(services.api.environment.KILN_ROLE).toBe('api');
    expect(services.worker.environment.KILN_ROLE).toBe('worker');
    expect(services.api.ports).toEqual(['3000:3000']);
    expect(services.worker.ports).toBeUndefined();
  });

  it('configures Kiln for production on PostgreSQL and Redis, with variables Kiln reads', () => {
    const known = kilnVariables();
    for (const name of kilnServices) {
      const environment = services[name].environment as Record<string, string>;
      expect(environment).toMatchObject({
        NODE_ENV: 'production',
        KILN_DATABASE_URL: expect.stringMatching(/^postgres:\/\/.+@postgres:5432\//),
        KILN_REDIS_URL: 'redis://redis:6379',
        KILN_DATABASE_MIGRATE_ON_BOOT: 'false',
      });
      expect(Object.keys(environment).filter((variable) => !known.has(variable))).toEqual([]);
    }
  });

  it('reads an optional .env at the repository root', () => {
    for (const name of kilnServices) {
      expect(services[name].env_file).toEqual([{ path: '../.env', required: false }]);
    }
  });

  it('runs Redis with noeviction and an append-only file, on a volume', () => {
    const command = (services.redis.command as string[]).join(' ');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly yes');
    expect(services.redis.volumes).toEqual([expect.stringMatching(/^redis-data:\/data$/)]);
  });

  it('health-checks PostgreSQL and Redis and keeps their data in named volumes', () => {
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(services.redis.healthcheck.test.join(' ')).toContain('redis-cli ping');
    expect(Object.keys(compose.volumes as Tree)).toEqual(
      expect.arrayContaining(['postgres-data', 'redis-data']),
    );
  });

  it('migrates once, and starts api and worker only after healthy stores and migrations', () => {
    expect(services.migrate.command).toEqual(['node', 'dist/infra/database/migrate.js']);
    expect(services.migrate.restart).toBe('no');
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('lets Kiln drain before Docker kills it (stop_grace_period > drain delay + grace)', () => {
    for (const name of ['api', 'worker']) {
      const environment = services[name].environment;
      const graceSeconds =
        shutdownGraceSeconds(environment) +
        Number(environment.KILN_SHUTDOWN_DRAIN_DELAY_MS ?? 0) / 1000;
      const stopSeconds = Number(/^(\d+)s$/.exec(services[name].stop_grace_period)?.[1]);
      expect(stopSeconds).toBeGreaterThan(graceSeconds);
    }
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1];
  const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Tree;

  it('builds in one stage and runs from another, on a Node base pinned by major version', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    // The current LTS line, inside the range package.json's engines declares.
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(packageJson.engines).toEqual({ node: expect.stringMatching(/>=22\.12\.0$/) });
    expect(stages.every((stage) => stage.startsWith('${NODE_IMAGE}'))).toBe(true);
    expect(stages[0]).toMatch(/apt-get install[^\n]*python3 make g\+\+/);
    expect(stages[0]).toContain('RUN npm ci');
    expect(stages[0]).toContain('npm run build');
  });

  it('ships production dependencies only', () => {
    expect(stages[0]).toContain('npm prune --omit=dev');
    expect(runtime).toContain('COPY --from=build /app/node_modules ./node_modules');
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it('runs node dist/main.js as a non-root user under tini, with NODE_ENV=production', () => {
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime).toMatch(/^ENV NODE_ENV=production/m);
    expect(runtime).toMatch(/apt-get install[^\n]*tini/);
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    const command = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]) as string[];
    expect(command).toEqual(['node', ...startScriptNodeFlags(), 'dist/main.js']);
    expect(packageJson.scripts['start:prod']).toContain(packageJson.scripts.start);
  });

  it('gives V8 a heap budget, so the heap does not grow towards the 4 GiB default', () => {
    expect(heapBudgetMiB()).toBeGreaterThanOrEqual(256);
  });

  it('exposes PORT and health-checks /health/live with node itself', () => {
    const port = /PORT=(\d+)/.exec(runtime)?.[1];
    expect(runtime).toContain(`EXPOSE ${port}`);
    expect(runtime).toMatch(
      /HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "fetch\(.*\/health\/live/,
    );
  });

  it('keeps local state and secrets out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', 'dist', 'data', '.git', 'coverage', '.env']),
    );
  });
});
