// Every Kubernetes manifest under docker/k8s is valid against the official schema with no
// unknown field, and agrees with the app's routes, config and executor.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  ROOT,
  K8S_DIR,
  KUSTOMIZATION,
  EXAMPLE_FILES,
  Tree,
  manifestFiles,
  loadManifests,
  readYamlFile,
  modelOf,
} from '../support/deploy-files/deploy-files';
import {
  TypeMap,
  loadTypeMap,
  rootTypeOf,
  unknownFields,
} from '../support/deploy-files/strict-fields';
import {
  ofKind,
  named,
  podSpecOf,
  kilnContainerOf,
  allContainersOf,
  environmentOf,
  resolvePort,
  selects,
  heapBudgetMiB,
  mebibytes,
  kilnVariables,
  shutdownGraceSeconds,
  preStopPauseSeconds,
} from '../support/deploy-files/manifest-queries';
import { executorCalls, grantsOf } from '../support/deploy-files/executor-rbac';

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
      expect(migrate.command).toEqual(['node', 'dist/migrate.js']);
      expect(existsSync(join(ROOT, 'src', 'migrate.ts'))).toBe(true);
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

  it('grants the executor Role exactly the API calls the Kubernetes runtimes make', () => {
    const calls = executorCalls();
    // The executor's core calls; if one disappears from the code, this derivation broke.
    expect(calls).toEqual(
      expect.arrayContaining([
        'batch/jobs:create',
        'batch/jobs:delete',
        'batch/jobs:watch',
        '/pods/log:get',
        'apps/deployments:patch',
        'apps/deployments:watch',
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
