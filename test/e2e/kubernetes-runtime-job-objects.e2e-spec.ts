// The Kubernetes runtime's Jobs, pods and Secrets as the API server receives them: what
// Kiln owns of a run, how an untrusted run is confined, and that every object passes the
// Kubernetes schema. Against a fake API server (test/support/kubernetes-runtime-harness.ts).
import { assertValidKubeObject } from '../support/fake-kube-api/kube-schema';
import {
  NS,
  makeSpec,
  GPU_QUEUE,
  useKubernetesRuntime,
} from '../support/kubernetes-runtime-harness';

describe('KubernetesBatchRuntime: the objects it sends', () => {
  const k = useKubernetesRuntime();

  it('builds the Job Kiln owns retries and deadlines of', async () => {
    const { spec, jobName } = await k.launched(
      makeSpec({ shell: true, command: ['echo hi && train'] }),
    );
    const job = k.api.job(NS, jobName)!;
    expect(job.metadata.labels).toMatchObject({
      'kiln.dev/task-id': spec.taskId,
      'kiln.dev/attempt': '1',
      'kiln.dev/queue': 'default',
    });
    expect(job.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 86400,
    });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    const container = pod.containers[0];
    expect(container.command).toEqual(['/bin/sh', '-c', 'echo hi && train']);
    expect(container.resources).toEqual({
      requests: { cpu: '2', memory: '4096Mi' },
      limits: { cpu: '2', memory: '4096Mi' },
    });
    expect(container.env).toContainEqual({ name: 'KILN_OUTPUT_DIR', value: '/kiln/output' });
    expect(container.volumeMounts).toEqual([{ name: 'kiln-output', mountPath: '/kiln/output' }]);
    expect(pod.volumes).toEqual([{ name: 'kiln-output', emptyDir: {} }]);
  });

  it("runs the pod as untrusted code: no service-account token, non-root, none of Kiln's Secrets", async () => {
    const { jobName } = await k.launched();
    const pod = k.api.job(NS, jobName)!.spec.template.spec;

    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const container = pod.containers[0];
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    // The only Secret a run reads is its own attempt's (its run token); none of Kiln's.
    expect(pod.volumes).toEqual([{ name: 'kiln-output', emptyDir: {} }]);
    expect(container.envFrom).toBeUndefined();
    const secretRefs = (container.env as Array<{ valueFrom?: { secretKeyRef?: { name: string } } }>)
      .map((variable) => variable.valueFrom?.secretKeyRef?.name)
      .filter(Boolean);
    expect(new Set(secretRefs)).toEqual(new Set([jobName]));
  });

  it('keeps the run token out of the pod spec, in a Secret owned by the Job', async () => {
    const { jobName } = await k.launched();
    const job = k.api.job(NS, jobName)!;
    const env = job.spec.template.spec.containers[0].env as Array<Record<string, unknown>>;
    expect(JSON.stringify(job)).not.toContain('run-token-secret');
    expect(env).toContainEqual({
      name: 'KILN_RUN_TOKEN',
      valueFrom: { secretKeyRef: { name: jobName, key: 'KILN_RUN_TOKEN' } },
    });
    const secret = k.api.secret(NS, jobName)!;
    expect(secret.stringData).toEqual({ KILN_RUN_TOKEN: 'run-token-secret' });
    expect(secret.metadata.ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'Job', name: jobName, uid: job.metadata.uid },
    ]);
  });

  it('deletes the Job when its Secret cannot be made, so the retry leaves no pod waiting for it', async () => {
    const spec = makeSpec();
    k.api.failNext(1, 403, (r) => r.method === 'POST' && r.path.endsWith('/secrets'));

    await expect(k.runtime.launch(spec)).rejects.toMatchObject({ code: 403 });

    expect(
      k.api.jobs().filter((job) => job.metadata.labels?.['kiln.dev/task-id'] === spec.taskId),
    ).toEqual([]);
  });

  it('sends only objects the Kubernetes schema accepts, with GPUs and the queue pod template', async () => {
    const { jobName } = await k.launched(
      makeSpec({ queue: 'gpu', resources: { cpu: 0.5, memoryMiB: 16384, gpu: 2 } }),
    );
    const sent = k.api.requests.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(sent.map((o) => o.kind)).toEqual(['Job', 'Secret']);
    for (const object of sent) assertValidKubeObject(object);

    const job = k.api.job('training', jobName)!;
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({
      nodeSelector: GPU_QUEUE.nodeSelector,
      tolerations: GPU_QUEUE.tolerations,
      serviceAccountName: 'trainer',
      imagePullSecrets: [{ name: 'registry-cred' }],
      priorityClassName: 'training-high',
    });
    expect(pod.containers[0].resources.limits).toEqual({
      cpu: '0.5',
      memory: '16384Mi',
      'nvidia.com/gpu': '2',
    });
  });

  it('rejects, in the schema check, a field the API server would not know', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'x' },
      spec: { template: { spec: { containers: [{ name: 'run', image: 'i', gpus: 1 }] } } },
    };
    expect(() => assertValidKubeObject(job)).toThrow(/spec\.template\.spec\.containers\[0\]\.gpus/);
    const badEnum = {
      ...job,
      spec: { template: { spec: { restartPolicy: 'Sometimes', containers: [] } } },
    };
    expect(() => assertValidKubeObject(badEnum)).toThrow();
  });

  it('mounts a configured PersistentVolumeClaim for outputs, one subPath per Job', async () => {
    await k.startRuntime({ outputClaimName: 'kiln-outputs' });
    const { jobName } = await k.launched();
    const pod = k.api.job(NS, jobName)!.spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'kiln-output', persistentVolumeClaim: { claimName: 'kiln-outputs' } },
    ]);
    expect(pod.containers[0].volumeMounts[0]).toEqual({
      name: 'kiln-output',
      mountPath: '/kiln/output',
      subPath: jobName,
    });
    assertValidKubeObject(k.api.requests.find((r) => r.method === 'POST')!.body);
  });
});
