// Cancelling a task in each state, including a run whose launch never recorded its handle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { waitUntil } from '../../../src/common/wait-until';
import { readProcessIdentity } from '../../../src/modules/runtimes/local/process/process-identity';
import { TaskAttempt } from '../../../src/modules/tasks/persistence/entities/task-attempt.entity';
import { tempDataDir } from '../../support/test-config';
import { FINAL, shell, StartApp, startTaskWorld, TaskWorld } from './task-world';

export function cancellingScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  it('cancels pending, running and finished tasks as each state allows', async () => {
    const blocker = await world.submit({
      name: 'holds the slot',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    await world.waitForStatus(blocker.body.id, ['running']);
    const waiting = await world.submit({ name: 'waits', queue: 'tiny', command: ['true'] });
    const detail = await world.api.get(`/tasks/${waiting.body.id}`, world.tokens.alice);
    expect(detail.body.status).toBe('pending');
    expect(detail.body.waiting.position).toBe(1);
    expect(detail.body.waiting.reasons.join(' ')).toContain('queue tiny is at capacity');

    const cancelledPending = await world.api.post(
      `/tasks/${waiting.body.id}/cancel`,
      {},
      world.tokens.alice,
    );
    expect(cancelledPending.body.status).toBe('cancelled');

    const cancelling = await world.api.post(
      `/tasks/${blocker.body.id}/cancel`,
      {},
      world.tokens.alice,
    );
    expect(['cancelling', 'cancelled']).toContain(cancelling.body.status);
    const cancelled = await world.waitForStatus(blocker.body.id, FINAL);
    expect(cancelled.status).toBe('cancelled');

    const again = await world.api.post(`/tasks/${blocker.body.id}/cancel`, {}, world.tokens.alice);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('cancelled');
    const done = await world.submit({ name: 'quick', command: ['true'] });
    await world.waitForStatus(done.body.id, ['succeeded']);
    const tooLate = await world.api.post(`/tasks/${done.body.id}/cancel`, {}, world.tokens.alice);
    expect(tooLate.status).toBe(409);
    expect(tooLate.headers.get('content-type')).toContain('application/problem+json');

    const retried = await world.api.post(`/tasks/${blocker.body.id}/retry`, {}, world.tokens.alice);
    expect(retried.body.status).toBe('pending');
    await world.waitForStatus(blocker.body.id, ['running']);
    await world.api.post(`/tasks/${blocker.body.id}/cancel`, {}, world.tokens.alice);
    await world.waitForStatus(blocker.body.id, ['cancelled']);
  }, 60_000);

  it('adopts a run whose launch did not record its handle, and stops it on cancel', async () => {
    // What a worker that died between starting a run and recording its handle leaves.
    const forgetHandle = (taskId: string) =>
      world.kiln.app
        .get(DataSource)
        .getRepository(TaskAttempt)
        .update({ taskId }, { handle: null });
    const logShows = async (id: string, text: string) =>
      (
        await waitUntil(
          async () =>
            (await world.api.get(`/tasks/${id}/logs`, world.tokens.alice)).text.includes(text),
          { timeoutMs: 15_000 },
        )
      ).satisfied;

    const finishing = await world.submit({
      name: 'handle lost',
      ...shell('echo started; sleep 2'),
    });
    expect(await logShows(finishing.body.id, 'started')).toBe(true);
    await forgetHandle(finishing.body.id);
    // long before KILN_LAUNCH_GRACE_SECONDS (60 s), and without a retry beside it
    const finished = await world.waitForStatus(finishing.body.id, FINAL, 15_000);
    expect(finished).toMatchObject({ status: 'succeeded', attempt: 1 });

    const marker = join(tempDataDir('kiln-adopt-'), 'pid');
    const cancelled = await world.submit({
      name: 'handle lost, then cancelled',
      ...shell(`echo $$ > ${marker}; echo started; exec sleep 60`),
    });
    expect(await logShows(cancelled.body.id, 'started')).toBe(true);
    await forgetHandle(cancelled.body.id);
    await world.api.post(`/tasks/${cancelled.body.id}/cancel`, {}, world.tokens.alice);
    await world.waitForStatus(cancelled.body.id, ['cancelled']);
    await expect(
      readProcessIdentity(Number(readFileSync(marker, 'utf8'))),
    ).resolves.toBeUndefined();
  }, 60_000);
}

/**
 * Cancelling a task in `queued`: on an api-only process the dispatcher queues tasks
 * but no worker launches them, so the task stays queued until it is cancelled, and the
 * launch job that still waits in the queue must never start it later.
 */
export function queuedCancelScenario(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, { KILN_ROLE: 'api', ...env });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it('cancels a queued task at once, before any worker launches it', async () => {
    const submitted = await world.submit({ name: 'queued only', command: ['true'] });
    await world.waitForStatus(submitted.body.id, ['queued']);
    const cancelled = await world.api.post(
      `/tasks/${submitted.body.id}/cancel`,
      {},
      world.tokens.alice,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const events = (await world.api.get(`/tasks/${submitted.body.id}/events`, world.tokens.alice))
      .body;
    expect(events.map((e: { to: string }) => e.to)).toEqual(['pending', 'queued', 'cancelled']);
  });
}
