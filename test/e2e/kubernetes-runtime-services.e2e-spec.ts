// The Kubernetes service runtime: a Deployment and a Service per service, status and
// endpoints from a watch, surge rollouts, a failed rollout rolled back, scale, stop, and
// the API server's 409/410/429 answers. Against a fake API server that speaks the wire
// format (test/support/kubernetes-service-harness.ts).
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { waitUntil } from '../../src/common/wait-until';
import { KilnConfig } from '../../src/config/kiln.config';
import { KubernetesRuntimeModule } from '../../src/modules/runtimes/kubernetes/kubernetes-runtime.module';
import { KubernetesServiceRuntime } from '../../src/modules/runtimes/kubernetes/kubernetes-service-runtime';
import { assertValidKubeObject } from '../support/fake-kube-api/kube-schema';
import { settingsFor } from '../support/kubernetes-runtime-harness';
import {
  GPU_QUEUE,
  makeServiceSpec,
  useKubernetesServiceRuntime,
} from '../support/kubernetes-service-harness';

const NS = 'kiln';

describe('KubernetesServiceRuntime: the objects it creates', () => {
  const k = useKubernetesServiceRuntime();

  it('creates one Deployment and one Service the API server schema accepts, with no unknown field', async () => {
    const { handle, name } = await k.deployed();
    expect(handle).toEqual({ runtime: 'kubernetes', id: `${NS}/${name}` });
    expect(name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    const sent = k.api
      .requestsTo('POST', /\/(deployments|services)$/)
      .map((request) => request.body);
    expect(sent.map((object) => object.kind).sort()).toEqual(['Deployment', 'Service']);
    for (const object of sent) assertValidKubeObject(object);
  });

  it('refuses a field the schema does not name', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { selector: {}, template: { spec: { containers: [{ name: 'a', gpus: 1 }] } } },
    };
    expect(() => assertValidKubeObject(broken)).toThrow(
      /spec\.template\.spec\.containers\[0\]\.gpus/,
    );
  });

  it('runs replicas as untrusted pods that surge on a rollout, are probed on the health path and drain before they stop', async () => {
    const { name } = await k.deployed(makeServiceSpec({ replicas: 3 }));
    const deployment = k.api.deployment(NS, name)!;
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
    });
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const [container] = pod.containers;
    expect(container).toMatchObject({
      image: 'registry.example.com/team/server:2.0.0',
      command: ['python', 'serve.py'],
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      // a pod being deleted serves on while Kiln's watch takes it out of the endpoints
      lifecycle: { preStop: { sleep: { seconds: 5 } } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    });
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'PORT', value: '8080' },
        { name: 'KILN_SERVICE_PORT', value: '8080' },
        { name: 'LOG_LEVEL', value: 'info' },
      ]),
    );
    const service = k.api.service(NS, name)!;
    expect(service.spec).toMatchObject({
      selector: deployment.spec.selector.matchLabels,
      ports: [{ port: 8080, targetPort: 8080 }],
    });
  });

  it("places a queue's replicas with its namespace, node selector, tolerations and GPUs", async () => {
    const spec = makeServiceSpec({ queue: 'gpu', resources: { cpu: 4, memoryMiB: 8192, gpu: 1 } });
    const { namespace, name } = await k.deployed(spec);
    expect(namespace).toBe(GPU_QUEUE.namespace);
    const pod = k.api.deployment(namespace, name)!.spec.template.spec;
    expect(pod).toMatchObject({
      nodeSelector: GPU_QUEUE.nodeSelector,
      tolerations: GPU_QUEUE.tolerations,
      serviceAccountName: 'trainer',
      imagePullSecrets: [{ name: 'registry-cred' }],
    });
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
  });

  it("mounts the model read-only from the training run's subPath of the output claim", async () => {
    k.runtime = k.makeRuntime({ outputClaimName: 'kiln-outputs' });
    const spec = makeServiceSpec({
      env: { KILN_MODEL_DIR: '/var/lib/kiln/runs/x/output', KILN_MODEL_PATH: '/host/model.json' },
      model: {
        taskId: 'c0ffee00-0000-4000-8000-000000000001',
        attempt: 2,
        path: 'model/model.json',
        isDirectory: false,
      },
    });
    const { name } = await k.deployed(spec);
    const [created] = k.api.requestsTo('POST', /\/deployments$/);
    assertValidKubeObject(created.body);
    const deployment = k.api.deployment(NS, name)!;
    const pod = deployment.spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'kiln-model', persistentVolumeClaim: { claimName: 'kiln-outputs', readOnly: true } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      {
        name: 'kiln-model',
        mountPath: '/kiln/model',
        subPath: 'kiln-c0ffee00-0000-4000-8000-000000000001-2/model',
        readOnly: true,
      },
    ]);
    const env = pod.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'KILN_MODEL_DIR', value: '/kiln/model' },
        { name: 'KILN_MODEL_PATH', value: '/kiln/model/model.json' },
      ]),
    );
    expect(JSON.stringify(env)).not.toContain('/var/lib/kiln');
  });

  it('asks for an image: a replica is a container', () => {
    expect(k.runtime.validate({ command: ['serve'] })).toEqual([
      { field: 'image', message: expect.stringContaining('required') },
    ]);
    expect(k.runtime.validate({ command: [], image: 'server:1' })).toEqual([]);
  });
});

describe('KubernetesServiceRuntime: status, endpoints and rollouts from the watch', () => {
  const k = useKubernetesServiceRuntime();

  it('reports replicas starting, then ready with their pod addresses as endpoints', async () => {
    const { handle, name } = await k.deployed();
    const starting = await k.statusBecomes(handle, (s) => s.replicas.length === 2);
    expect(starting).toMatchObject({ desiredReplicas: 2, readyReplicas: 0 });
    expect(starting.replicas.map((replica) => replica.state)).toEqual(['starting', 'starting']);
    expect(await k.runtime.endpoints(handle)).toEqual([]);

    k.api.replicasReady(NS, name);
    const ready = await k.statusBecomes(handle, (s) => s.readyReplicas === 2);
    expect(
      ready.replicas.every((replica) => replica.revision === 1 && replica.restarts === 0),
    ).toBe(true);
    const urls = await k.endpointsBecome(handle, (found) => found.length === 2);
    expect(urls.sort()).toEqual(k.urlsOf(NS, name, 1));
    await k.watchHasSeen(handle);
  });

  it('answers status and endpoints on every Kiln process, each from its own watch', async () => {
    const { handle, name } = await k.deployed();
    k.api.replicasReady(NS, name);
    const other = k.makeRuntime();
    const urls = await k.endpointsBecome(handle, (found) => found.length === 2, other);
    expect(urls.sort()).toEqual(k.urlsOf(NS, name, 1));
    await k.watchHasSeen(handle, other);
  });

  it('rolls a new revision out beside the old one, which serves until the new one is ready', async () => {
    const { spec, handle, name } = await k.deployed();
    k.api.replicasReady(NS, name);
    const oldUrls = await k.endpointsBecome(handle, (found) => found.length === 2);

    await k.runtime.deploy({ ...spec, revision: 2, env: { ...spec.env, LOG_LEVEL: 'debug' } });
    const surging = await k.statusBecomes(handle, (s) => s.replicas.length === 4);
    expect(surging.replicas.filter((r) => r.revision === 2).map((r) => r.state)).toEqual([
      'starting',
      'starting',
    ]);
    expect((await k.runtime.endpoints(handle)).map((e) => e.url).sort()).toEqual(oldUrls.sort());

    k.api.replicasReady(NS, name, 2);
    const done = await k.statusBecomes(handle, (s) => s.replicas.length === 2);
    expect(done.replicas.map((r) => [r.revision, r.state])).toEqual([
      [2, 'ready'],
      [2, 'ready'],
    ]);
    const urls = await k.endpointsBecome(
      handle,
      (found) => !found.some((u) => oldUrls.includes(u)),
    );
    expect(urls.sort()).toEqual(k.urlsOf(NS, name, 2));
    const [patch] = k.api.requestsTo('PATCH', /\/deployments\//);
    const template = patch.body.find((op: { path: string }) => op.path === '/spec/template');
    const stored = { ...k.api.deployment(NS, name)!, status: undefined };
    const patched = { ...stored, spec: { ...stored.spec, template: template.value } };
    assertValidKubeObject(patched);
    const env = k.api.deployment(NS, name)!.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
  });

  it('changes nothing when the same revision is deployed again, and only the count when scaled', async () => {
    const { spec, handle, name } = await k.deployed();
    await k.runtime.deploy(spec);
    expect(k.api.requestsTo('PATCH', /deployments/)).toEqual([]);

    await k.runtime.deploy({ ...spec, replicas: 3 });
    const [patch] = k.api.requestsTo('PATCH', /deployments/);
    expect(patch.contentType).toBe('application/json-patch+json');
    expect(patch.body).toEqual([{ op: 'replace', path: '/spec/replicas', value: 3 }]);
    await k.statusBecomes(handle, (s) => s.desiredReplicas === 3 && s.replicas.length === 3);
    expect(k.api.deployment(NS, name)!.metadata.annotations!['kiln.dev/service-revision']).toBe(
      '1',
    );
  });

  it('scales by patching the replica count: 1 → 3 → 0 → 1', async () => {
    const { handle, name } = await k.deployed(makeServiceSpec({ replicas: 1 }));
    for (const replicas of [3, 0, 1]) {
      await k.runtime.scale(handle, replicas);
      const status = await k.statusBecomes(
        handle,
        (s) => s.desiredReplicas === replicas && s.replicas.length === replicas,
      );
      expect(status.replicas).toHaveLength(replicas);
      expect(k.api.replicasOf(NS, name)).toHaveLength(replicas);
    }
  });

  it('names the crash loop of a broken revision, and keeps the old one serving when it is deployed again', async () => {
    const { spec, handle, name } = await k.deployed();
    k.api.replicasReady(NS, name);
    const oldUrls = await k.endpointsBecome(handle, (found) => found.length === 2);

    await k.runtime.deploy({ ...spec, revision: 2, command: ['false'] });
    await k.statusBecomes(handle, (s) => s.replicas.length === 4);
    k.api.replicasCrashLooping(NS, name, 2);
    const broken = await k.statusBecomes(handle, (s) =>
      s.replicas.some((r) => r.revision === 2 && r.state === 'unhealthy'),
    );
    const crashing = broken.replicas.find((r) => r.revision === 2)!;
    expect(crashing.restarts).toBe(1);
    expect(crashing.reason).toMatch(/^CrashLoopBackOff: .*; last exit code 1 \(Error\)$/);
    expect((await k.runtime.endpoints(handle)).map((e) => e.url).sort()).toEqual(oldUrls.sort());

    // What the reconciler does after the rollout deadline: deploy the serving revision.
    await k.runtime.deploy(spec);
    const back = await k.statusBecomes(handle, (s) => s.replicas.length === 2);
    expect(back.replicas.map((r) => [r.revision, r.state])).toEqual([
      [1, 'ready'],
      [1, 'ready'],
    ]);
    expect((await k.runtime.endpoints(handle)).map((e) => e.url).sort()).toEqual(oldUrls.sort());
    expect(k.api.deployment(NS, name)!.spec.template.spec.containers[0].command).toEqual([
      'python',
      'serve.py',
    ]);
  });

  it('keeps its copy right across dropped watches and expired resourceVersions (410)', async () => {
    const { handle, name } = await k.deployed();
    await k.watchHasSeen(handle);
    k.api.disconnectWatches();
    k.api.replicasReady(NS, name);
    await k.statusBecomes(handle, (s) => s.readyReplicas === 2);

    for (const as of ['status', 'event'] as const) {
      k.api.expireResourceVersions(as);
      await k.runtime.scale(handle, 1);
      await k.statusBecomes(handle, (s) => s.desiredReplicas === 1 && s.replicas.length === 1);
      await k.runtime.scale(handle, 2);
      k.api.replicasReady(NS, name);
      await k.statusBecomes(handle, (s) => s.readyReplicas === 2);
    }
    await k.watchHasSeen(handle);
  });

  it("streams a replica's log, and nothing for a replica it does not have", async () => {
    const { handle, name } = await k.deployed(makeServiceSpec({ replicas: 1 }));
    k.api.replicasReady(NS, name);
    const [replica] = (await k.statusBecomes(handle, (s) => s.readyReplicas === 1)).replicas;
    k.api.appendPodLog(NS, replica.name, 'listening on 8080', 'POST /predict 200');
    const lines: string[] = [];
    for await (const line of k.runtime.logs(handle, replica.name, { sinceLine: 1 }))
      lines.push(line);
    expect(lines).toEqual(['POST /predict 200']);
    const none: string[] = [];
    for await (const line of k.runtime.logs(handle, `${name}-nope`)) none.push(line);
    expect(none).toEqual([]);
  });
});

describe('KubernetesServiceRuntime: stop, find, and what the API server answers', () => {
  const k = useKubernetesServiceRuntime();

  it('stops a service by deleting its Deployment (pods with it) and its Service; twice is a no-op', async () => {
    const { handle, name } = await k.deployed();
    k.api.replicasReady(NS, name);
    await k.statusBecomes(handle, (s) => s.readyReplicas === 2);
    await k.runtime.stop(handle, 0);
    expect(k.api.deployment(NS, name)).toBeUndefined();
    expect(k.api.service(NS, name)).toBeUndefined();
    expect(k.api.pods()).toEqual([]);
    const [deletion] = k.api.requestsTo('DELETE', /deployments/);
    expect(deletion.query.propagationPolicy ?? deletion.body?.propagationPolicy).toBe('Background');
    await expect(k.runtime.stop(handle, 0)).resolves.toBeUndefined();
    await expect(k.runtime.find({ serviceId: 'x', queue: 'default' })).resolves.toBeUndefined();
    const lost = await k.runtime.status(handle);
    expect(lost).toEqual({ state: 'lost', reason: expect.stringContaining('Deployment') });
    expect(await k.runtime.endpoints(handle)).toEqual([]);
  });

  it('adopts what another Kiln process created (409 on create) instead of making a second one', async () => {
    const { spec, handle, name } = await k.deployed();
    k.api.replicasReady(NS, name);
    const restarted = k.makeRuntime();
    await expect(restarted.find(spec)).resolves.toEqual(handle);
    await expect(restarted.deploy(spec)).resolves.toEqual(handle);
    expect(k.api.requestsTo('POST', /deployments$/)).toHaveLength(2);
    expect(k.api.requestsTo('PATCH', /deployments/)).toEqual([]);
    const status = await k.statusBecomes(handle, (s) => s.readyReplicas === 2, restarted);
    expect(status.replicas).toHaveLength(2);
  });

  it('retries what the API server throttles (429) or fails for a moment (500)', async () => {
    k.api.failNext(1, 429, (r) => r.method === 'POST' && r.path.endsWith('/deployments'));
    k.api.failNext(1, 500, (r) => r.method === 'POST' && r.path.endsWith('/services'));
    const { handle, name } = await k.deployed();
    expect(k.api.deployment(NS, name)).toBeDefined();
    expect(k.api.service(NS, name)).toBeDefined();
    k.api.failNext(2, 429, (r) => r.method === 'PATCH');
    await k.runtime.scale(handle, 4);
    expect(k.api.deployment(NS, name)!.spec.replicas).toBe(4);
  });

  it('is provided by the Kubernetes runtime module, wired by Nest', async () => {
    const kubernetes = settingsFor({ kubeconfigPath: k.api.writeKubeconfig() });
    @Global()
    @Module({
      providers: [{ provide: KilnConfig, useValue: { runtimes: { kubernetes } } }],
      exports: [KilnConfig],
    })
    class HostModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [HostModule, KubernetesRuntimeModule],
    }).compile();
    await moduleRef.init();
    const wired = moduleRef.get(KubernetesServiceRuntime);
    const handle = await wired.deploy(makeServiceSpec({ replicas: 1 }));
    await k.statusBecomes(handle, (s) => s.replicas.length === 1, wired);
    await moduleRef.close();
    const closed = await waitUntil(() => k.api.openWatchCount() === 0, { timeoutMs: 5000 });
    expect(closed.satisfied).toBe(true);
  });
});
