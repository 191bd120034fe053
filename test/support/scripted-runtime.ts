// A runtime whose runs do exactly what a test scripts: start, report, exit with a code,
// vanish, refuse to launch, ignore a stop. It implements the batch runtime port and nothing
// more, so the services under test cannot tell it from a real driver.
import type {
  BatchRuntime,
  RunHandle,
  RunLocator,
  RunRequest,
  RunSpec,
  RunStatus,
  StopOptions,
} from '../../src/modules/runtimes/batch-runtime.port';
import type { FieldProblem } from '../../src/common/errors/domain-error';
import type { MetricPoint, RunReporter } from '../../src/modules/runtimes/run-reporter.port';

/** One attempt's run, as the test drives it. */
export class ScriptedRun {
  status: RunStatus = { state: 'running' };
  /** How many times Kiln asked the run to stop. */
  stops = 0;
  private stopIgnored = false;
  private stopFailures = 0;
  private onEndByStop?: () => Promise<unknown>;

  constructor(
    readonly spec: RunSpec,
    readonly handle: RunHandle,
    private readonly reporter: () => RunReporter,
  ) {}

  get taskId(): string {
    return this.spec.taskId;
  }

  get attempt(): number {
    return this.spec.attempt;
  }

  exits(exitCode: number): void {
    this.status =
      exitCode === 0
        ? { state: 'succeeded', exitCode: 0 }
        : { state: 'failed', exitCode, reason: `the run exited with code ${exitCode}` };
  }

  /** The runtime forgets the run (process gone, pod evicted). */
  vanishes(): void {
    this.status = { state: 'lost', reason: 'the runtime no longer knows the run' };
  }

  /** Keeps running whatever stop it is sent. */
  ignoresStop(): void {
    this.stopIgnored = true;
  }

  /** The next `times` stops throw, as a runtime that cannot be reached does. */
  failsToStop(times: number): void {
    this.stopFailures = times;
  }

  reportsProgress(fraction: number): void {
    this.reporter().progress(this.spec, fraction);
  }

  reportsMetric(point: Omit<MetricPoint, 'time'> & { time?: Date }): void {
    this.reporter().metric(this.spec, { time: new Date(), ...point });
  }

  /** Tells Kiln the run ended, as a driver does when it sees the process exit. */
  announcesEnd(): void {
    this.reporter().ended?.(this.spec);
  }

  /**
   * When a stop ends the run, `seen` runs before the stop call returns, as a driver's own
   * exit handling can settle the run's end first (the local runtime's does).
   */
  whenEndedByStop(seen: () => Promise<unknown>): void {
    this.onEndByStop = seen;
  }

  async stop(options: StopOptions = {}): Promise<void> {
    this.stops++;
    if (this.stopFailures > 0) {
      this.stopFailures--;
      throw runtimeErrors.transient();
    }
    if (this.stopIgnored || !isActive(this.status)) return;
    // a driver told why it stops the run reports the end that way; SIGTERM alone
    // would leave exit code 143
    this.status = options.timedOut
      ? { state: 'timed_out', reason: 'stopped past its timeout' }
      : { state: 'failed', exitCode: 143, reason: 'stopped (SIGTERM)' };
    await this.onEndByStop?.();
  }
}

interface StartWaiter {
  taskId: string;
  resolve: (run: ScriptedRun) => void;
}

/** What the next launch of a task does instead of starting a run. */
type LaunchRefusal = () => Error;

export class ScriptedRuntime implements BatchRuntime {
  readonly isolatesRuns = true;
  /** Every launch call, in order, repeats included. */
  readonly launchCalls: RunSpec[] = [];
  private readonly runs = new Map<string, ScriptedRun>();
  private readonly refusals: LaunchRefusal[] = [];
  private specProblems: FieldProblem[] = [];
  private reporter?: RunReporter;
  private hang?: 'before-start' | 'after-start';
  private startWaiters: StartWaiter[] = [];

  /** `name` is the executor the test config's queues point at. */
  constructor(readonly name: string) {}

  /** The reporter runs deliver their reports to (the tasks module's). */
  reportTo(reporter: RunReporter): void {
    this.reporter = reporter;
  }

  /** From now on every spec is one this runtime could never run, for these reasons. */
  refusesSpecs(...problems: FieldProblem[]): void {
    this.specProblems = problems;
  }

  validate(_request: RunRequest): FieldProblem[] {
    return [...this.specProblems];
  }

  /** The next `times` launches throw what `error` makes, in order. */
  refusesLaunch(error: LaunchRefusal, times = 1): void {
    for (let i = 0; i < times; i++) this.refusals.push(error);
  }

  /**
   * The next launch never returns, as when the worker carrying it dies: with
   * `afterStart` the run is started first (the worker died before recording it).
   */
  hangsOnLaunch({ afterStart }: { afterStart: boolean }): void {
    this.hang = afterStart ? 'after-start' : 'before-start';
  }

  /** The run of `taskId`'s attempt `attempt` (by default its latest); throws if none started. */
  run(taskId: string, attempt?: number): ScriptedRun {
    const runs = [...this.runs.values()].filter((run) => run.taskId === taskId);
    const run =
      attempt === undefined
        ? runs.sort((a, b) => b.attempt - a.attempt)[0]
        : runs.find((candidate) => candidate.attempt === attempt);
    if (!run) throw new Error(`no run of task ${taskId} attempt ${attempt ?? '(latest)'}`);
    return run;
  }

  /** Resolves with the task's first run once it has started (at once if it has). */
  started(taskId: string): Promise<ScriptedRun> {
    const [run] = this.runsOf(taskId);
    if (run) return Promise.resolve(run);
    return new Promise((resolve) => this.startWaiters.push({ taskId, resolve }));
  }

  runsOf(taskId: string): ScriptedRun[] {
    return [...this.runs.values()].filter((run) => run.taskId === taskId);
  }

  /** Runs started and not ended, across tasks. */
  activeRuns(): ScriptedRun[] {
    return [...this.runs.values()].filter((run) => isActive(run.status));
  }

  async launch(spec: RunSpec): Promise<RunHandle> {
    this.launchCalls.push(spec);
    const refusal = this.refusals.shift();
    if (refusal) throw refusal();
    const hang = this.hang;
    this.hang = undefined;
    if (hang === 'before-start') return never();
    const key = keyOf(spec);
    const existing = this.runs.get(key);
    if (existing) return existing.handle; // the port: a repeated launch starts nothing new
    const handle: RunHandle = { executor: this.name, id: key };
    const run = new ScriptedRun(spec, handle, () => this.requireReporter());
    this.runs.set(key, run);
    this.announceStart(run);
    return hang === 'after-start' ? never() : handle;
  }

  async inspect(handle: RunHandle): Promise<RunStatus> {
    const run = this.runs.get(handle.id);
    return run ? run.status : { state: 'lost', reason: 'the runtime never started this run' };
  }

  async stop(handle: RunHandle, _graceMs: number, options?: StopOptions): Promise<void> {
    await this.runs.get(handle.id)?.stop(options);
  }

  async *logs(): AsyncIterable<string> {
    // scripted runs write no output
  }

  async find(run: RunLocator): Promise<RunHandle | undefined> {
    return this.runs.get(keyOf(run))?.handle;
  }

  private announceStart(run: ScriptedRun): void {
    const [waiting, others] = partition(
      this.startWaiters,
      (waiter) => waiter.taskId === run.taskId,
    );
    this.startWaiters = others;
    for (const waiter of waiting) waiter.resolve(run);
  }

  private requireReporter(): RunReporter {
    if (!this.reporter) throw new Error('ScriptedRuntime: no reporter attached');
    return this.reporter;
  }
}

/** Errors a driver throws when its backend is briefly unreachable, or refuses for good. */
export const runtimeErrors = {
  transient: (): Error =>
    Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' }),
  permanent: (): Error => new Error('the image registry.invalid/none does not exist'),
};

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

function keyOf(run: Pick<RunSpec, 'taskId' | 'attempt'>): string {
  return `${run.taskId}#${run.attempt}`;
}

function isActive(status: RunStatus): boolean {
  return status.state === 'running' || status.state === 'pending';
}
