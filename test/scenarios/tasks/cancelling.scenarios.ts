// Cancelling a task in each state, including a run whose launch never recorded its handle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { waitUntil } from '../../../src/common/wait-until';
import { readProcessIdentity } from '../../../src/modules/runtimes/local/process/process-identity';
import { TaskAttempt } from '../../../src/modules/tasks/persistence/entities/task-attempt.entity';
import { unwrap } from '@kiln/client';
import { tempDataDir } from '../../support/test-config';
import { FINAL, shell, StartApp, startTaskWorld, TaskWorld } from './task-world';

export function cancellingScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  const cancel = (id: string) =>
    world.as.alice.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } } });

  it('cancels pending, running and finished tasks as each state allows', async () => {
    const blocker = await world.submit({
      name: 'holds the slot',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    const blockerId = blocker.data!.id;
    await world.waitForStatus(blockerId, ['running']);
    const waiting = await world.submit({ name: 'waits', queue: 'tiny', command: ['true'] });
    const waitingId = waiting.data!.id;
    const detail = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}', { params: { path: { id: waitingId } } }),
    );
    expect(detail.status).toBe('pending');
    expect(detail.waiting?.position).toBe(1);
    expect(detail.waiting?.reasons.join(' ')).toContain('queue tiny is at capacity');

    const cancelledPending = await cancel(waitingId);
    expect(cancelledPending.data?.status).toBe('cancelled');

    const cancelling = await cancel(blockerId);
    expect(['cancelling', 'cancelled']).toContain(cancelling.data?.status);
    const cancelled = await world.waitForStatus(blockerId, FINAL);
    expect(cancelled.status).toBe('cancelled');

    const again = await cancel(blockerId);
    expect(again.response.status).toBe(200);
    expect(again.data?.status).toBe('cancelled');
    const done = await world.submit({ name: 'quick', command: ['true'] });
    await world.waitForStatus(done.data!.id, ['succeeded']);
    const tooLate = await cancel(done.data!.id);
    expect(tooLate.response.status).toBe(409);
    expect(tooLate.response.headers.get('content-type')).toContain('application/problem+json');

    const retried = await world.as.alice.POST('/api/v1/tasks/{id}/retry', {
      params: { path: { id: blockerId } },
    });
    expect(retried.data?.status).toBe('pending');
    await world.waitForStatus(blockerId, ['running']);
    await cancel(blockerId);
    await world.waitForStatus(blockerId, ['cancelled']);
  }, 60_000);

  it('adopts a run whose launch did not record its handle, and stops it on cancel', async () => {
    // What a worker that died between starting a run and recording its handle leaves.
    const forgetHandle = (taskId: string) =>
      world.kiln.app
        .get(DataSource)
        .getRepository(TaskAttempt)
        .update({ taskId }, { handle: null });
    const readLog = async (id: string) =>
      (await unwrap(
        world.as.alice.GET('/api/v1/tasks/{id}/logs', {
          params: { path: { id } },
          parseAs: 'text',
        }),
      )) ?? '';
    const logShows = async (id: string, text: string) =>
      (await waitUntil(async () => (await readLog(id)).includes(text), { timeoutMs: 15_000 }))
        .satisfied;

    const finishing = await world.submit({
      name: 'handle lost',
      ...shell('echo started; sleep 2'),
    });
    const finishingId = finishing.data!.id;
    expect(await logShows(finishingId, 'started')).toBe(true);
    await forgetHandle(finishingId);
    // long before KILN_LAUNCH_GRACE_SECONDS (60 s), and without a retry beside it
    const finished = await world.waitForStatus(finishingId, FINAL, 15_000);
    expect(finished).toMatchObject({ status: 'succeeded', attempt: 1 });

    const marker = join(tempDataDir('kiln-adopt-'), 'pid');
    const cancelled = await world.submit({
      name: 'handle lost, then cancelled',
      ...shell(`echo $$ > ${marker}; echo started; exec sleep 60`),
    });
    const cancelledId = cancelled.data!.id;
    expect(await logShows(cancelledId, 'started')).toBe(true);
    await forgetHandle(cancelledId);
    await cancel(cancelledId);
    await world.waitForStatus(cancelledId, ['cancelled']);
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
    const path = { id: submitted.data!.id };
    await world.waitForStatus(path.id, ['queued']);
    const cancelled = await world.as.alice.POST('/api/v1/tasks/{id}/cancel', { params: { path } });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data?.status).toBe('cancelled');
    const events = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}/events', { params: { path } }),
    );
    expect(events.map((e) => e.to)).toEqual(['pending', 'queued', 'cancelled']);
  });
}
