// A KubernetesBatchRuntime against a fake API server that speaks the Kubernetes wire
// format (the runtime's real client-node clients, watches and log streams, no cluster),
// fresh for each test, with the helpers the kubernetes-runtime-* suites drive it with.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { waitUntil } from '../../src/common/wait-until';
import type { KilnConfig } from '../../src/config/kiln.config';
import { KubernetesRuntimeConfig } from '../../src/config/sections/kubernetes-runtime.config';
import type { LeaderLock } from '../../src/infra/lock/leader-lock.port';
import type { RunHandle, RunSpec, RunStatus } from '../../src/modules/runtimes/batch-runtime.port';
import type { MetricPoint, RunReporter } from '../../src/modules/runtimes/run-reporter.port';
import { KubernetesBatchRuntime } from '../../src/modules/runtimes/kubernetes/kubernetes-batch-runtime';
import { FakeKubeApi } from './fake-kube-api/fake-kube-api';

export const NS = 'kiln';

let taskSeq = 0;
export function makeSpec(overrides: Partial<RunSpec> = {}): RunSpec {
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

/** The default settings of config/default.yaml with these overrides, validated. */
export function settingsFor(overrides: Record<string, unknown>): KubernetesRuntimeConfig {
  const yaml = parseYaml(readFileSync(resolve(__dirname, '../../config/default.yaml'), 'utf8'));
  const settings = plainToInstance(KubernetesRuntimeConfig, {
    ...yaml.runtimes.kubernetes,
    ...overrides,
  });
  const errors = validateSync(settings, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new Error(`bad test settings: ${JSON.stringify(errors)}`);
  return settings;
}

export const GPU_QUEUE = {
  namespace: 'training',
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  serviceAccountName: 'trainer',
  imagePullSecrets: ['registry-cred'],
  priorityClassName: 'training-high',
};

export const metric = (step: number) =>
  `KILN_METRIC {"name":"loss","step":${step},"value":${1 / step}}`;

export type RecordingReporter = ReturnType<typeof makeReporter>;

export function makeReporter() {
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

/** A leader lock the test hands leadership to and takes it from. */
export function makeLock(isLeader: boolean) {
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

export class KubernetesRuntimeHarness {
  api!: FakeKubeApi;
  runtime!: KubernetesBatchRuntime;
  reporter!: RecordingReporter;

  async setUp(): Promise<void> {
    this.api = new FakeKubeApi();
    await this.api.start();
    this.reporter = makeReporter();
    await this.startRuntime();
  }

  async tearDown(): Promise<void> {
    await this.runtime.onModuleDestroy();
    await this.api.stop();
  }

  makeRuntime(overrides: Record<string, unknown> = {}, lock?: LeaderLock): KubernetesBatchRuntime {
    const kubernetes = settingsFor({
      kubeconfigPath: this.api.writeKubeconfig(),
      imagePullGraceSeconds: 60,
      queues: { gpu: GPU_QUEUE },
      ...overrides,
    });
    const config = { runtimes: { kubernetes } } as unknown as KilnConfig;
    return new KubernetesBatchRuntime(config, this.reporter.reporter, lock);
  }

  /** Replaces the runtime with a new one, as a restarted Kiln process would. */
  async startRuntime(
    overrides: Record<string, unknown> = {},
    lock?: LeaderLock,
  ): Promise<KubernetesBatchRuntime> {
    await this.runtime?.onModuleDestroy();
    this.runtime = this.makeRuntime(overrides, lock);
    return this.runtime;
  }

  /** Like the tasks module: remembers the points it was given, as the database would. */
  rememberStoredPoints() {
    const stored = this.reporter.metrics;
    const lastReportedAt = jest.fn(async (run: { taskId: string; attempt: number }) => {
      const times = stored
        .filter((m) => m.run.taskId === run.taskId && m.run.attempt === run.attempt)
        .map((m) => m.point.time.getTime());
      return times.length > 0 ? new Date(Math.max(...times)) : undefined;
    });
    this.reporter.reporter.lastReportedAt = lastReportedAt;
    return lastReportedAt;
  }

  /**
   * A stored point keeps the milliseconds of its line's timestamp, so a reader skips
   * the rest of that millisecond; the fake stamps lines with the clock, so let it move on.
   */
  async clockPassesStoredPoints(): Promise<void> {
    const newest = Math.max(...this.reporter.metrics.map((m) => m.point.time.getTime()));
    expect((await waitUntil(() => Date.now() > newest, { timeoutMs: 1000 })).satisfied).toBe(true);
  }

  async statusBecomes(
    handle: RunHandle,
    state: RunStatus['state'],
    reason = /.*/,
  ): Promise<RunStatus> {
    let status: RunStatus | undefined;
    const result = await waitUntil(
      async () => {
        status = await this.runtime.inspect(handle);
        return status.state === state && reason.test(('reason' in status && status.reason) || '');
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    if (!result.satisfied) throw new Error(`expected ${state}, last ${JSON.stringify(status)}`);
    return status!;
  }

  async reported(condition: () => boolean): Promise<boolean> {
    return (await waitUntil(condition, { timeoutMs: 5000 })).satisfied;
  }

  stepsReported() {
    return this.reporter.metrics.map((m) => m.point.step);
  }

  /** Ends the run and waits until its follower has read the log to the end. */
  async finishRun(handle: RunHandle, jobName: string): Promise<void> {
    this.api.succeeded(NS, jobName);
    this.api.finishLog(NS, jobName);
    await this.statusBecomes(handle, 'succeeded');
    expect(await this.reported(() => this.runtime.logFollowerCount === 0)).toBe(true);
  }

  logReads(jobName: string) {
    return this.api.requestsTo('GET', new RegExp(`/pods/${jobName}-[^/]+/log$`));
  }

  async launched(spec = makeSpec()) {
    const handle = await this.runtime.launch(spec);
    const jobName = handle.id.split('/')[1];
    return { spec, handle, jobName, namespace: handle.id.split('/')[0] };
  }

  /** Waits until inspect() is answered from the watch, i.e. without any GET of the Job. */
  async watchHasSeen(handle: RunHandle, jobName: string): Promise<void> {
    const jobReads = () => this.api.requestsTo('GET', new RegExp(`/jobs/${jobName}$`)).length;
    const result = await waitUntil(
      async () => {
        const before = jobReads();
        await this.runtime.inspect(handle);
        return jobReads() === before;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(result.satisfied).toBe(true);
  }
}

/** A fresh fake API server and runtime for each test of the calling describe block. */
export function useKubernetesRuntime(): KubernetesRuntimeHarness {
  const harness = new KubernetesRuntimeHarness();
  beforeEach(() => harness.setUp());
  afterEach(() => harness.tearDown());
  return harness;
}
