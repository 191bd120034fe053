// The local runtime against real child processes: the example training script,
// failures, stop, GPUs, restarts (a second runtime over the same runs directory).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Module, OnModuleInit } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { KilnConfigModule } from '../../src/config/config.module';
import { RuntimeRegistry, UnknownRuntimeError } from '../../src/modules/runtimes/runtime.registry';
import { RunReporterRelay } from '../../src/modules/runtimes/run-reporter.relay';
import { RuntimesModule } from '../../src/modules/runtimes/runtimes.module';
import {
  GpusUnavailableError,
  RunStartError,
  WorkingDirOutsideRunError,
} from '../../src/modules/runtimes/local/local-runtime.errors';
import { LocalBatchRuntime } from '../../src/modules/runtimes/local/local-batch-runtime';
import { isRunning, parseRunId } from '../../src/modules/runtimes/local/process/process-identity';
import type { RunHandle, RunSpec } from '../../src/modules/runtimes/batch-runtime.port';
import type { MetricPoint, RunReporter } from '../../src/modules/runtimes/run-reporter.port';
import { waitUntil } from '../../src/common/wait-until';
import { parentOf, processesOfTask } from '../support/run-processes';
import { testConfig } from '../support/test-config';

const EXAMPLES = resolve(__dirname, '../../examples');
const python = (script: string, ...args: string[]) => ['python3', join(EXAMPLES, script), ...args];

class RecordingReporter implements RunReporter {
  readonly metrics: Array<MetricPoint & { taskId: string; attempt: number }> = [];
  readonly fractions: number[] = [];
  readonly endedRuns: Array<{ taskId: string; attempt: number }> = [];

  metric(run: { taskId: string; attempt: number }, point: MetricPoint): void {
    this.metrics.push({ ...run, ...point });
  }

  progress(_run: { taskId: string; attempt: number }, fraction: number): void {
    this.fractions.push(fraction);
  }

  ended(run: { taskId: string; attempt: number }): void {
    this.endedRuns.push(run);
  }
}

let counter = 0;
function spec(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    taskId: `task-${process.pid}-${++counter}`,
    attempt: 1,
    queue: 'default',
    command: ['true'],
    env: {},
    hyperparameters: {},
    resources: { cpu: 1, memoryMiB: 256, gpu: 0 },
    ...overrides,
  };
}

/** The parent of a process: for a local run's main process, Kiln's process launcher. */
/** Follows the run's log to its end (the follow ends when the run does). */
async function followToEnd(runtime: LocalBatchRuntime, handle: RunHandle): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of runtime.logs(handle, { follow: true })) lines.push(line);
  return lines;
}

/** Resolves with the first log line that matches, while the run goes on. */
async function waitForLine(
  runtime: LocalBatchRuntime,
  handle: RunHandle,
  pattern: RegExp,
): Promise<string> {
  const controller = new AbortController();
  for await (const line of runtime.logs(handle, { follow: true, signal: controller.signal })) {
    if (pattern.test(line)) {
      controller.abort();
      return line;
    }
  }
  throw new Error(`the run ended without printing ${pattern}`);
}

/**
 * Makes the runtime that launched `handle` look like a Kiln process that has died: its
 * supervisor record names a pid that cannot exist (above Linux's pid_max).
 */
function markSupervisorDead(runtime: LocalBatchRuntime, handle: RunHandle): void {
  const record = join(runtime.runsDir, '.supervisors', `${parseRunId(handle.id)!.supervisor}.json`);
  const alive = JSON.parse(readFileSync(record, 'utf8'));
  writeFileSync(record, JSON.stringify({ ...alive, pid: 4194310 }));
}

// Every behaviour holds with runs in the sandbox (as Kiln's CI runs them, as root: runs
// get their own OS user) and without it.
describe.each(['sandbox', 'none'])(
  'LocalBatchRuntime (real processes, isolation %s)',
  (isolation) => {
    const runtimes: LocalBatchRuntime[] = [];
    let config: ReturnType<typeof testConfig>;
    let recorder: RecordingReporter;
    let runtime: LocalBatchRuntime;

    /** A local runtime as Kiln's boot makes it, over the same runs directory as the others. */
    async function newRuntime(reporter?: RunReporter): Promise<LocalBatchRuntime> {
      const created = new LocalBatchRuntime(config, reporter);
      runtimes.push(created);
      await created.onModuleInit();
      return created;
    }

    beforeEach(async () => {
      config = testConfig({
        KILN_LOCAL_GPU_COUNT: '2',
        KILN_LOCAL_STOP_GRACE_MS: '500',
        KILN_LOCAL_ISOLATION: isolation,
      });
      recorder = new RecordingReporter();
      runtime = await newRuntime(recorder);
    });

    afterEach(async () => {
      await Promise.all(runtimes.splice(0).map((each) => each.onApplicationShutdown()));
    });

    it('trains the example to success, reporting metrics and progress, with its log and model', async () => {
      const run = spec({ hyperparameters: { epochs: 5, seed: 7 } });
      run.env = { KILN_HPARAMS: JSON.stringify(run.hyperparameters) };
      const handle = await runtime.launch({ ...run, command: python('logistic_regression.py') });

      const lines = await followToEnd(runtime, handle);

      await expect(runtime.inspect(handle)).resolves.toEqual({ state: 'succeeded', exitCode: 0 });
      expect(recorder.endedRuns).toEqual([{ taskId: run.taskId, attempt: 1 }]);
      expect(handle).toEqual({
        executor: 'local',
        id: expect.stringMatching(/^\d+:\d+@[0-9a-f-]{36}$/), // pid:start time@supervisor
        outputDir: join(runtime.runsDir, run.taskId, '1', 'output'),
        logPath: join(runtime.runsDir, run.taskId, '1', 'log.txt'),
      });
      const losses = recorder.metrics.filter((point) => point.name === 'loss');
      expect(losses.map((point) => point.step)).toEqual([1, 2, 3, 4, 5]);
      expect(losses[0]).toMatchObject({
        taskId: run.taskId,
        attempt: 1,
        value: expect.any(Number),
      });
      expect(losses[4].value).toBeLessThan(losses[0].value);
      expect(recorder.metrics.filter((point) => point.name === 'accuracy')).toHaveLength(5);
      expect(recorder.fractions).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
      expect(lines[0]).toMatch(/^training logistic regression with .*"epochs": 5/);
      expect(lines.at(-1)).toMatch(/^done: loss=/);
      expect(readFileSync(handle.logPath!, 'utf8')).toBe(lines.map((line) => `${line}\n`).join(''));
      const model = JSON.parse(readFileSync(join(handle.outputDir!, 'model.json'), 'utf8'));
      expect(model).toMatchObject({
        weights: expect.any(Array),
        hyperparameters: { epochs: 5, seed: 7 },
      });
      expect(
        JSON.parse(readFileSync(join(handle.outputDir!, '..', 'hyperparameters.json'), 'utf8')),
      ).toEqual({ epochs: 5, seed: 7 });
    });

    it('reads hyperparameters.json in the run directory when KILN_HPARAMS is not set', async () => {
      const handle = await runtime.launch(
        spec({
          command: python('logistic_regression.py'),
          hyperparameters: { epochs: 2 },
          env: { KILN_HPARAMS: '' },
        }),
      );
      await followToEnd(runtime, handle);
      await expect(runtime.inspect(handle)).resolves.toEqual({ state: 'succeeded', exitCode: 0 });
      expect(recorder.fractions).toEqual([0.5, 1]);
    });

    it('reports a failing command as failed with its exit code, also after a restart', async () => {
      const handle = await runtime.launch(spec({ command: python('fail.py', '3') }));

      const lines = await followToEnd(runtime, handle);

      const failed = { state: 'failed', exitCode: 3, reason: 'exited with code 3' };
      await expect(runtime.inspect(handle)).resolves.toEqual(failed);
      expect(lines).toEqual(
        expect.arrayContaining([
          'about to fail with exit code 3',
          'error: failing on purpose with exit code 3',
        ]),
      );
      await expect((await newRuntime()).inspect(handle)).resolves.toEqual(failed);
    });

    it('rejects bad hyperparameters of the example with a clear message', async () => {
      const handle = await runtime.launch(
        spec({
          command: python('logistic_regression.py'),
          env: { KILN_HPARAMS: '{"epochs": -1}' },
        }),
      );
      const lines = await followToEnd(runtime, handle);
      await expect(runtime.inspect(handle)).resolves.toMatchObject({
        state: 'failed',
        exitCode: 2,
      });
      expect(lines).toContain(
        'error: bad hyperparameters: epochs must be between 1 and 100000, got -1',
      );
    });

    it('stops with SIGTERM first, so a run that handles it exits on its own', async () => {
      const handle = await runtime.launch(spec({ command: python('sleep.py', '60') }));
      await waitForLine(runtime, handle, /^sleeping/);

      await runtime.stop(handle, 5000);

      await expect(runtime.inspect(handle)).resolves.toEqual({
        state: 'failed',
        exitCode: 143,
        reason: 'exited with code 143',
      });
      expect(readFileSync(handle.logPath!, 'utf8')).toContain('received SIGTERM, exiting');
    });

    it('kills a run that ignores SIGTERM once the grace has passed', async () => {
      const handle = await runtime.launch(
        spec({ command: python('sleep.py', '60', '--ignore-sigterm') }),
      );
      await waitForLine(runtime, handle, /^sleeping/);

      await runtime.stop(handle, 300);

      await expect(runtime.inspect(handle)).resolves.toEqual({
        state: 'failed',
        reason: 'killed by signal SIGKILL',
      });
      await expect(isRunning(parseRunId(handle.id)!)).resolves.toBe(false);
      await expect(runtime.stop(handle, 300)).resolves.toBeUndefined();
    });

    it('kills every process of the run, not just the one it started', async () => {
      const run = spec({
        shell: true,
        command: [`python3 ${join(EXAMPLES, 'sleep.py')} 60 --ignore-sigterm & wait`],
      });
      const handle = await runtime.launch(run);
      await waitForLine(runtime, handle, /^sleeping/);
      expect(processesOfTask(run.taskId).length).toBeGreaterThanOrEqual(2);

      await runtime.stop(handle, 300);

      // Its pipes close as it dies, a moment before /proc shows it gone.
      const gone = await waitUntil(() => processesOfTask(run.taskId).length === 0, {
        timeoutMs: 2000,
        intervalMs: 10,
      });
      expect(gone.satisfied).toBe(true);
    });

    it('launches once per task and attempt, however often launch is called', async () => {
      const run = spec({ shell: true, command: ['echo launched >> "$KILN_OUTPUT_DIR/launches"'] });

      const [first, second] = await Promise.all([runtime.launch(run), runtime.launch(run)]);
      const marker = join(first.outputDir!, 'launches');
      await followToEnd(runtime, first);
      const afterFinish = await runtime.launch(run);
      const afterRestart = await (await newRuntime()).launch(run);

      expect(second).toEqual(first);
      expect(afterFinish).toEqual(first);
      expect(afterRestart).toEqual(first);
      expect(readFileSync(marker, 'utf8')).toBe('launched\n');
      const nextAttempt = await runtime.launch({ ...run, attempt: 2 });
      expect(nextAttempt.id).not.toBe(first.id);
    });

    it('gives a run its own GPUs through CUDA_VISIBLE_DEVICES and takes them back when it ends', async () => {
      const printGpus = (seconds: number) =>
        spec({
          shell: true,
          command: [
            `echo "gpus=[$CUDA_VISIBLE_DEVICES]"; exec python3 ${join(EXAMPLES, 'sleep.py')} ${seconds}`,
          ],
          resources: { cpu: 1, memoryMiB: 256, gpu: 2 },
        });
      const both = await runtime.launch(printGpus(60));
      await expect(waitForLine(runtime, both, /^gpus=/)).resolves.toBe('gpus=[0,1]');

      const tooMany = spec({ resources: { cpu: 1, memoryMiB: 256, gpu: 1 } });
      await expect(runtime.launch(tooMany)).rejects.toThrow(GpusUnavailableError);
      expect(runtime.freeGpus).toBe(0);

      await runtime.stop(both, 500);
      expect(runtime.freeGpus).toBe(2);
      const none = await runtime.launch(
        spec({ shell: true, command: ['echo "gpus=[$CUDA_VISIBLE_DEVICES]"'] }),
      );
      await expect(followToEnd(runtime, none)).resolves.toEqual(['gpus=[]']);
    });

    it('reports a handle it never launched, whose process is gone, as lost', async () => {
      const logPath = join(runtime.runsDir, 'never', '1', 'log.txt');
      await expect(
        runtime.inspect({ executor: 'local', id: '4194310:123', logPath }),
      ).resolves.toEqual({
        state: 'lost',
        reason: 'the process is gone; Kiln restarted or the worker died',
      });
      // A live pid with another start time is a reused pid, not the run.
      await expect(
        runtime.inspect({ executor: 'local', id: `${process.pid}:1`, logPath }),
      ).resolves.toMatchObject({
        state: 'lost',
        reason: expect.stringMatching(/^the process is gone/),
      });
      await expect(
        runtime.stop({ executor: 'local', id: `${process.pid}:1`, logPath }, 100),
      ).resolves.toBeUndefined();
    });

    it('reports a run started by an earlier Kiln as lost and stops its whole process group', async () => {
      const handle = await runtime.launch(
        spec({ command: python('sleep.py', '60', '--ignore-sigterm') }),
      );
      await waitForLine(runtime, handle, /^sleeping/);
      markSupervisorDead(runtime, handle);
      const restarted = await newRuntime();

      await expect(restarted.inspect(handle)).resolves.toEqual({
        state: 'lost',
        reason: expect.stringContaining('started by an earlier Kiln process'),
      });
      await restarted.stop(handle, 300);

      await expect(isRunning(parseRunId(handle.id)!)).resolves.toBe(false);
      await followToEnd(runtime, handle);
      await expect(runtime.inspect(handle)).resolves.toEqual({
        state: 'failed',
        reason: 'killed by signal SIGKILL',
      });
    });

    it('reports a run as lost when its process launcher dies, kills it, and starts the next run', async () => {
      const run = spec({ command: python('sleep.py', '60') });
      const handle = await runtime.launch(run);
      await waitForLine(runtime, handle, /^sleeping/);

      process.kill(parentOf(parseRunId(handle.id)!.pid)!, 'SIGKILL');

      await followToEnd(runtime, handle);
      await expect(runtime.inspect(handle)).resolves.toEqual({
        state: 'lost',
        reason: "Kiln's process launcher exited while the run was running",
      });
      const gone = await waitUntil(() => processesOfTask(run.taskId).length === 0, {
        timeoutMs: 2000,
        intervalMs: 10,
      });
      expect(gone.satisfied).toBe(true);
      const next = await runtime.launch(spec({ command: ['sh', '-c', 'echo after'] }));
      await expect(followToEnd(runtime, next)).resolves.toEqual(['after']);
      await expect(runtime.inspect(next)).resolves.toEqual({ state: 'succeeded', exitCode: 0 });
    });

    it('stops a run at once after its start and leaves no process of it behind', async () => {
      // In the sandbox the first milliseconds are bubblewrap's setup; a run stopped then
      // must not slip out of reach. Many tries, as the window is a few milliseconds wide.
      for (let i = 0; i < 25; i++) {
        const run = spec({ command: ['sh', '-c', 'exec sleep 60'] });
        const handle = await runtime.launch(run);
        await runtime.stop(handle, 0);
        expect({ try: i, left: processesOfTask(run.taskId) }).toEqual({ try: i, left: [] });
      }
    });

    it('stops a run whose handle it could not record, and gives its GPUs back', async () => {
      const run = spec({
        command: ['sh', '-c', 'exec sleep 60'],
        resources: { cpu: 1, memoryMiB: 256, gpu: 1 },
      });
      // A directory where handle.json goes: the run starts, then its record cannot be written.
      mkdirSync(join(runtime.runsDir, run.taskId, '1', 'handle.json'), { recursive: true });

      await expect(runtime.launch(run)).rejects.toMatchObject({ code: 'EISDIR' });

      // Its launch failed and will be retried: this run must not go on beside the retry.
      expect(processesOfTask(run.taskId)).toEqual([]);
      expect(runtime.freeGpus).toBe(2);
    });

    it('answers for a run another live Kiln process supervises, and passes a stop on to it', async () => {
      const handle = await runtime.launch(
        spec({ command: ['/bin/sh', '-c', 'echo sleeping; exec sleep 60'] }),
      );
      await waitForLine(runtime, handle, /^sleeping/);
      const other = await newRuntime(); // another process sharing the runs directory

      await expect(other.inspect(handle)).resolves.toEqual({ state: 'running' });
      const followed = followToEnd(other, handle);
      await other.stop(handle, 300);

      await expect(isRunning(parseRunId(handle.id)!)).resolves.toBe(false);
      await expect(followed).resolves.toEqual(['sleeping']);
      // In the sandbox, bubblewrap reports a run killed by signal N as exit code 128+N.
      const stopped =
        isolation === 'sandbox'
          ? { state: 'failed', exitCode: 143, reason: 'exited with code 143' }
          : { state: 'failed', reason: 'killed by signal SIGTERM' };
      await expect(runtime.inspect(handle)).resolves.toEqual(stopped);
      await expect(other.inspect(handle)).resolves.toEqual(stopped);
    });

    it('stops runs past their timeout and reports them timed out', async () => {
      const handle = await runtime.launch(
        spec({ command: python('sleep.py', '60'), timeoutSeconds: 1 }),
      );
      await followToEnd(runtime, handle);
      await expect(runtime.inspect(handle)).resolves.toEqual({
        state: 'timed_out',
        reason: 'exceeded its timeout of 1s and was stopped',
      });
    });

    it('stops its runs on shutdown, and a restarted Kiln finds them lost', async () => {
      const handle = await runtime.launch(spec({ command: python('sleep.py', '60') }));
      await waitForLine(runtime, handle, /^sleeping/);

      await runtime.onApplicationShutdown();

      await expect(isRunning(parseRunId(handle.id)!)).resolves.toBe(false);
      await expect((await newRuntime()).inspect(handle)).resolves.toEqual({
        state: 'lost',
        reason: 'Kiln shut down while the run was running and stopped it',
      });
      await expect(runtime.launch(spec())).rejects.toThrow('shutting down');
    });

    it('runs in a working directory inside the run and refuses one outside it', async () => {
      const inside = spec({ command: ['pwd'], workingDir: 'src/train' });
      const handle = await runtime.launch(inside);
      const runDir = join(runtime.runsDir, inside.taskId, '1');
      await expect(followToEnd(runtime, handle)).resolves.toEqual([join(runDir, 'src/train')]);

      for (const workingDir of ['..', '../../elsewhere', '/tmp']) {
        await expect(runtime.launch(spec({ command: ['pwd'], workingDir }))).rejects.toThrow(
          WorkingDirOutsideRunError,
        );
      }
    });

    it('runs argv without a shell, and with one only when asked', async () => {
      const plain = await runtime.launch(spec({ command: ['echo', '$HOME;', 'rm', '-rf'] }));
      await expect(followToEnd(runtime, plain)).resolves.toEqual(['$HOME; rm -rf']);
      const shell = await runtime.launch(
        spec({ shell: true, command: ['echo $KILN_ATTEMPT; echo two'] }),
      );
      await expect(followToEnd(runtime, shell)).resolves.toEqual(['1', 'two']);
    });

    it('passes only a safe base environment plus the task env', async () => {
      process.env.KILN_TEST_SECRET = 'do-not-leak';
      try {
        const handle = await runtime.launch(spec({ command: ['env'], env: { MY_FLAG: 'on' } }));
        const lines = await followToEnd(runtime, handle);
        expect(lines).toEqual(
          expect.arrayContaining(['MY_FLAG=on', expect.stringMatching(/^KILN_OUTPUT_DIR=\//)]),
        );
        expect(lines.join('\n')).not.toContain('do-not-leak');
      } finally {
        delete process.env.KILN_TEST_SECRET;
      }
    });

    it('refuses a command that cannot start, saying why', async () => {
      const run = spec({ command: ['/nonexistent/train'] });
      await expect(runtime.launch(run)).rejects.toThrow(RunStartError);
      await expect(runtime.launch(run)).rejects.toThrow(
        /could not start "\/nonexistent\/train": .*ENOENT/,
      );
    });

    it('keeps every line of a run that writes fast from its first instant, in order', async () => {
      const handle = await runtime.launch(
        spec({ shell: true, command: ['seq 1 50000; echo done >&2'] }),
      );

      const lines = await followToEnd(runtime, handle);

      // stdout and stderr are separate pipes: each keeps its order, not their interleaving.
      const numbers = Array.from({ length: 50000 }, (_, index) => String(index + 1));
      expect(lines.filter((line) => line !== 'done')).toEqual(numbers);
      expect(lines).toContain('done');
    });

    it('discards a run: stops it and removes its directory', async () => {
      const run = spec({ command: python('sleep.py', '60') });
      const handle = await runtime.launch(run);
      await waitForLine(runtime, handle, /^sleeping/);

      await runtime.discard(handle);

      await expect(isRunning(parseRunId(handle.id)!)).resolves.toBe(false);
      expect(existsSync(join(runtime.runsDir, run.taskId))).toBe(false);
      await expect(runtime.inspect(handle)).resolves.toMatchObject({ state: 'lost' });
    });

    it('cuts overlong lines and serves logs from a given line', async () => {
      const long = await newRuntime();
      const handle = await long.launch(
        spec({ command: ['python3', '-c', 'print("a"); print("x" * 100000); print("b")'] }),
      );
      const lines = await followToEnd(long, handle);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toBe(`${'x'.repeat(16384)} [line cut: ${100000 - 16384} more characters]`);
      const tail: string[] = [];
      for await (const line of long.logs(handle, { sinceLine: 2 })) tail.push(line);
      expect(tail).toEqual(['b']);
    });
  },
);

describe('RuntimesModule', () => {
  // Like the tasks module: imports RuntimesModule and connects its own reporter.
  const recorder = new RecordingReporter();
  @Module({ imports: [RuntimesModule] })
  class ConsumerModule implements OnModuleInit {
    constructor(private readonly relay: RunReporterRelay) {}

    onModuleInit(): void {
      this.relay.connect(recorder);
    }
  }

  let moduleRef: TestingModule;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [KilnConfigModule.forRoot(testConfig()), ConsumerModule],
    }).compile();
    await moduleRef.init();
  });

  afterAll(() => moduleRef.close());

  it('names every runtime in the registry and refuses unknown names', () => {
    const registry = moduleRef.get(RuntimeRegistry);
    expect(registry.get('local')).toBeInstanceOf(LocalBatchRuntime);
    expect(registry.names().sort()).toEqual(['kubernetes', 'local']);
    expect(() => registry.get('slurm')).toThrow(UnknownRuntimeError);
  });

  it('delivers report lines to the reporter the importing module connects', async () => {
    const local = moduleRef.get(RuntimeRegistry).get('local');
    const handle = await local.launch(
      spec({
        shell: true,
        command: ['echo "KILN_PROGRESS 0.5"; echo \'KILN_METRIC {"name":"loss","value":1.5}\''],
      }),
    );
    for await (const _line of local.logs(handle, { follow: true }));
    expect(recorder.fractions).toEqual([0.5]);
    expect(recorder.metrics).toEqual([
      expect.objectContaining({ name: 'loss', value: 1.5, step: undefined }),
    ]);
  });
});
