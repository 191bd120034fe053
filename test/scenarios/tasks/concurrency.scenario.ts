// 200 tasks against a queue of capacity 4.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap, type TaskStatus } from '@kiln/client';
import { waitUntil } from '../../../src/common/wait-until';
import { tempDataDir } from '../../support/test-config';
import { queuesConfigFile, shell, StartApp, startTaskWorld, TaskWorld } from './task-world';

/**
 * 200 tasks submitted at once against a queue of capacity 4: never more than 4 running,
 * every task launched exactly once (each run appends its id to a file), all succeed.
 */
export function taskConcurrencyScenario(start: StartApp, env: Record<string, string> = {}): void {
  const TASKS = 200;
  const CAPACITY = 4;
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, {
      KILN_CONFIG_FILE: queuesConfigFile(CAPACITY),
      KILN_USER_MAX_RUNNING: '100',
      ...env,
    });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it(`runs ${TASKS} tasks with at most ${CAPACITY} at once, each launched once`, async () => {
    const launches = join(tempDataDir('kiln-launches-'), 'launches.txt');
    const submits = await Promise.all(
      Array.from({ length: TASKS }, (_, n) =>
        world.submit({ name: `load ${n}`, ...shell(`echo "$KILN_TASK_ID" >> ${launches}`) }),
      ),
    );
    expect(submits.map((s) => s.response.status)).toEqual(Array(TASKS).fill(201));
    const ids = submits.map((s) => s.data!.id);
    const list = (status: TaskStatus[]) =>
      unwrap(world.as.alice.GET('/api/v1/tasks', { params: { query: { status, limit: 200 } } }));
    const done = await waitUntil(async () => (await list(['succeeded'])).items.length === TASKS, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    if (!done.satisfied) {
      const others = await list(['pending', 'queued', 'running', 'failed', 'lost', 'cancelling']);
      const stuck = others.items.map((t) => ({
        id: t.id,
        status: t.status,
        attempt: t.attempt,
        failureReason: t.failureReason,
      }));
      throw new Error(`not every task succeeded: ${JSON.stringify(stuck)}`);
    }
    const launched = readFileSync(launches, 'utf8').trim().split('\n');
    expect(launched).toHaveLength(TASKS);
    expect(new Set(launched)).toEqual(new Set(ids));

    const intervals: Array<[number, number]> = [];
    for (const id of ids) {
      const attempts = await unwrap(
        world.as.alice.GET('/api/v1/tasks/{id}/attempts', { params: { path: { id } } }),
      );
      expect(attempts).toHaveLength(1);
      intervals.push([Date.parse(attempts[0].startedAt!), Date.parse(attempts[0].finishedAt!)]);
    }
    expect(maxOverlap(intervals)).toBeLessThanOrEqual(CAPACITY);
  }, 180_000);
}

/** Most intervals open at one instant; an end at the same instant as a start frees first. */
function maxOverlap(intervals: Array<[number, number]>): number {
  const points = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of points) most = Math.max(most, (open += delta));
  return most;
}
