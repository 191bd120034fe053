// Runs each attempt as a batch/v1 Job; see run-job.builder.ts for what the Job holds.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type { V1Job, V1Pod, V1Secret } from '@kubernetes/client-node';
import { DNS_LABEL } from '../../../common/validation/dns-label';
import { messageOf } from '../../../common/errors/message-of';
import { waitUntil } from '../../../common/wait-until';
import { KilnConfig } from '../../../config/kiln.config';
import { LEADER_LOCK, LeaderLock } from '../../../infra/lock/leader-lock.port';
import type { KubernetesRuntimeConfig } from '../../../config/sections/kubernetes-runtime.config';
import {
  BatchRuntime,
  LogOptions,
  RunHandle,
  RunLocator,
  RunRequest,
  RunSpec,
  RunStatus,
} from '../batch-runtime.port';
import type { FieldProblem } from '../../../common/errors/domain-error';
import type { RunReporter } from '../run-reporter.port';
import { RunReporterRelay } from '../run-reporter.relay';
import { parseReportLine } from '../report-line.parser';
import { ConcurrencyLimit } from '../../../common/concurrency/concurrency-limit';
import { KubeApiGateway } from './cluster/kube-api.gateway';
import { createKubeClients } from './cluster/kube-clients';
import { isAlreadyExists, isNotFound } from './cluster/kube-api-error';
import { podLogLines } from './cluster/pod-log.stream';
import { ReportLogFollower } from './report-log-follower';
import { ReportLogFollowers } from './report-log-followers';
import {
  RUN_CONTAINER,
  RunObjectsContext,
  buildRunJob,
  buildRunSecret,
  needsSecret,
} from './run-job.builder';
import {
  LABEL_ATTEMPT,
  LABEL_JOB_NAME,
  LABEL_TASK_ID,
  handleIdOf,
  jobNameFor,
  parseHandleId,
} from './run-identity';
import { toRunStatus } from './run-status.mapper';
import { ObservedRun, RunWatcher } from './run-watcher';

export const KUBERNETES_RUNTIME = 'kubernetes';

const LOG_POD_POLL_MS = 250;

@Injectable()
export class KubernetesBatchRuntime implements BatchRuntime, OnModuleDestroy {
  readonly name = KUBERNETES_RUNTIME;
  /** Each run is its own pod, without Kiln's Secret or a service-account token. */
  readonly isolatesRuns = true;
  private readonly logger = new Logger(KubernetesBatchRuntime.name);
  private readonly settings: KubernetesRuntimeConfig;
  private readonly limit: ConcurrencyLimit;
  private connection: { api: KubeApiGateway; watcher: RunWatcher } | undefined;
  private readonly endedJobs = new Set<string>();
  private readonly followers: ReportLogFollowers;
  private readonly stopWatchingLeadership: () => void;

  constructor(
    @Inject(KilnConfig) config: KilnConfig,
    @Inject(RunReporterRelay) private readonly reporter?: RunReporter,
    @Optional() @Inject(LEADER_LOCK) private readonly lock?: LeaderLock,
  ) {
    this.settings = config.runtimes.kubernetes;
    this.limit = new ConcurrencyLimit(this.settings.inspectConcurrency);
    this.followers = new ReportLogFollowers(this.settings.maxLogFollowers);
    this.stopWatchingLeadership =
      lock?.onChange((isLeader) => {
        if (!isLeader) void this.followers.stopAll();
      }) ?? (() => undefined);
  }

  /** Runs whose log this process follows right now for metric and progress lines. */
  get logFollowerCount(): number {
    return this.followers.size;
  }

  /** Each run is a container, so a task must name its image. */
  validate(request: RunRequest): FieldProblem[] {
    if (request.image) return [];
    return [{ field: 'image', message: 'is required: each run is a container of that image' }];
  }

  async launch(spec: RunSpec): Promise<RunHandle> {
    const context = this.contextOf(spec);
    const { api, watcher } = this.connect();
    watcher.watch(context.namespace);
    const job = await this.createJob(api, buildRunJob(spec, context));
    if (needsSecret(spec)) await this.createRunSecret(api, spec, context, job);
    this.logger.log(`launched Job ${context.namespace}/${context.jobName}`);
    return this.handleOf(context.namespace, context.jobName);
  }

  /** The same handle however the run is found: launched here, or adopted after a crash. */
  private handleOf(namespace: string, jobName: string): RunHandle {
    return {
      executor: this.name,
      id: handleIdOf(namespace, jobName),
      ...this.localOutputOf(jobName),
    };
  }

  /**
   * The run's subPath of the output claim as Kiln's own pods see it, when they mount the
   * claim: the API then lists and serves the run's artifacts and deploys its models.
   */
  private localOutputOf(jobName: string): { outputDir?: string } {
    const { outputClaimName, outputLocalPath } = this.settings;
    // a Job's name is a DNS label, so it names a directory right under the mount
    if (!outputClaimName || !outputLocalPath || !DNS_LABEL.test(jobName)) return {};
    return { outputDir: join(outputLocalPath, jobName) };
  }

  async inspect(handle: RunHandle): Promise<RunStatus> {
    const { namespace, jobName } = parseHandleId(handle.id);
    const { watcher } = this.connect();
    watcher.watch(namespace);
    const run = watcher.observed(namespace, jobName) ?? (await this.fetchRun(namespace, jobName));
    const status = toRunStatus(run?.job, run?.pods ?? [], {
      imagePullGraceSeconds: this.settings.imagePullGraceSeconds,
      now: new Date(),
    });
    if (run && status.state === 'running') this.collectReports(namespace, run);
    return status;
  }

  /**
   * Deletes the Job (and the attempt's Secret). The pod then gets its own
   * terminationGracePeriodSeconds to exit, not `graceMs`. A timeout needs no mark here:
   * the Job's activeDeadlineSeconds enforces it, and the Job reports it as its own.
   */
  async stop(handle: RunHandle, _graceMs: number): Promise<void> {
    const { namespace, jobName } = parseHandleId(handle.id);
    const { api } = this.connect();
    this.followers.forget(handleIdOf(namespace, jobName));
    await ignoreNotFound(api.deleteJob(namespace, jobName));
    await ignoreNotFound(api.deleteSecret(namespace, jobName));
  }

  /** The attempt's Job, found by the name every launch of the attempt gives it. */
  async find({ taskId, attempt, queue }: RunLocator): Promise<RunHandle | undefined> {
    const { namespace, jobName } = this.contextOf({ taskId, attempt, queue });
    const job = await this.limit.run(() =>
      ignoreNotFound(this.connect().api.readJob(namespace, jobName)),
    );
    return job ? this.handleOf(namespace, jobName) : undefined;
  }

  /** For readers only: metric and progress lines reach the reporter through collectReports. */
  async *logs(handle: RunHandle, options: LogOptions = {}): AsyncGenerator<string> {
    const { namespace, jobName } = parseHandleId(handle.id);
    const follow = Boolean(options.follow);
    const pod = await this.podWithLogs(handle, namespace, jobName, options);
    if (!pod?.metadata?.name) return;
    const target = { namespace, pod: pod.metadata.name, container: RUN_CONTAINER };
    const lines = podLogLines(this.connect().api, target, { follow, signal: options.signal });
    let lineNumber = 0;
    for await (const line of lines) {
      if (lineNumber++ >= (options.sinceLine ?? 0)) yield line;
    }
  }

  /** The pod (and with it the log) goes with the Job; outputs on a PVC stay. */
  async discard(handle: RunHandle): Promise<void> {
    await this.stop(handle, 0);
    // The Job's TTL never reaches the claim: the run's output goes here, found from the
    // Job's name rather than the stored path, so nothing outside the claim is removed.
    const { outputDir } = this.localOutputOf(parseHandleId(handle.id).jobName);
    if (outputDir) await rm(outputDir, { recursive: true, force: true });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopWatchingLeadership();
    this.connection?.watcher.stop();
    await this.followers.stopAll();
  }

  /**
   * Who collects a run's KILN_METRIC / KILN_PROGRESS lines: the leader, and only it.
   * Not the process that launched the Job: launches happen on any worker, workers come
   * and go, and no other replica could tell whether a worker still follows a log, so
   * "the launcher, or else the leader" would either double-collect or leave gaps. The
   * leader is unique by construction and its reconciler inspect()s every running run
   * each tick, so it starts a follower for a run within a tick of its pod running,
   * including after a restart; on losing leadership it stops them all at once.
   * Within one process each line is handed on exactly once (checkpoint + sinceTime).
   * Across processes (a new leader, a restarted Kiln) the checkpoint is gone, so each
   * follower first asks the reporter for the newest stored point's time, which is the
   * kubelet timestamp of its line, and starts after it. The store, not a checkpoint
   * shared in Redis, is the reference because it is what must not hold a point twice,
   * and it is there in every run mode. Users reading logs never report.
   */
  private collectReports(namespace: string, run: ObservedRun): void {
    if (this.lock && !this.lock.isLeader) return;
    const jobName = run.job.metadata?.name ?? '';
    const pod = run.pods.find(containerStarted)?.metadata?.name;
    const identity = runOf(run.job);
    if (!pod || !identity) return;
    const { api } = this.connect();
    const target = { namespace, pod, container: RUN_CONTAINER };
    const ended = () => this.containerEnded(namespace, jobName, pod);
    const report = (text: string, time: Date) => this.report(identity, text, time);
    const lastReportedAt = () => this.lastReportedAt(identity);
    this.followers.ensure(
      handleIdOf(namespace, jobName),
      (checkpoint) =>
        new ReportLogFollower({ api, target, ended, lastReportedAt }, checkpoint, report),
    );
  }

  private async containerEnded(namespace: string, jobName: string, podName: string) {
    const pods =
      this.connect().watcher.observed(namespace, jobName)?.pods ??
      (await this.listPods(namespace, jobName));
    const pod = pods.find((candidate) => candidate.metadata?.name === podName);
    return !pod || containerTerminated(pod);
  }

  private connect(): { api: KubeApiGateway; watcher: RunWatcher } {
    if (!this.connection) {
      const api = new KubeApiGateway(createKubeClients(this.settings));
      const watcher = new RunWatcher(api, (type, job) => this.tellIfEnded(type, job));
      this.connection = { api, watcher };
    }
    return this.connection;
  }

  private contextOf(spec: RunLocator): RunObjectsContext {
    const overrides = this.settings.queues?.get(spec.queue);
    return {
      namespace: overrides?.namespace ?? this.settings.namespace,
      jobName: jobNameFor(spec.taskId, spec.attempt),
      config: this.settings,
      overrides,
    };
  }

  /** A Job that already exists is the one an earlier launch of this attempt created. */
  private async createJob(api: KubeApiGateway, job: V1Job): Promise<V1Job> {
    const { namespace, name } = job.metadata as { namespace: string; name: string };
    try {
      return await api.createJob(namespace, job);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      return api.readJob(namespace, name);
    }
  }

  /**
   * The Secret with the run token, owned by the Job. When it cannot be made the launch
   * fails and its retry makes another Job: this one, whose pod waits for the Secret, is
   * deleted rather than left holding the cluster's resources.
   */
  private async createRunSecret(
    api: KubeApiGateway,
    spec: RunSpec,
    context: RunObjectsContext,
    job: V1Job,
  ): Promise<void> {
    const uid = job.metadata?.uid;
    if (!uid) throw new Error(`Job ${context.jobName} has no uid`);
    try {
      await this.createSecret(api, buildRunSecret(spec, context, { uid }));
    } catch (error) {
      await ignoreNotFound(api.deleteJob(context.namespace, context.jobName)).catch(
        (deleteError: unknown) =>
          this.logger.warn(`Could not delete Job ${context.jobName}: ${messageOf(deleteError)}`),
      );
      throw error;
    }
  }

  private async createSecret(api: KubeApiGateway, secret: V1Secret): Promise<void> {
    try {
      await api.createSecret(secret.metadata?.namespace ?? '', secret);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }

  /** The watch cannot vouch for this run (not synced yet, or it never saw it): ask. */
  private fetchRun(namespace: string, jobName: string): Promise<ObservedRun | undefined> {
    return this.limit.run(async () => {
      const job = await ignoreNotFound(this.connect().api.readJob(namespace, jobName));
      if (!job) return undefined;
      return { job, pods: await this.listPods(namespace, jobName) };
    });
  }

  private async listPods(namespace: string, jobName: string): Promise<V1Pod[]> {
    const list = await this.connect().api.listPods(namespace, `${LABEL_JOB_NAME}=${jobName}`);
    return list.items;
  }

  /**
   * The pod whose container has started. When following, waits for it until the run
   * ends without one (an image that never pulled) or the caller gives up.
   */
  private async podWithLogs(
    handle: RunHandle,
    namespace: string,
    jobName: string,
    options: LogOptions,
  ): Promise<V1Pod | undefined> {
    const find = async (fresh: boolean) => {
      const observed = this.connect().watcher.observed(namespace, jobName)?.pods;
      const started = observed?.find(containerStarted);
      if (started || (observed && !fresh)) return started;
      return (await this.listPods(namespace, jobName)).find(containerStarted);
    };
    // The watch may lag the pod by a moment; the first look asks the API server.
    let pod = await find(true);
    if (pod || !options.follow) return pod;
    await waitUntil(
      async () => {
        pod = await find(false);
        return pod !== undefined || isFinal(await this.inspect(handle));
      },
      { timeoutMs: Number.MAX_SAFE_INTEGER, intervalMs: LOG_POD_POLL_MS, signal: options.signal },
    );
    return pod;
  }

  /** Lets the tasks module settle a finished run now rather than at its next poll. */
  private tellIfEnded(type: string, job: V1Job): void {
    const key = handleIdOf(job.metadata?.namespace ?? '', job.metadata?.name ?? '');
    if (type === 'DELETED') {
      this.endedJobs.delete(key);
      this.followers.forget(key);
      return;
    }
    const ended = job.status?.conditions?.some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    const run = runOf(job);
    if (!ended || !run || this.endedJobs.has(key)) return;
    this.endedJobs.add(key);
    this.followers.drain(key);
    this.reporter?.ended?.(run);
  }

  private async lastReportedAt(run: { taskId: string; attempt: number }) {
    return this.reporter?.lastReportedAt?.(run);
  }

  /** `time` is when the kubelet took the line, so a point read twice is the same point. */
  private report(run: { taskId: string; attempt: number }, line: string, time: Date): void {
    const parsed = parseReportLine(line);
    if (!parsed || !this.reporter) return;
    if (parsed.kind === 'progress') {
      this.reporter.progress(run, parsed.fraction);
    } else {
      const { name, step, value } = parsed;
      this.reporter.metric(run, { name, step, value, time });
    }
  }
}

function containerStarted(pod: V1Pod): boolean {
  return (
    pod.status?.containerStatuses?.some(
      (status) => status.state?.running !== undefined || status.state?.terminated !== undefined,
    ) ?? false
  );
}

function containerTerminated(pod: V1Pod): boolean {
  return (
    pod.status?.containerStatuses?.some((status) => status.state?.terminated !== undefined) ?? false
  );
}

function isFinal(status: RunStatus): boolean {
  return status.state !== 'pending' && status.state !== 'running';
}

function runOf(object: V1Pod | V1Job): { taskId: string; attempt: number } | undefined {
  const annotations = object.metadata?.annotations ?? {};
  const attempt = Number(annotations[LABEL_ATTEMPT]);
  const taskId = annotations[LABEL_TASK_ID];
  return taskId && Number.isInteger(attempt) ? { taskId, attempt } : undefined;
}

async function ignoreNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
