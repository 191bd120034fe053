// Sweeps through the REST API: a 3x3 grid of the example training script under a
// parallelism limit, its leaderboard from the real metric points, and cancel. Written
// once, run on the embedded default and on PostgreSQL + Redis.
import { join, resolve } from 'node:path';
import { waitUntil } from '../../../src/common/wait-until';
import { readPages } from '../../support/cursor-pages';
import { StartApp, startTaskWorld, TaskWorld } from '../tasks/task-world';

const EXAMPLES = resolve(__dirname, '..', '..', '..', 'examples');

interface Trial {
  index: number;
  taskId: string;
  status: string;
  value: number | null;
  hyperparameters: Record<string, unknown>;
}

export function sweepScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, env);
  });

  afterAll(() => world?.kiln.close());

  const read = async (id: string) =>
    (await world.api.get(`/sweeps/${id}`, world.tokens.alice)).body;
  const waitForStatus = async (id: string, status: string, timeoutMs = 90_000) => {
    let sweep: Record<string, any> = {};
    const result = await waitUntil(
      async () => {
        sweep = await read(id);
        return sweep.status === status;
      },
      { timeoutMs, intervalMs: 200 },
    );
    if (!result.satisfied)
      throw new Error(`sweep ${id} is ${sweep.status}: ${JSON.stringify(sweep.progress)}`);
    return sweep;
  };

  it('runs a 3x3 grid with never more than `parallelism` trials unfinished, and ranks them by their metric', async () => {
    const created = await world.api.post(
      '/sweeps',
      {
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
      },
      world.tokens.alice,
    );
    expect(created.status).toBe(201);
    expect(created.body.progress.total).toBe(9);
    const done = await waitForStatus(created.body.id, 'completed');
    expect(done.progress).toMatchObject({ total: 9, submitted: 9, active: 0, succeeded: 9 });
    const trials = done.trials as Trial[];
    const best = trials.find(
      (trial) => trial.hyperparameters.learning_rate === 0.5 && trial.hyperparameters.epochs === 10,
    )!;
    // the task runs the template's hyperparameters with the trial's merged over them
    const bestTask = await world.api.get(`/tasks/${best.taskId}`, world.tokens.alice);
    expect(bestTask.body.hyperparameters).toEqual({ samples: 300, learning_rate: 0.5, epochs: 10 });

    // from each trial's events: at no moment were more than 2 unfinished
    const spans: Array<[number, number]> = [];
    for (const trial of trials) {
      const events = (await world.api.get(`/tasks/${trial.taskId}/events`, world.tokens.alice))
        .body as Array<Record<string, string>>;
      const times = events.map((event) =>
        Date.parse(event.at ?? event.createdAt ?? event.occurredAt),
      );
      spans.push([Math.min(...times), Math.max(...times)]);
    }
    for (const [startAt] of spans) {
      const open = spans.filter(([from, to]) => from <= startAt && startAt < to).length;
      expect(open).toBeLessThanOrEqual(2);
    }

    // the leaderboard is the real last loss of each trial, lowest first
    const lastLoss = new Map<string, number>();
    for (const trial of trials) {
      const metrics = await world.api.get(
        `/tasks/${trial.taskId}/metrics?names=loss`,
        world.tokens.alice,
      );
      const points = metrics.body.series[0].points as Array<{ value: number }>;
      lastLoss.set(trial.taskId, points[points.length - 1].value);
    }
    const leaderboard = done.leaderboard as Trial[];
    expect(leaderboard).toHaveLength(9);
    expect(leaderboard.map((trial) => trial.value)).toEqual(
      leaderboard.map((trial) => lastLoss.get(trial.taskId)),
    );
    const values = leaderboard.map((trial) => trial.value!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(done.best?.taskId).toBe(leaderboard[0].taskId);

    // the trials list pages by index, each trial as the sweep shows it
    const trialPages = await readPages(
      world.api,
      `/sweeps/${created.body.id}/trials`,
      world.tokens.alice,
      4,
    );
    expect(trialPages.map((page) => page.map((trial) => trial.index))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8],
    ]);
    expect(trialPages.flat()).toEqual(trials);

    const tagged = await world.api.get(
      `/tasks?label=${encodeURIComponent(`kiln.dev/sweep=${created.body.id}`)}&limit=100`,
      world.tokens.alice,
    );
    expect(tagged.body.items).toHaveLength(9);
  }, 120_000);

  it('pages through the sweeps oldest first by cursor, and refuses a cursor it did not write', async () => {
    const created: string[] = [];
    for (let index = 0; index < 3; index++) {
      const sweep = await world.api.post(
        '/sweeps',
        {
          name: `paged ${index}`,
          task: { name: 'quick', command: ['true'] },
          parameters: [{ name: 'x', values: [1] }],
          maxTrials: 1,
          objective: { metric: 'loss', goal: 'minimize' },
        },
        world.tokens.bob,
      );
      expect(sweep.status).toBe(201);
      created.push(sweep.body.id);
    }

    const pages = await readPages(world.api, '/sweeps', world.tokens.bob, 2);

    expect(pages.every((page) => page.length <= 2)).toBe(true);
    const listed = pages.flat() as Array<{ id: string; createdAt: string }>;
    expect(new Set(listed.map((sweep) => sweep.id)).size).toBe(listed.length);
    expect(listed.map((sweep) => sweep.id)).toEqual(expect.arrayContaining(created));
    const oldestFirst = [...listed].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    expect(listed.map((sweep) => sweep.id)).toEqual(oldestFirst.map((sweep) => sweep.id));
    const bad = await world.api.get('/sweeps?cursor=bm90IGpzb24', world.tokens.bob);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const badTrials = await world.api.get(
      `/sweeps/${created[0]}/trials?cursor=${Buffer.from('{"i":-1}').toString('base64url')}`,
      world.tokens.bob,
    );
    expect(badTrials.status).toBe(400);
    for (const id of created) {
      const sweep = await world.api.get(`/sweeps/${id}`, world.tokens.bob);
      if (sweep.body.status === 'running') {
        await world.api.post(`/sweeps/${id}/cancel`, {}, world.tokens.bob);
      }
    }
  });

  it('cancel stops the sweep and every unfinished trial, and submits no more', async () => {
    const created = await world.api.post(
      '/sweeps',
      {
        name: 'long',
        task: { name: 'sleeper', command: ['sleep', '30'] },
        parameters: [{ name: 'x', min: 0, max: 1 }],
        strategy: 'random',
        seed: 7,
        maxTrials: 6,
        parallelism: 2,
        objective: { metric: 'loss', goal: 'minimize', value: 'best' },
      },
      world.tokens.alice,
    );
    expect(created.status).toBe(201);
    const started = await waitUntil(
      async () => (await read(created.body.id)).progress.submitted === 2,
      {
        timeoutMs: 30_000,
      },
    );
    expect(started.satisfied).toBe(true);
    const cancelled = await world.api.post(
      `/sweeps/${created.body.id}/cancel`,
      {},
      world.tokens.alice,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    for (const trial of cancelled.body.trials as Trial[]) {
      const task = await world.waitForStatus(trial.taskId, ['cancelled']);
      expect(task.status).toBe('cancelled');
    }
    const later = await read(created.body.id);
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
    const created = await world.api.post(
      '/sweeps',
      {
        name: 'median',
        task: { name: 'trial', command: ['python3', '-c', script] },
        parameters: [{ name: 'x', values: [1, 2, 3, 10] }],
        maxTrials: 4,
        parallelism: 4,
        objective: { metric: 'loss', goal: 'minimize' },
        earlyStopping: 'median',
      },
      world.tokens.alice,
    );
    expect(created.status).toBe(201);
    const done = await waitForStatus(created.body.id, 'completed', 25_000);
    const byX = new Map((done.trials as Trial[]).map((trial) => [trial.hyperparameters.x, trial]));
    expect(byX.get(10)!.status).toBe('cancelled');
    for (const x of [1, 2, 3]) expect(byX.get(x)!.status).toBe('succeeded');
    expect(done.progress).toMatchObject({ succeeded: 3, unsuccessful: 1 });
    expect(done.best?.hyperparameters).toEqual({ x: 1 });
  }, 60_000);

  it('refuses a range in a grid and a sweep by another member’s eyes', async () => {
    const range = await world.api.post(
      '/sweeps',
      {
        name: 'bad',
        task: { name: 'x', command: ['true'] },
        parameters: [{ name: 'lr', min: 0.1, max: 1 }],
        maxTrials: 3,
        objective: { metric: 'loss', goal: 'minimize' },
      },
      world.tokens.alice,
    );
    expect(range.status).toBe(400);
    expect(range.body.errors[0].field).toBe('parameters.0');
    const alices = (await readPages(world.api, '/sweeps', world.tokens.alice, 200)).flat();
    expect(alices.length).toBeGreaterThan(0);
    const list = await world.api.get('/sweeps', world.tokens.bob);
    expect(list.status).toBe(200);
    const bobSees = new Set(list.body.items.map((sweep: { id: string }) => sweep.id));
    expect(alices.filter((sweep) => bobSees.has(sweep.id))).toEqual([]);
  });
}
