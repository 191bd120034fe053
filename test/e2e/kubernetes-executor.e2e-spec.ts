// The Kubernetes executor against a fake API server that speaks the Kubernetes wire
// format: the executor's real client-node clients, watches and log streams, no cluster.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { waitUntil } from '../../src/common/wait-until';
import { Global, Module, OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { KilnConfig } from '../../src/config/kiln.config';
import { KubernetesRuntimeConfig } from '../../src/config/sections/kubernetes-runtime.config';
import type { LeaderLock } from '../../src/infra/lock/leader-lock.port';
import { RunHandle, RunSpec, RunStatus } from '../../src/modules/runtimes/batch-runtime.port';
import type { MetricPoint, RunReporter } from '../../src/modules/runtimes/run-reporter.port';
import { RunReporterModule } from '../../src/modules/runtimes/run-reporter.module';
import { RunReporterRelay } from '../../src/modules/runtimes/run-reporter.relay';
import { KubernetesRuntimeModule } from '../../src/modules/runtimes/kubernetes/kubernetes-runtime.module';
import { KubernetesBatchRuntime } from '../../src/modules/runtimes/kubernetes/kubernetes-batch-runtime';
import { FakeKubeApi } from '../support/fake-kube-api/fake-kube-api';
import { assertValidKubeObject } from '../support/fake-kube-api/kube-schema';

const NS = 'kiln';

let taskSeq = 0;
function makeSpec(overrides: Partial<RunSpec> = {}): RunSpec {
  taskSeq++;
  return {
    taskId: `0b5c6f1e-7c1a-4f3e-9a55-${String(taskSeq).padStart(12, '0')}`,
    attempt: 1,
    queue: 'default',
    command: ['python', 'train.py', '--epochs', '3'],
    image: 'registry.example.com/team/trainer:1.2.3',
    env: { KILN_TASK_ID: 'x', KILN_RUN_TOKEN: 'run-token-secret', KILN_API_URL: 'http://kiln' },
    hyperparameters: { lr: 0.01 },
    resources: { cpu: 2, memoryMiB: 4096, gpu: 0 },
    timeoutSeconds: 3600,
    ...overrides,
  };
}

function settingsFor(overrides: Record<string, unknown>): KubernetesRuntimeConfig {
  const yaml = parseYaml(readFileSync(resolve(__dirname, '../../config/default.yaml'), 'utf8'));
  const settings = plainToInstance(KubernetesRuntimeConfig, {
    ...yaml.executors.kubernetes,
    ...overrides,
  });
  const errors = validateSync(settings, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new Error(`bad test settings: ${JSON.stringify(errors)}`);
  return settings;
}

const GPU_QUEUE = {
  namespace: 'training',
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  serviceAccountName: 'trainer',
  imagePullSecrets: ['registry-cred'],
  priorityClassName: 'training-high',
};

describe('KubernetesBatchRuntime against a fake API server', () => {
  let api: FakeKubeApi;
  let executor: KubernetesBatchRuntime;
  let reporter: ReturnType<typeof makeReporter>;

  function makeReporter() {
    const metrics: Array<{ run: { taskId: string; attempt: number }; point: MetricPoint }> = [];
    const progress: Array<{ run: { taskId: string; attempt: number }; fraction: number }> = [];
    const ended: Array<{ taskId: string; attempt: number }> = [];
    const reporter: RunReporter = {
      metric: (run, point) => metrics.push({ run, point }),
      progress: (run, fraction) => progress.push({ run, fraction }),
      ended: (run) => ended.push(run),
    };
    return { reporter, metrics, progress, ended };
  }

  function makeExecutor(overrides: Record<string, unknown> = {}, lock?: LeaderLock) {
    const kubernetes = settingsFor({
      kubeconfigPath: api.writeKubeconfig(),
      imagePullGraceSeconds: 60,
      queues: { gpu: GPU_QUEUE },
      ...overrides,
    });
    const config = { executors: { kubernetes } } as unknown as KilnConfig;
    return new KubernetesBatchRuntime(config, reporter.reporter, lock);
  }

  async function startExecutor(
    overrides: Record<string, unknown> = {},
    lock?: LeaderLock,
  ): Promise<KubernetesBatchRuntime> {
    await executor?.onModuleDestroy();
    executor = makeExecutor(overrides, lock);
    return executor;
  }

  /** Like the tasks module: remembers the points it was given, as the database would. */
  function rememberStoredPoints() {
    const stored = reporter.metrics;
    const lastReportedAt = jest.fn(async (run: { taskId: string; attempt: number }) => {
      const times = stored
        .filter((m) => m.run.taskId === run.taskId && m.run.attempt === run.attempt)
        .map((m) => m.point.time.getTime());
      return times.length > 0 ? new Date(Math.max(...times)) : undefined;
    });
    reporter.reporter.lastReportedAt = lastReportedAt;
    return lastReportedAt;
  }

  /**
   * A stored point keeps the milliseconds of its line's timestamp, so a reader skips
   * the rest of that millisecond; the fake stamps lines with the clock, so let it move on.
   */
  async function clockPassesStoredPoints(): Promise<void> {
    const newest = Math.max(...reporter.metrics.map((m) => m.point.time.getTime()));
    expect((await waitUntil(() => Date.now() > newest, { timeoutMs: 1000 })).satisfied).toBe(true);
  }

  async function statusBecomes(
    handle: RunHandle,
    state: RunStatus['state'],
    reason = /.*/,
  ): Promise<RunStatus> {
    let status: RunStatus | undefined;
    const result = await waitUntil(
      async () => {
        status = await executor.inspect(handle);
        return status.state === state && reason.test(('reason' in status && status.reason) || '');
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    if (!result.satisfied) throw new Error(`expected ${state}, last ${JSON.stringify(status)}`);
    return status!;
  }

  const reported = async (condition: () => boolean) =>
    (await waitUntil(condition, { timeoutMs: 5000 })).satisfied;

  const metric = (step: number) => `KILN_METRIC {"name":"loss","step":${step},"value":${1 / step}}`;

  const stepsReported = () => reporter.metrics.map((m) => m.point.step);

  /** Ends the run and waits until its follower has read the log to the end. */
  async function finishRun(handle: RunHandle, jobName: string): Promise<void> {
    api.succeeded(NS, jobName);
    api.finishLog(NS, jobName);
    await statusBecomes(handle, 'succeeded');
    expect(await reported(() => executor.logFollowerCount === 0)).toBe(true);
  }

  const logReads = (jobName: string) =>
    api.requestsTo('GET', new RegExp(`/pods/${jobName}-[^/]+/log$`));

  async function launched(spec = makeSpec()) {
    const handle = await executor.launch(spec);
    const jobName = handle.id.split('/')[1];
    return { spec, handle, jobName, namespace: handle.id.split('/')[0] };
  }

  /** Waits until inspect() is answered from the watch, i.e. without any GET of the Job. */
  async function watchHasSeen(handle: RunHandle, jobName: string): Promise<void> {
    const result = await waitUntil(
      async () => {
        const before = api.requestsTo('GET', new RegExp(`/jobs/${jobName}$`)).length;
        await executor.inspect(handle);
        return api.requestsTo('GET', new RegExp(`/jobs/${jobName}$`)).length === before;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(result.satisfied).toBe(true);
  }

  function makeLock(isLeader: boolean) {
    const listeners = new Set<(isLeader: boolean) => void>();
    const lock = {
      isLeader,
      term: undefined,
      onChange(listener: (isLeader: boolean) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      set(leader: boolean) {
        lock.isLeader = leader;
        for (const listener of listeners) listener(leader);
      },
    };
    return lock;
  }

  beforeEach(async () => {
    api = new FakeKubeApi();
    await api.start();
    reporter = makeReporter();
    await startExecutor();
  });

  afterEach(async () => {
    await executor.onModuleDestroy();
    await api.stop();
  });

  it('runs an attempt as one Job and reports running, then succeeded', async () => {
    const { handle, jobName } = await launched();
    expect(handle).toEqual({ executor: 'kubernetes', id: `${NS}/${jobName}` });
    expect(jobName).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect((await executor.inspect(handle)).state).toBe('pending');

    api.running(NS, jobName);
    await statusBecomes(handle, 'running');
    api.succeeded(NS, jobName);
    expect(await statusBecomes(handle, 'succeeded')).toEqual({ state: 'succeeded', exitCode: 0 });
  });

  it('tells the reporter once when the watch sees a run end', async () => {
    const { spec, handle, jobName } = await launched();
    await watchHasSeen(handle, jobName);
    api.running(NS, jobName);
    api.failed(NS, jobName, 1);
    const told = await waitUntil(() => reporter.ended.length > 0, { timeoutMs: 5000 });
    expect(told.satisfied).toBe(true);
    api.disconnectWatches(); // the resumed watch may deliver the same state again
    await executor.stop(handle, 0);
    await waitUntil(() => api.openWatchCount() > 0, { timeoutMs: 5000 });
    expect(reporter.ended).toEqual([{ taskId: spec.taskId, attempt: 1 }]);
  });

  it('builds the Job Kiln owns retries and deadlines of', async () => {
    const { spec, jobName } = await launched(
      makeSpec({ shell: true, command: ['echo hi && train'] }),
    );
    const job = api.job(NS, jobName)!;
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
    const { jobName } = await launched();
    const pod = api.job(NS, jobName)!.spec.template.spec;

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
    const { jobName } = await launched();
    const job = api.job(NS, jobName)!;
    const env = job.spec.template.spec.containers[0].env as Array<Record<string, unknown>>;
    expect(JSON.stringify(job)).not.toContain('run-token-secret');
    expect(env).toContainEqual({
      name: 'KILN_RUN_TOKEN',
      valueFrom: { secretKeyRef: { name: jobName, key: 'KILN_RUN_TOKEN' } },
    });
    const secret = api.secret(NS, jobName)!;
    expect(secret.stringData).toEqual({ KILN_RUN_TOKEN: 'run-token-secret' });
    expect(secret.metadata.ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'Job', name: jobName, uid: job.metadata.uid },
    ]);
  });

  it('reports a failed run with its exit code', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    api.failed(NS, jobName, 3);
    const status = await statusBecomes(handle, 'failed');
    expect(status).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(status.state === 'failed' && status.reason).toMatch(/exited with code 3/);
  });

  it('names OOMKilled as the reason a run that ran out of memory failed', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    api.oomKilled(NS, jobName);
    const status = await statusBecomes(handle, 'failed');
    expect(status).toMatchObject({ state: 'failed', exitCode: 137 });
    expect(status.state === 'failed' && status.reason).toMatch(/OOMKilled/);
  });

  it('fails a run whose image cannot be pulled once the grace has passed, not before', async () => {
    const { spec, handle, jobName } = await launched();
    api.imagePullBackOff(NS, jobName, 10);
    await statusBecomes(handle, 'pending', /ImagePullBackOff/);

    api.imagePullBackOff(NS, jobName, 61);
    const status = await statusBecomes(handle, 'failed');
    expect(status).toMatchObject({ state: 'failed', retryable: false });
    expect(status.state === 'failed' && status.reason).toContain(spec.image);
  });

  it('reports a Job past its activeDeadlineSeconds as timed out', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    api.deadlineExceeded(NS, jobName);
    expect(await statusBecomes(handle, 'timed_out')).toMatchObject({ state: 'timed_out' });
  });

  it('reports a run whose pod was evicted as lost, even though its Job failed', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    api.evicted(NS, jobName);
    const status = await statusBecomes(handle, 'lost');
    expect(status.state === 'lost' && status.reason).toMatch(/evicted/);
  });

  it('stops a run by deleting its Job with Background propagation and its Secret', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    await executor.stop(handle, 1000);

    const deletes = api.requestsTo('DELETE', new RegExp(`/jobs/${jobName}$`));
    expect(deletes).toHaveLength(1);
    const policy = deletes[0].query.propagationPolicy ?? deletes[0].body?.propagationPolicy;
    expect(policy).toBe('Background');
    expect(api.job(NS, jobName)).toBeUndefined();
    expect(api.secret(NS, jobName)).toBeUndefined();
    await expect(executor.stop(handle, 1000)).resolves.toBeUndefined(); // 404 is success
    expect(await statusBecomes(handle, 'lost')).toMatchObject({ state: 'lost' });
  });

  it('launches a repeated attempt only once: a 409 returns the same handle', async () => {
    const spec = makeSpec();
    const first = await executor.launch(spec);
    const [second, third] = await Promise.all([executor.launch(spec), executor.launch(spec)]);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(api.jobs()).toHaveLength(1);
    expect(api.requestsTo('POST', /\/jobs$/)).toHaveLength(3);
  });

  it('finds the Job of an attempt by its name, and nothing for an attempt never launched', async () => {
    const spec = makeSpec();
    const handle = await executor.launch(spec);
    await expect(executor.find(spec)).resolves.toEqual(handle);
    await expect(executor.find({ ...spec, attempt: 2 })).resolves.toBeUndefined();
  });

  it('resumes a dropped watch from the last resourceVersion it saw, without listing again', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    await statusBecomes(handle, 'running');
    await watchHasSeen(handle, jobName);
    const lastSeen = Number(api.job(NS, jobName)!.metadata.resourceVersion);
    const lists = api.requestsTo('GET', /\/jobs$/).filter((r) => r.query.watch !== 'true').length;
    const watchesBefore = api.requestsTo('GET', /\/jobs$/).length;

    api.disconnectWatches();
    api.succeeded(NS, jobName);
    await statusBecomes(handle, 'succeeded');

    const rewatches = api
      .requestsTo('GET', /\/jobs$/)
      .slice(watchesBefore)
      .filter((r) => r.query.watch === 'true');
    expect(rewatches.length).toBeGreaterThan(0);
    expect(Number(rewatches[0].query.resourceVersion)).toBeGreaterThanOrEqual(lastSeen);
    expect(api.requestsTo('GET', /\/jobs$/).filter((r) => r.query.watch !== 'true')).toHaveLength(
      lists,
    );
    expect(api.requestsTo('GET', new RegExp(`/jobs/${jobName}$`)).length).toBe(0);
  });

  it.each(['status', 'event'] as const)(
    'lists again when the resourceVersion has expired (410 Gone as %s)',
    async (as) => {
      const { handle, jobName } = await launched();
      api.running(NS, jobName);
      await statusBecomes(handle, 'running');
      await watchHasSeen(handle, jobName);
      const lists = () =>
        api.requestsTo('GET', /\/jobs$/).filter((r) => r.query.watch !== 'true').length;
      const listsBefore = lists();

      api.expireResourceVersions(as);
      api.succeeded(NS, jobName);
      const relisted = await waitUntil(() => lists() > listsBefore, { timeoutMs: 5000 });
      expect(relisted.satisfied).toBe(true);
      await statusBecomes(handle, 'succeeded');
      await watchHasSeen(handle, jobName);
    },
  );

  it('answers inspect() with a GET when the watch has not seen the Job', async () => {
    const handle = { executor: 'kubernetes', id: `${NS}/kiln-never-launched-1` };
    expect(await executor.inspect(handle)).toMatchObject({ state: 'lost' });
    expect(api.requestsTo('GET', /\/jobs\/kiln-never-launched-1$/)).toHaveLength(1);
  });

  it('retries API calls that fail with 429 or 5xx', async () => {
    api.failNext(1, 503, (r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    api.failNext(1, 429, (r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    const { jobName } = await launched();
    expect(api.requestsTo('POST', /\/jobs$/)).toHaveLength(3);
    expect(api.job(NS, jobName)).toBeDefined();
  });

  it('collects metric and progress lines of a running pod that no one reads the log of', async () => {
    const { spec, handle, jobName } = await launched();
    api.running(NS, jobName);
    api.appendLog(NS, jobName, 'epoch 1', metric(10), 'KILN_PROGRESS 0.5');
    await statusBecomes(handle, 'running');
    expect(await reported(() => reporter.progress.length === 1)).toBe(true);
    api.appendLog(NS, jobName, metric(20), 'KILN_PROGRESS 1');
    expect(await reported(() => reporter.progress.length === 2)).toBe(true);
    await finishRun(handle, jobName);

    const run = { taskId: spec.taskId, attempt: 1 };
    expect(reporter.metrics).toEqual([
      { run, point: { name: 'loss', step: 10, value: 0.1, time: expect.any(Date) } },
      { run, point: { name: 'loss', step: 20, value: 0.05, time: expect.any(Date) } },
    ]);
    expect(reporter.progress).toEqual([
      { run, fraction: 0.5 },
      { run, fraction: 1 },
    ]);
    // the point's time is the kubelet's timestamp of the line, not when Kiln read it
    const [first, second] = reporter.metrics.map((m) => m.point.time.getTime());
    expect(second).toBeGreaterThanOrEqual(first);
    expect(Date.now() - first).toBeLessThan(60_000);
  });

  it('hands each point on once, however many users follow the log', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    await statusBecomes(handle, 'running');
    const readers = [[], []].map((lines: string[]) => ({
      lines,
      done: (async () => {
        for await (const line of executor.logs(handle, { follow: true })) lines.push(line);
      })(),
    }));
    expect(await reported(() => api.openLogFollowerCount() === 3)).toBe(true);
    api.appendLog(NS, jobName, metric(1), 'KILN_PROGRESS 0.3');
    expect(await reported(() => readers.every((r) => r.lines.length === 2))).toBe(true);
    await finishRun(handle, jobName);
    await Promise.all(readers.map((r) => r.done));

    expect(stepsReported()).toEqual([1]);
    expect(reporter.progress.map((p) => p.fraction)).toEqual([0.3]);
    for (const reader of readers) expect(reader.lines).toEqual([metric(1), 'KILN_PROGRESS 0.3']);
  });

  it('resumes a dropped log from where it stopped, losing and repeating nothing', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    api.appendLog(NS, jobName, metric(1), metric(2));
    await statusBecomes(handle, 'running');
    expect(await reported(() => reporter.metrics.length === 2)).toBe(true);

    api.disconnectLogFollowers();
    api.appendLog(NS, jobName, metric(3), metric(4));
    expect(await reported(() => reporter.metrics.length >= 4)).toBe(true);
    api.disconnectLogFollowers();
    api.appendLog(NS, jobName, metric(5));
    await finishRun(handle, jobName);

    expect(stepsReported()).toEqual([1, 2, 3, 4, 5]);
    const [first, ...resumed] = logReads(jobName);
    expect(first.query).toMatchObject({ follow: 'true', timestamps: 'true' });
    expect(first.query.sinceTime).toBeUndefined();
    expect(resumed.length).toBeGreaterThanOrEqual(2); // one after each drop, at least
    for (const read of resumed) {
      expect(read.query.sinceTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it('follows at most maxLogFollowers logs at once and picks the others up as slots free', async () => {
    await startExecutor({ maxLogFollowers: 1 });
    const one = await launched();
    const two = await launched();
    for (const run of [one, two]) {
      api.running(NS, run.jobName);
      api.appendLog(NS, run.jobName, metric(run === one ? 1 : 2));
    }
    await statusBecomes(one.handle, 'running');
    expect(await reported(() => reporter.metrics.length === 1)).toBe(true);
    await statusBecomes(two.handle, 'running');
    expect(executor.logFollowerCount).toBe(1);
    expect(logReads(two.jobName)).toHaveLength(0);

    await finishRun(one.handle, one.jobName);
    await statusBecomes(two.handle, 'running');
    expect(await reported(() => reporter.metrics.length === 2)).toBe(true);
    expect(stepsReported()).toEqual([1, 2]);
  });

  it('collects only while this process leads, resuming where it stopped when it leads again', async () => {
    const lock = makeLock(false);
    await startExecutor({}, lock);
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    api.appendLog(NS, jobName, metric(1));
    await statusBecomes(handle, 'running');
    expect(executor.logFollowerCount).toBe(0);
    expect(logReads(jobName)).toHaveLength(0);

    lock.set(true);
    await statusBecomes(handle, 'running');
    expect(await reported(() => reporter.metrics.length === 1)).toBe(true);
    lock.set(false);
    expect(executor.logFollowerCount).toBe(0);
    expect(await reported(() => api.openLogFollowerCount() === 0)).toBe(true);
    api.appendLog(NS, jobName, metric(2));

    lock.set(true);
    await statusBecomes(handle, 'running');
    await finishRun(handle, jobName);
    expect(stepsReported()).toEqual([1, 2]);
  });

  it('a new leader (or restarted Kiln) resumes after the points already stored, storing none twice', async () => {
    const lastReportedAt = rememberStoredPoints();
    const { spec, handle, jobName } = await launched();
    api.running(NS, jobName);
    api.appendLog(NS, jobName, metric(1), 'KILN_PROGRESS 0.5', metric(2));
    await statusBecomes(handle, 'running');
    expect(await reported(() => reporter.metrics.length === 2)).toBe(true);
    const storedThrough = reporter.metrics[1].point.time;
    const readsBefore = logReads(jobName).length;

    await startExecutor(); // a new process: no checkpoint of this log
    await clockPassesStoredPoints();
    api.appendLog(NS, jobName, metric(3), 'KILN_PROGRESS 0.9', metric(4));
    await statusBecomes(handle, 'running');
    expect(await reported(() => reporter.metrics.length >= 4)).toBe(true);
    await finishRun(handle, jobName);

    expect(stepsReported()).toEqual([1, 2, 3, 4]);
    expect(reporter.progress.map((p) => p.fraction)).toEqual([0.5, 0.9]);
    expect(lastReportedAt).toHaveBeenCalledWith({ taskId: spec.taskId, attempt: 1 });
    // it did not read the log from the top: only from the second of the newest point
    const resumed = logReads(jobName).slice(readsBefore);
    expect(resumed[0].query.sinceTime).toBe(`${storedThrough.toISOString().slice(0, 19)}Z`);
  });

  it('a leader that leads again skips what the leader in between stored', async () => {
    rememberStoredPoints();
    const [lockA, lockB] = [makeLock(true), makeLock(false)];
    await startExecutor({}, lockA);
    const other = makeExecutor({}, lockB);
    try {
      const { handle, jobName } = await launched();
      api.running(NS, jobName);
      api.appendLog(NS, jobName, metric(1));
      await statusBecomes(handle, 'running');
      expect(await reported(() => reporter.metrics.length === 1)).toBe(true);

      lockA.set(false);
      lockB.set(true);
      await clockPassesStoredPoints();
      api.appendLog(NS, jobName, metric(2));
      expect((await other.inspect(handle)).state).toBe('running');
      expect(await reported(() => reporter.metrics.length === 2)).toBe(true);

      lockB.set(false);
      expect(await reported(() => api.openLogFollowerCount() === 0)).toBe(true);
      lockA.set(true); // its own checkpoint still ends at step 1
      await clockPassesStoredPoints();
      api.appendLog(NS, jobName, metric(3));
      await statusBecomes(handle, 'running');
      await finishRun(handle, jobName);
      expect(stepsReported()).toEqual([1, 2, 3]);
    } finally {
      await other.onModuleDestroy();
    }
  });

  it('stops following logs when the app shuts down', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    await statusBecomes(handle, 'running');
    expect(await reported(() => api.openLogFollowerCount() === 1)).toBe(true);
    await executor.onModuleDestroy();
    expect(executor.logFollowerCount).toBe(0);
    expect(await reported(() => api.openLogFollowerCount() === 0)).toBe(true);
  });

  it('reads a finished log from a line on, and stops following when the signal aborts', async () => {
    const { handle, jobName } = await launched();
    api.running(NS, jobName);
    api.appendLog(NS, jobName, 'one', 'two', 'three');
    const tail: string[] = [];
    for await (const line of executor.logs(handle, { sinceLine: 1 })) tail.push(line);
    expect(tail).toEqual(['two', 'three']);

    const controller = new AbortController();
    const followed: string[] = [];
    const done = (async () => {
      for await (const line of executor.logs(handle, { follow: true, signal: controller.signal })) {
        followed.push(line);
      }
    })();
    expect((await waitUntil(() => followed.length === 3, { timeoutMs: 5000 })).satisfied).toBe(
      true,
    );
    controller.abort();
    await done;
    expect(reporter.metrics).toEqual([]);
  });

  it('sends only objects the Kubernetes schema accepts, with GPUs and the queue pod template', async () => {
    const { jobName } = await launched(
      makeSpec({ queue: 'gpu', resources: { cpu: 0.5, memoryMiB: 16384, gpu: 2 } }),
    );
    const sent = api.requests.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(sent.map((o) => o.kind)).toEqual(['Job', 'Secret']);
    for (const object of sent) assertValidKubeObject(object);

    const job = api.job('training', jobName)!;
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
    await startExecutor({ outputClaimName: 'kiln-outputs' });
    const { jobName } = await launched();
    const pod = api.job(NS, jobName)!.spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'kiln-output', persistentVolumeClaim: { claimName: 'kiln-outputs' } },
    ]);
    expect(pod.containers[0].volumeMounts[0]).toEqual({
      name: 'kiln-output',
      mountPath: '/kiln/output',
      subPath: jobName,
    });
    assertValidKubeObject(api.requests.find((r) => r.method === 'POST')!.body);
  });

  it('reports to the reporter another module connects when wired by Nest', async () => {
    const kubernetes = settingsFor({ kubeconfigPath: api.writeKubeconfig() });
    @Global()
    @Module({
      providers: [{ provide: KilnConfig, useValue: { executors: { kubernetes } } }],
      exports: [KilnConfig],
    })
    class HostModule {}
    @Module({ imports: [KubernetesRuntimeModule, RunReporterModule] })
    class ConsumerModule implements OnModuleInit {
      constructor(private readonly relay: RunReporterRelay) {}

      onModuleInit(): void {
        this.relay.connect(reporter.reporter);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [HostModule, ConsumerModule],
    }).compile();
    await moduleRef.init();
    const wired = moduleRef.get(KubernetesBatchRuntime);
    const handle = await wired.launch(makeSpec());
    const name = handle.id.split('/')[1];
    api.running(NS, name);
    api.appendLog(NS, name, 'KILN_PROGRESS 0.25');
    const statusRunning = await waitUntil(
      async () => (await wired.inspect(handle)).state === 'running',
      { timeoutMs: 5000 },
    );
    expect(statusRunning.satisfied).toBe(true);
    expect(await reported(() => reporter.progress.length === 1)).toBe(true);
    expect(reporter.progress).toEqual([{ run: expect.anything(), fraction: 0.25 }]);
    await moduleRef.close();
    expect(wired.logFollowerCount).toBe(0);
  });

  it('constructs without a cluster and talks to none until used', async () => {
    const config = {
      executors: { kubernetes: settingsFor({ kubeconfigPath: '' }) },
    } as unknown as KilnConfig;
    const idle = new KubernetesBatchRuntime(config);
    expect(idle.name).toBe('kubernetes');
    await idle.onModuleDestroy();
  });
});
