// A model trained on a Kubernetes queue, served by Kiln: the Job writes to the output
// claim, Kiln's own pods mount that claim (KILN_K8S_OUTPUT_LOCAL_PATH), so the API lists
// and serves the run's artifacts, and a service deployed from the task mounts the run's
// subPath of the claim. The real app on the embedded default, Jobs and Deployments on a
// fake API server; the test writes the run's output where the claim's volume would hold it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { jobNameFor } from '../../src/modules/runtimes/kubernetes/run-identity';
import { FINAL, queuesConfigFile, startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { FakeKubeApi } from '../support/fake-kube-api/fake-kube-api';
import { assertValidKubeObject } from '../support/fake-kube-api/kube-schema';
import { startTestApp } from '../support/test-app';
import { tempDataDir } from '../support/test-config';

const NS = 'kiln';
const CLAIM = 'kiln-outputs';
const TRAINER = 'registry.example.com/team/trainer:1.2.3';
const SERVER = 'registry.example.com/team/server:2.0.0';
const MODEL = '{"weights":[0.5,-0.25],"bias":0.1}';

describe('a model trained on a Kubernetes queue, with the output claim mounted into Kiln', () => {
  const claimMount = tempDataDir('kiln-claim-');
  let kube: FakeKubeApi;
  let world: TaskWorld;
  let taskId: string;
  let jobName: string;

  beforeAll(async () => {
    kube = new FakeKubeApi();
    await kube.start();
    world = await startTaskWorld(startTestApp, {
      KILN_CONFIG_FILE: queuesConfigFile(4, [
        '    - { name: k8s, runtime: kubernetes, maxRunning: 4, maxGpus: 0 }',
      ]),
      KILN_K8S_KUBECONFIG: kube.writeKubeconfig(),
      KILN_K8S_OUTPUT_CLAIM_NAME: CLAIM,
      KILN_K8S_OUTPUT_LOCAL_PATH: claimMount,
    });
    const submitted = await world.submit({
      name: 'train on the cluster',
      queue: 'k8s',
      image: TRAINER,
      command: ['python', 'train.py'],
      maxRetries: 0,
    });
    expect(submitted.response.status).toBe(201);
    taskId = submitted.data!.id;
    jobName = jobNameFor(taskId, 1);
    const created = await waitUntil(() => kube.job(NS, jobName) !== undefined, {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    expect(created.satisfied).toBe(true);
    // What the Job's container writes to KILN_OUTPUT_DIR lands in its subPath of the claim.
    mkdirSync(join(claimMount, jobName, 'model'), { recursive: true });
    writeFileSync(join(claimMount, jobName, 'model', 'model.json'), MODEL);
    kube.running(NS, jobName);
    kube.succeeded(NS, jobName);
    kube.finishLog(NS, jobName);
    expect(await world.waitForStatus(taskId, FINAL)).toMatchObject({ status: 'succeeded' });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
    await kube?.stop();
  });

  const byId = () => ({ params: { path: { id: taskId } } });

  it("lists and downloads the run's artifacts from the claim", async () => {
    const listing = await unwrap(world.as.alice.GET('/api/v1/tasks/{id}/artifacts', byId()));
    expect(listing.attempt).toBe(1);
    expect(listing.entries.map((entry) => entry.path)).toEqual(['model/model.json']);
    const file = await world.as.alice.GET('/api/v1/tasks/{id}/artifacts/{path}', {
      params: { path: { id: taskId, path: 'model/model.json' } },
      parseAs: 'text',
    });
    expect(file.response.status).toBe(200);
    expect(file.data).toBe(MODEL);
  });

  it("deploys a service whose replicas mount the run's subPath of the claim, read-only", async () => {
    const created = await world.as.alice.POST('/api/v1/services', {
      body: {
        name: 'cluster-model',
        queue: 'k8s',
        image: SERVER,
        port: 8080,
        healthPath: '/healthz',
        model: { taskId, path: 'model/model.json' },
      },
    });
    expect(created.response.status).toBe(201);
    expect(created.data!.spec.model).toMatchObject({
      taskId,
      attempt: 1,
      path: 'model/model.json',
    });

    const posted = () => kube.requestsTo('POST', /\/deployments$/);
    const deployed = await waitUntil(() => posted().length > 0, {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    expect(deployed.satisfied).toBe(true);
    const deployment = kube.deployment(NS, posted()[0].body.metadata.name)!;
    assertValidKubeObject(deployment);
    const pod = deployment.spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'kiln-model', persistentVolumeClaim: { claimName: CLAIM, readOnly: true } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'kiln-model', mountPath: '/kiln/model', subPath: `${jobName}/model`, readOnly: true },
    ]);
    expect(pod.containers[0].env).toEqual(
      expect.arrayContaining([{ name: 'KILN_MODEL_PATH', value: '/kiln/model/model.json' }]),
    );
    // Kiln's own path to the claim is its business, not the replica's.
    expect(JSON.stringify(pod)).not.toContain(claimMount);
  });

  it('refuses a model file the run did not write (404)', async () => {
    const missing = await world.as.alice.POST('/api/v1/services', {
      body: {
        name: 'missing-model',
        queue: 'k8s',
        image: SERVER,
        model: { taskId, path: 'nope.pt' },
      },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('content-type')).toContain('application/problem+json');
  });
});
