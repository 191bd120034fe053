// The tasks module's services on a real database, with a scripted runtime and a clock
// the test moves: the one place that knows how the Nest testing module is put together,
// so a renamed port or a moved service is one change here, not one per spec.
//
// No HTTP server and no background loops: the dispatcher's and reconciler's interval
// ticks are removed and their wake-ups only counted, so each pass happens when the test
// asks for it and every assertion sees a settled state. Launch orders still travel
// through the in-process job queue to the real launch worker.
import { DynamicModule, LoggerService, Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessModule } from '../../src/common/process/process.module';
import { RetentionModule } from '../../src/common/retention/retention.module';
import { SchedulingModule } from '../../src/common/scheduling/scheduling.module';
import { KilnConfigModule } from '../../src/config/config.module';
import { KilnConfig } from '../../src/config/kiln.config';
import { DatabaseModule } from '../../src/infra/database/database.module';
import { JOB_QUEUES, Job, JobQueue, JobQueues } from '../../src/infra/jobs/job-queue.port';
import { JobsModule } from '../../src/infra/jobs/jobs.module';
import { LockModule } from '../../src/infra/lock/lock.module';
import { WakeupsModule } from '../../src/infra/wakeups/wakeups.module';
import { RedisModule } from '../../src/infra/redis/redis.module';
import type { Principal } from '../../src/modules/auth/principal';
import { Role } from '../../src/modules/auth/role';
import { PrometheusModule } from '../../src/modules/prometheus/prometheus.module';
import { BATCH_RUNTIMES } from '../../src/modules/runtimes/batch-runtime.port';
import { RunReporterModule } from '../../src/modules/runtimes/run-reporter.module';
import { RuntimeRegistry } from '../../src/modules/runtimes/runtime.registry';
import { RuntimesModule } from '../../src/modules/runtimes/runtimes.module';
import type { CreateTaskDto } from '../../src/modules/tasks/api/dto/create-task.dto';
import { TasksService } from '../../src/modules/tasks/api/tasks.service';
import { TaskStatus } from '../../src/modules/tasks/lifecycle/task-status';
import { RunOutcomes } from '../../src/modules/tasks/lifecycle/run-outcomes.service';
import { TaskChange, TaskLifecycle } from '../../src/modules/tasks/lifecycle/task-lifecycle';
import { Dispatcher } from '../../src/modules/tasks/orchestration/dispatcher.service';
import {
  LAUNCH_JOB_QUEUE,
  LaunchOrder,
  launchJobId,
} from '../../src/modules/tasks/orchestration/launch-order';
import { LaunchWorker } from '../../src/modules/tasks/orchestration/launch.worker';
import { Reconciler } from '../../src/modules/tasks/orchestration/reconciler.service';
import type { TaskAttempt } from '../../src/modules/tasks/persistence/entities/task-attempt.entity';
import type { TaskEvent } from '../../src/modules/tasks/persistence/entities/task-event.entity';
import type { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { TaskRunReporter } from '../../src/modules/tasks/runs/task-run-reporter';
import { TasksModule } from '../../src/modules/tasks/tasks.module';
import { TaskMetricsService } from '../../src/modules/tasks/training-metrics/task-metrics.service';
import { SCHEMA } from '../../src/schema';
import { ScriptedRuntime } from './scripted-runtime';
import { tempDataDir, testConfig } from './test-config';

/** A queue of the world's config; the runtime is always the scripted one. */
export interface WorldQueue {
  name: string;
  maxRunning: number;
}

export interface WorldOptions {
  /** The queues, the first one the default; by default a single queue of 4 runs. */
  queues?: WorldQueue[];
  /** Config variables (KILN_*), as an operator would set them. */
  env?: Record<string, string>;
}

/** The executor name the world's queues use, so the scripted runtime stands in for it. */
const RUNTIME_NAME = 'local';
/** Turns of the event loop a launch order may take before the world gives up on it. */
const MAX_LAUNCH_TURNS = 10_000;

/** The clock every `new Date()` and `Date.now()` of the services reads. */
export class WorldClock {
  now(): Date {
    return new Date();
  }

  advance(ms: number): void {
    jest.setSystemTime(Date.now() + ms);
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}

export class ServiceWorld {
  readonly clock = new WorldClock();
  /** Passes the services asked for (a submit wakes the dispatcher, a cancel the reconciler). */
  readonly wakes = { dispatch: 0, reconcile: 0 };

  private constructor(
    private readonly moduleRef: TestingModule,
    readonly runtime: ScriptedRuntime,
    /** What the services logged at warn level and above, kept instead of printed. */
    readonly logs: CapturedLogs,
    private readonly dataDir: string,
  ) {}

  static async start(options: WorldOptions = {}): Promise<ServiceWorld> {
    // Only Date is faked: timers stay real, so the database driver and the job queue
    // behave as in production while the test decides what time it is.
    jest.useFakeTimers({ doNotFake: REAL_TIMER_APIS, now: new Date('2030-01-01T00:00:00Z') });
    const config = worldConfig(options);
    const runtime = new ScriptedRuntime(RUNTIME_NAME);
    const logs = new CapturedLogs();
    const moduleRef = await Test.createTestingModule({ imports: [worldModule(config)] })
      .overrideModule(RuntimesModule)
      .useModule(runtimeModule(runtime))
      .setLogger(logs)
      .compile();
    await moduleRef.init();
    const world = new ServiceWorld(moduleRef, runtime, logs, config.dataDir);
    world.stopBackgroundLoops();
    runtime.reportTo(moduleRef.get(TaskRunReporter));
    return world;
  }

  get tasks(): TasksService {
    return this.moduleRef.get(TasksService);
  }

  get outcomes(): RunOutcomes {
    return this.moduleRef.get(RunOutcomes);
  }

  get launchWorker(): LaunchWorker {
    return this.moduleRef.get(LaunchWorker);
  }

  get reporter(): TaskRunReporter {
    return this.moduleRef.get(TaskRunReporter);
  }

  get reconciler(): Reconciler {
    return this.moduleRef.get(Reconciler);
  }

  get metrics(): TaskMetricsService {
    return this.moduleRef.get(TaskMetricsService);
  }

  /** One dispatcher pass, then every launch order it gave, carried out. */
  async dispatch(): Promise<void> {
    await this.moduleRef.get(Dispatcher).tick();
    await this.launchesDone();
  }

  /** One reconciler pass over every active run. */
  async reconcile(): Promise<void> {
    await this.moduleRef.get(Reconciler).tick();
  }

  /** Submits as `principal`; the spec's command defaults to a trivial one. */
  async submit(principal: Principal, spec: Partial<CreateTaskDto> = {}): Promise<Task> {
    const { task } = await this.tasks.submit(principal, {
      name: 'train',
      command: ['python', 'train.py'],
      ...spec,
    });
    return task;
  }

  /** Submits, dispatches and launches: the task's first run is going. */
  async started(principal: Principal, spec: Partial<CreateTaskDto> = {}): Promise<Task> {
    const task = await this.submit(principal, spec);
    await this.dispatch();
    const running = await this.task(task.id);
    if (running.status !== TaskStatus.Running)
      throw new Error(`task did not start: ${running.status}`);
    return running;
  }

  /** The task as its owner's admin sees it now. */
  task(id: string): Promise<Task> {
    return this.tasks.get(ADMIN, id);
  }

  attempts(id: string): Promise<TaskAttempt[]> {
    return this.tasks.attempts(ADMIN, id);
  }

  events(id: string): Promise<TaskEvent[]> {
    return this.tasks.events(ADMIN, id);
  }

  /** Resolves on the next event of `kind` ('status', 'progress') about the task. */
  nextEvent(taskId: string, kind: string): Promise<TaskEvent> {
    const { changes } = this.moduleRef.get(TaskLifecycle);
    return new Promise((resolve) => {
      const listener = ({ task, event }: TaskChange) => {
        if (task.id !== taskId || event.kind !== kind) return;
        changes.off('change', listener);
        resolve(event);
      };
      changes.on('change', listener);
    });
  }

  /** Stops the launch worker taking orders; they wait in the queue until `resumeLaunches`. */
  async holdLaunches(): Promise<void> {
    await this.launchQueue().pause();
  }

  async resumeLaunches(): Promise<void> {
    await this.launchQueue().resume();
    await this.launchesDone();
  }

  /** Delivers a launch order straight to the worker, as a queue delivering it again would. */
  deliverLaunch(order: LaunchOrder): Promise<void> {
    const job: Job<LaunchOrder> = {
      id: launchJobId(order),
      name: 'launch',
      data: order,
      attempt: 1,
      retryDelayMs: null,
    };
    return this.launchWorker.launch(job);
  }

  async close(): Promise<void> {
    try {
      await this.moduleRef.close();
    } finally {
      jest.useRealTimers();
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  private launchQueue(): JobQueue {
    return this.moduleRef.get<JobQueues>(JOB_QUEUES).get(LAUNCH_JOB_QUEUE);
  }

  /** Waits until no launch order is waiting or being carried out (held ones do not count). */
  private async launchesDone(): Promise<void> {
    const queue = this.launchQueue();
    for (let turn = 0; turn < MAX_LAUNCH_TURNS; turn++) {
      const counts = await queue.counts();
      if (counts.waiting + counts.active === 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('launch orders still running after many turns of the event loop');
  }

  private stopBackgroundLoops(): void {
    const scheduler = this.moduleRef.get(SchedulerRegistry);
    for (const name of scheduler.getIntervals()) scheduler.deleteInterval(name);
    for (const name of scheduler.getTimeouts()) scheduler.deleteTimeout(name);
    for (const name of scheduler.getCronJobs().keys()) scheduler.deleteCronJob(name);
    jest.spyOn(this.moduleRef.get(Dispatcher), 'wake').mockImplementation(() => {
      this.wakes.dispatch++;
    });
    jest.spyOn(this.moduleRef.get(Reconciler), 'wake').mockImplementation(() => {
      this.wakes.reconcile++;
    });
  }
}

/** Keeps warnings and errors for the test to read; expected failures stay off the console. */
export class CapturedLogs implements LoggerService {
  readonly lines: Array<{ level: 'warn' | 'error' | 'fatal'; message: string }> = [];

  log(): void {}

  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'error', message: [message, ...rest].map(textOf).join(' ') });
  }

  fatal(message: unknown): void {
    this.lines.push({ level: 'fatal', message: String(message) });
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, errorFields);
}

function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message } : value;
}

export function member(name: string): Principal {
  return { userId: `user-${name}`, username: name, roles: [Role.Member], scopes: 'all' };
}

export const ADMIN: Principal = {
  userId: 'user-admin',
  username: 'admin',
  roles: [Role.Admin],
  scopes: 'all',
};

/** Every timer API Jest could fake except Date. */
const REAL_TIMER_APIS: FakeableAPI[] = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
];

function worldConfig(options: WorldOptions): KilnConfig {
  const dataDir = tempDataDir('kiln-service-');
  const queues = options.queues ?? [{ name: 'default', maxRunning: 4 }];
  // Queues are a list, which only a config file can hold.
  const configFile = join(dataDir, 'queues.yaml');
  const queueList = queues.map((queue) => ({
    ...queue,
    executor: RUNTIME_NAME,
    maxGpus: 0,
    allowedRoles: [Role.Admin, Role.Member],
  }));
  writeFileSync(configFile, JSON.stringify({ tasks: { queues: queueList } }));
  return testConfig({
    KILN_DATA_DIR: dataDir,
    KILN_CONFIG_FILE: configFile,
    KILN_DEFAULT_QUEUE: queues[0].name,
    // The app's own migrations on a fresh database; without Redis, the job queue and the
    // leader lock are the in-process drivers.
    KILN_DATABASE_URL: 'sqlite::memory:',
    KILN_REDIS_URL: '',
    ...options.env,
  });
}

/** The parts of the application the tasks module needs, without HTTP. */
function worldModule(config: KilnConfig): DynamicModule {
  @Module({})
  class ServiceWorldModule {}
  return {
    module: ServiceWorldModule,
    imports: [
      KilnConfigModule.forRoot(config),
      DatabaseModule.forRoot(config, SCHEMA),
      RedisModule,
      JobsModule,
      WakeupsModule,
      PrometheusModule,
      ProcessModule,
      LockModule,
      SchedulingModule,
      RetentionModule,
      TasksModule,
    ],
  };
}

function runtimeModule(runtime: ScriptedRuntime): DynamicModule {
  @Module({})
  class ScriptedRuntimeModule {}
  return {
    module: ScriptedRuntimeModule,
    imports: [RunReporterModule],
    providers: [
      { provide: BATCH_RUNTIMES, useValue: new Map([[runtime.name, runtime]]) },
      RuntimeRegistry,
    ],
    exports: [BATCH_RUNTIMES, RuntimeRegistry, RunReporterModule],
  };
}
