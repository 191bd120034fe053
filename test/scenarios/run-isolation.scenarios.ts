// A member's training run is untrusted code. These scenarios play the attacker: a task
// of alice's tries to read Kiln's secrets, its database and configuration, and bob's
// running task; every read fails, and the run's own log shows the denial. They also show
// that a sandboxed run still trains, reports and is stopped whole. Run on the embedded
// default (test/e2e) and on PostgreSQL + Redis (test/integration).
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { unwrap } from '@kiln/client';
import { clientAs } from '../support/kiln-clients';
import { processesOfTask } from '../support/run-processes';
import { tempDataDir } from '../support/test-config';
import { queuesConfigFile, StartApp, startTaskWorld, TaskWorld } from './tasks/task-world';

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const FINAL = ['succeeded', 'failed', 'timed_out', 'cancelled'];
const JWT_SECRET = 'isolation-scenario-jwt-secret-0123456789';
/** Planted in Kiln's own process environment, where a run must not find it. */
const KILN_ENV_CANARY = 'kiln-process-env-canary-7f3a';
const BOB_SECRET = 'bob-private-value-91c2';

export function runIsolationScenarios(start: StartApp): void {
  let world: TaskWorld;
  let dataDir: string;
  let configFile: string;

  beforeAll(async () => {
    process.env.KILN_ISOLATION_CANARY = KILN_ENV_CANARY;
    // Kiln's data directory and its config file inside a directory runs may read (say,
    // a shared data set mount): the sandbox must still hide both.
    const shared = tempDataDir('kiln-shared-');
    chmodSync(shared, 0o755);
    dataDir = join(shared, 'kiln-data');
    configFile = join(shared, 'kiln.yaml');
    const queues = queuesConfigFile(4, [
      '    - { name: gpu, executor: local, maxRunning: 2, maxGpus: 2 }',
      '    - { name: admins, executor: local, maxRunning: 1, maxGpus: 0, allowedRoles: [admin] }',
    ]);
    copyFileSync(queues, configFile);
    world = await startTaskWorld(start, {
      KILN_DATA_DIR: dataDir,
      KILN_CONFIG_FILE: configFile,
      KILN_JWT_SECRET: JWT_SECRET,
      KILN_LOCAL_ISOLATION: 'sandbox',
      KILN_LOCAL_GPU_COUNT: '2',
      KILN_LOCAL_READ_ONLY_PATHS: `${EXAMPLES},${shared}`,
    });
  }, 60_000);

  afterAll(async () => {
    delete process.env.KILN_ISOLATION_CANARY;
    await world?.kiln.close();
  });

  /** The public API as the holder of `token`, through the generated client. */
  const as = (token: string) => clientAs(world.kiln.url, token).api;
  const cancel = (id: string, token = world.tokens.alice) =>
    as(token).POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } } });
  const artifact = (id: string, path: string) =>
    as(world.tokens.alice).GET('/api/v1/tasks/{id}/artifacts/{path}', {
      params: { path: { id, path } },
      parseAs: 'text',
    });

  /** Submits a shell script as alice and returns the finished task and its whole log. */
  async function runAsAlice(script: string, extra: Record<string, unknown> = {}) {
    const submitted = await world.submit({
      name: 'attack',
      command: ['/bin/sh', '-c', script],
      ...extra,
    });
    expect(submitted.response.status).toBe(201);
    const task = await world.waitForStatus(submitted.data!.id, FINAL, 30_000);
    const log = await unwrap(
      as(world.tokens.alice).GET('/api/v1/tasks/{id}/logs', {
        params: { path: { id: task.id } },
        parseAs: 'text',
      }),
    );
    return { task, log };
  }

  async function startBobsSecretRun(): Promise<{ id: string; pid: number }> {
    const submitted = await world.submit(
      {
        name: 'bob trains',
        command: ['python3', join(EXAMPLES, 'sleep.py'), '60'],
        env: { BOB_SECRET },
      },
      'bob',
    );
    const id = submitted.data!.id;
    await world.waitForStatus(id, ['running']);
    const found = await waitUntil(() => processesOfTask(id).length > 0, { timeoutMs: 10_000 });
    expect(found.satisfied).toBe(true);
    return { id, pid: Math.max(...processesOfTask(id)) };
  }

  it("keeps Kiln's environment, database, data directory and configuration from a member's run", async () => {
    const sqlite = join(dataDir, 'kiln.sqlite');
    const { task, log } = await runAsAlice(
      [
        'echo "uid=$(id -u)"',
        `echo "parent:"; tr '\\0' '\\n' < /proc/$PPID/environ`,
        `echo "kiln:"; tr '\\0' '\\n' < /proc/${process.pid}/environ`,
        `echo "cmdline:"; cat /proc/${process.pid}/cmdline`,
        `echo "database:"; head -c 64 ${sqlite}`,
        'echo "relative:"; head -c 64 "$KILN_OUTPUT_DIR/../../../../kiln.sqlite"',
        `echo "datadir=$(ls -A ${dataDir} | tr '\\n' ' ')"`,
        `echo "shared=$(ls -A ${join(dataDir, '..')} | tr '\\n' ' ')"`,
        `echo "config=$(cat ${configFile} | wc -c)"`,
        'echo "processes=$(ls /proc | grep -c "^[0-9]")"',
        'echo "done"',
      ].join('; '),
    );

    expect(task.status).toBe('succeeded');
    const kilnPaths = [process.cwd(), 'node_modules'];
    for (const secret of [
      KILN_ENV_CANARY,
      JWT_SECRET,
      'SQLite format',
      'maxRunning',
      ...kilnPaths,
    ]) {
      expect(log).not.toContain(secret);
    }
    if (process.getuid?.() === 0) expect(log).toContain('uid=65534');
    expect(log).toContain(`cannot open /proc/${process.pid}/environ: No such file`);
    expect(log).toContain(`/proc/${process.pid}/cmdline: No such file or directory`);
    expect(log).toContain(`cannot open '${sqlite}' for reading: No such file or directory`);
    // An empty mask over the data directory, holding only the way to the run's own directory.
    expect(log).toMatch(/^datadir=runs $/m);
    expect(log).toMatch(/^shared=kiln-data kiln.yaml $/m);
    expect(log).toMatch(/^config=0$/m); // an empty file in its place
    // Its own PID namespace: bubblewrap's reaper, the shell and the few it started.
    const processes = Number(/^processes=(\d+)$/m.exec(log)?.[1]);
    expect(processes).toBeLessThan(6);
    expect(log).toContain('done');
  }, 60_000);

  it("keeps another user's run, its environment and its files from a member's run", async () => {
    const bob = await startBobsSecretRun();
    const bobRunDir = join(dataDir, 'runs', bob.id, '1');
    try {
      const { log } = await runAsAlice(
        [
          `echo "environ:"; tr '\\0' '\\n' < /proc/${bob.pid}/environ`,
          `echo "scan=$(cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c ${BOB_SECRET})"`,
          `echo "log:"; cat ${bobRunDir}/log.txt`,
          `echo "outputs:"; ls ${bobRunDir}/output`,
          'echo "done"',
        ].join('; '),
      );

      expect(log).not.toContain(`BOB_SECRET=${BOB_SECRET}`);
      expect(log).not.toContain('sleeping');
      expect(log).toContain(`cannot open /proc/${bob.pid}/environ: No such file`);
      expect(log).toMatch(/^scan=0$/m);
      expect(log).toContain(`${bobRunDir}/log.txt: No such file or directory`);
      expect(log).toContain('done');
    } finally {
      await cancel(bob.id, world.tokens.bob);
    }
  }, 60_000);

  it("keeps Kiln's own records of a run out of the run's reach, so it cannot forge them", async () => {
    const { task, log } = await runAsAlice(
      [
        'ls -a .',
        'echo \'{"exitCode":0}\' > exit.json',
        'echo forged > log.txt',
        'echo kept > output/result.txt',
      ].join('; '),
    );

    expect(task.status).toBe('succeeded');
    expect(log).not.toContain('handle.json');
    expect(log).not.toContain('forged');
    const runDir = join(dataDir, 'runs', task.id, '1');
    expect(readFileSync(join(runDir, 'log.txt'), 'utf8')).not.toContain('forged');
    expect(await unwrap(artifact(task.id, 'result.txt'))).toBe('kept\n');
  }, 60_000);

  it('still trains the example in the sandbox: metrics, progress and a downloadable model', async () => {
    const submitted = await world.submit({
      name: 'logistic regression, sandboxed',
      command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
      hyperparameters: { epochs: 10, samples: 200 },
    });
    const task = await world.waitForStatus(submitted.data!.id, FINAL, 60_000);
    expect(task).toMatchObject({ status: 'succeeded', progress: 1 });
    const metrics = await unwrap(
      as(world.tokens.alice).GET('/api/v1/tasks/{id}/metrics', {
        params: { path: { id: task.id }, query: { names: 'loss' } },
      }),
    );
    expect(metrics.series[0].points.length).toBeGreaterThan(1);
    const model = JSON.parse(await unwrap(artifact(task.id, 'model.json')));
    expect(model).toEqual(expect.objectContaining({ weights: expect.any(Array) }));
  }, 90_000);

  it('still hands a sandboxed run its GPUs through CUDA_VISIBLE_DEVICES', async () => {
    const { log } = await runAsAlice('echo "gpus=[$CUDA_VISIBLE_DEVICES]"', {
      queue: 'gpu',
      resources: { cpu: 1, memoryMiB: 256, gpu: 2 },
    });
    expect(log.trim()).toBe('gpus=[0,1]');
  }, 60_000);

  it('still stops every process of a sandboxed run on cancel and on timeout', async () => {
    const ignoreTerm = `python3 ${join(EXAMPLES, 'sleep.py')} 60 --ignore-sigterm & wait`;
    const cancelled = await world.submit({
      name: 'cancel me',
      command: ['/bin/sh', '-c', ignoreTerm],
    });
    await world.waitForStatus(cancelled.data!.id, ['running']);
    await waitUntil(() => processesOfTask(cancelled.data!.id).length >= 2, { timeoutMs: 10_000 });
    await cancel(cancelled.data!.id);
    await world.waitForStatus(cancelled.data!.id, ['cancelled']);
    expect(processesOfTask(cancelled.data!.id)).toEqual([]);

    const timedOut = await world.submit({
      name: 'time me out',
      command: ['/bin/sh', '-c', ignoreTerm],
      timeoutSeconds: 1,
    });
    await world.waitForStatus(timedOut.data!.id, ['timed_out']);
    expect(processesOfTask(timedOut.data!.id)).toEqual([]);
  }, 60_000);

  it("refuses a member's submit to a queue limited to admins, naming the queue", async () => {
    const refused = await world.submit({ name: 'not mine', command: ['true'], queue: 'admins' });
    expect(refused.response.status).toBe(403);
    expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.error?.detail).toContain('Queue admins');
    const admitted = await world.submit(
      { name: 'admin only', command: ['true'], queue: 'admins' },
      'admin',
    );
    expect(admitted.response.status).toBe(201);
  });
}

function configFileOf(lines: string[]): string {
  const path = join(tempDataDir('kiln-queues-'), 'kiln.yaml');
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** Without isolation, local queues take admins only unless a queue says otherwise. */
export function unisolatedQueueScenarios(start: StartApp): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, {
      KILN_LOCAL_ISOLATION: 'none',
      KILN_CONFIG_FILE: configFileOf([
        'tasks:',
        '  queues:',
        '    - { name: default, executor: local, maxRunning: 4, maxGpus: 0 }',
        '    - { name: trusted, executor: local, maxRunning: 1, maxGpus: 0, allowedRoles: [admin, member] }',
      ]),
    });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it('takes tasks for an unisolated local queue from admins only, and says why', async () => {
    const refused = await world.submit({ name: 'member', command: ['true'] });
    expect(refused.response.status).toBe(403);
    expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.error?.detail).toBe('Queue default takes tasks from admin only.');

    const admin = await world.submit({ name: 'admin', command: ['true'] }, 'admin');
    expect(admin.response.status).toBe(201);
  });

  it("takes a member's task where the queue allows members explicitly", async () => {
    const allowed = await world.submit({ name: 'member', command: ['true'], queue: 'trusted' });
    expect(allowed.response.status).toBe(201);
  });
}
