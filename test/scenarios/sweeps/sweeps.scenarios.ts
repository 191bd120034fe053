// Sweeps through the REST API: a 3x3 grid of the example training script under a
// parallelism limit, its leaderboard from the real metric points, and cancel. Written
// once, run on the embedded default and on PostgreSQL + Redis.
import { join, resolve } from 'node:path';
import { unwrap, type Sweep, type SweepSubmission } from '@kiln/client';
import { waitUntil } from '../../../src/common/wait-until';
import { readPages } from '../../support/cursor-pages';
import { StartApp, startTaskWorld, TaskWorld } from '../tasks/task-world';

const EXAMPLES = resolve(__dirname, '..', '..', '..', 'examples');

export function sweepScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, env);
  });

  afterAll(() => world?.kiln.close());

  const read = (id: string) =>
    unwrap(world.as.alice.GET('/api/v1/sweeps/{id}', { params: { path: { id } } }));
  const create = (body: SweepSubmission) => world.as.alice.POST('/api/v1/sweeps', { body });
  const waitForStatus = async (id: string, status: Sweep['status'], timeoutMs = 90_000) => {
    let sweep: Sweep | undefined;
    const result = await waitUntil(
      async () => {
        sweep = await read(id);
        return sweep.status === status;
      },
      { timeoutMs, intervalMs: 200 },
    );
    if (!result.satisfied)
      throw new Error(`sweep ${id} is ${sweep?.status}: ${JSON.stringify(sweep?.progress)}`);
    return sweep!;
  };

  it('runs a 3x3 grid with never more than `parallelism` trials unfinished, and ranks them by their metric', async () => {
    const created = await create({
      name: 'logreg grid',
      task: {
        name: 'logreg',
        command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
        hyperparameters: { samples: 300 },
      },
      parameters: [
        { name: 'learning_rate', values: [0.01, 0.1, 0.5] },
        { name: 'epochs', values: [2, 5, 10] },
      ],
      strategy: 'grid',
      maxTrials: 100,
      parallelism: 2,
      objective: { metric: 'loss', goal: 'minimize' },
    });
    expect(created.response.status).toBe(201);
    expect(created.data?.progress.total).toBe(9);
    const sweepId = created.data!.id;
    const done = await waitForStatus(sweepId, 'completed');
    expect(done.progress).toMatchObject({ total: 9, submitted: 9, active: 0, succeeded: 9 });
    const trials = done.trials;
    const best = trials.find(
      (trial) => trial.hyperparameters.learning_rate === 0.5 && trial.hyperparameters.epochs === 10,
    )!;
    // the task runs the template's hyperparameters with the trial's merged over them
    const task = (id: string) =>
      unwrap(world.as.alice.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
    const bestTask = await task(best.taskId);
    expect(bestTask.hyperparameters).toEqual({ samples: 300, learning_rate: 0.5, epochs: 10 });

    // from each trial's events: at no moment were more than 2 unfinished
    const spans: Array<[number, number]> = [];
    for (const trial of trials) {
      const events = await unwrap(
        world.as.alice.GET('/api/v1/tasks/{id}/events', {
          params: { path: { id: trial.taskId } },
        }),
      );
      const times = events.map((event) => Date.parse(event.occurredAt));
      spans.push([Math.min(...times), Math.max(...times)]);
    }
    for (const [startAt] of spans) {
      const open = spans.filter(([from, to]) => from <= startAt && startAt < to).length;
      expect(open).toBeLessThanOrEqual(2);
    }

    // the leaderboard is the real last loss of each trial, lowest first
    const lastLoss = new Map<string, number>();
    for (const trial of trials) {
      const metrics = await unwrap(
        world.as.alice.GET('/api/v1/tasks/{id}/metrics', {
          params: { path: { id: trial.taskId }, query: { names: 'loss' } },
        }),
      );
      const points = metrics.series[0].points;
      lastLoss.set(trial.taskId, points[points.length - 1].value);
    }
    const leaderboard = done.leaderboard;
    expect(leaderboard).toHaveLength(9);
    expect(leaderboard.map((trial) => trial.value)).toEqual(
      leaderboard.map((trial) => lastLoss.get(trial.taskId)),
    );
    const values = leaderboard.map((trial) => trial.value!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(done.best?.taskId).toBe(leaderboard[0].taskId);

    // the trials list pages by index, each trial as the sweep shows it
    const trialPages = await readPages((cursor) =>
      unwrap(
        world.as.alice.GET('/api/v1/sweeps/{id}/trials', {
          params: { path: { id: sweepId }, query: { limit: 4, cursor } },
        }),
      ),
    );
    expect(trialPages.map((page) => page.map((trial) => trial.index))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8],
    ]);
    expect(trialPages.flat()).toEqual(trials);

    const tagged = await unwrap(
      world.as.alice.GET('/api/v1/tasks', {
        params: { query: { label: [`kiln.dev/sweep=${sweepId}`], limit: 100 } },
      }),
    );
    expect(tagged.items).toHaveLength(9);
  }, 120_000);

  it('pages through the sweeps oldest first by cursor, and refuses a cursor it did not write', async () => {
    const created: string[] = [];
    for (let index = 0; index < 3; index++) {
      const sweep = await world.as.bob.POST('/api/v1/sweeps', {
        body: {
          name: `paged ${index}`,
          task: { name: 'quick', command: ['true'] },
          parameters: [{ name: 'x', values: [1] }],
          maxTrials: 1,
          objective: { metric: 'loss', goal: 'minimize' },
        },
      });
      expect(sweep.response.status).toBe(201);
      created.push(sweep.data!.id);
    }

    const pages = await readPages((cursor) =>
      unwrap(world.as.bob.GET('/api/v1/sweeps', { params: { query: { limit: 2, cursor } } })),
    );

    expect(pages.every((page) => page.length <= 2)).toBe(true);
    const listed = pages.flat();
    expect(new Set(listed.map((sweep) => sweep.id)).size).toBe(listed.length);
    expect(listed.map((sweep) => sweep.id)).toEqual(expect.arrayContaining(created));
    const oldestFirst = [...listed].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    expect(listed.map((sweep) => sweep.id)).toEqual(oldestFirst.map((sweep) => sweep.id));
    const bad = await world.as.bob.GET('/api/v1/sweeps', {
      params: { query: { cursor: 'bm90IGpzb24' } },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const badTrials = await world.as.bob.GET('/api/v1/sweeps/{id}/trials', {
      params: {
        path: { id: created[0] },
        query: { cursor: Buffer.from('{"i":-1}').toString('base64url') },
      },
    });
    expect(badTrials.response.status).toBe(400);
    for (const id of created) {
      const ofSweep = { params: { path: { id } } };
      const sweep = await unwrap(world.as.bob.GET('/api/v1/sweeps/{id}', ofSweep));
      if (sweep.status === 'running')
        await world.as.bob.POST('/api/v1/sweeps/{id}/cancel', ofSweep);
    }
  });

  it('cancel stops the sweep and every unfinished trial, and submits no more', async () => {
    const created = await create({
      name: 'long',
      task: { name: 'sleeper', command: ['sleep', '30'] },
      parameters: [{ name: 'x', min: 0, max: 1 }],
      strategy: 'random',
      seed: 7,
      maxTrials: 6,
      parallelism: 2,
      objective: { metric: 'loss', goal: 'minimize', value: 'best' },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    const started = await waitUntil(async () => (await read(id)).progress.submitted === 2, {
      timeoutMs: 30_000,
    });
    expect(started.satisfied).toBe(true);
    const cancelled = await world.as.alice.POST('/api/v1/sweeps/{id}/cancel', {
      params: { path: { id } },
    });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data?.status).toBe('cancelled');
    for (const trial of cancelled.data!.trials) {
      const task = await world.waitForStatus(trial.taskId, ['cancelled']);
      expect(task.status).toBe('cancelled');
    }
    const later = await read(id);
    expect(later.progress.submitted).toBe(2);
  }, 60_000);

  it('median early stopping cancels a running trial worse than the finished ones at its step', async () => {
    const script = [
      'import json, os, time',
      "x = json.loads(os.environ['KILN_HPARAMS'])['x']",
      "point = lambda step: print('KILN_METRIC ' + json.dumps({'name': 'loss', 'step': step, 'value': x}), flush=True)",
      'point(1)',
      'time.sleep(30 if x >= 10 else 0)',
      'point(2)',
    ].join('\n');
    const created = await create({
      name: 'median',
      task: { name: 'trial', command: ['python3', '-c', script] },
      parameters: [{ name: 'x', values: [1, 2, 3, 10] }],
      maxTrials: 4,
      parallelism: 4,
      objective: { metric: 'loss', goal: 'minimize' },
      earlyStopping: 'median',
    });
    expect(created.response.status).toBe(201);
    const done = await waitForStatus(created.data!.id, 'completed', 25_000);
    const byX = new Map(done.trials.map((trial) => [trial.hyperparameters.x, trial]));
    expect(byX.get(10)!.status).toBe('cancelled');
    for (const x of [1, 2, 3]) expect(byX.get(x)!.status).toBe('succeeded');
    expect(done.progress).toMatchObject({ succeeded: 3, unsuccessful: 1 });
    expect(done.best?.hyperparameters).toEqual({ x: 1 });
  }, 60_000);

  it('refuses a range in a grid and a sweep by another member’s eyes', async () => {
    const range = await create({
      name: 'bad',
      task: { name: 'x', command: ['true'] },
      parameters: [{ name: 'lr', min: 0.1, max: 1 }],
      maxTrials: 3,
      objective: { metric: 'loss', goal: 'minimize' },
    });
    expect(range.response.status).toBe(400);
    expect(range.error?.errors?.[0].field).toBe('parameters.0');
    const alices = (
      await readPages((cursor) =>
        unwrap(world.as.alice.GET('/api/v1/sweeps', { params: { query: { limit: 200, cursor } } })),
      )
    ).flat();
    expect(alices.length).toBeGreaterThan(0);
    const list = await world.as.bob.GET('/api/v1/sweeps');
    expect(list.response.status).toBe(200);
    const bobSees = new Set(list.data!.items.map((sweep) => sweep.id));
    expect(alices.filter((sweep) => bobSees.has(sweep.id))).toEqual([]);
  });
}
