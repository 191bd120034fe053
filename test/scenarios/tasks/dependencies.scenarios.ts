// Tasks that wait for other tasks to succeed.
import { unwrap } from '@kiln/client';
import { FINAL, shell, TaskWorld } from './task-world';

export function dependencyScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  it('starts a task only after the tasks it depends on succeed, and fails it when one fails', async () => {
    const first = (await world.submit({ name: 'prepare data', command: ['sleep', '1'] })).data!;
    const next = await world.submit({
      name: 'train',
      command: ['true'],
      dependsOn: [first.id],
    });
    expect(next.data?.dependsOn).toEqual([first.id]);
    const waiting = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}', { params: { path: { id: next.data!.id } } }),
    );
    expect(waiting.status).toBe('pending');
    expect(waiting.waiting?.reasons.join(' ')).toContain(`depends on: ${first.id}`);
    const trained = await world.waitForStatus(waiting.id, FINAL);
    expect(trained.status).toBe('succeeded');
    const events = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}/events', { params: { path: { id: first.id } } }),
    );
    const firstDone = Date.parse(events[events.length - 1].occurredAt);
    expect(Date.parse(trained.startedAt!)).toBeGreaterThanOrEqual(firstDone);

    const broken = (await world.submit({ name: 'bad prep', ...shell('exit 4') })).data!;
    const doomed = await world.submit({
      name: 'never runs',
      command: ['true'],
      dependsOn: [broken.id],
    });
    const failed = await world.waitForStatus(doomed.data!.id, FINAL);
    expect(failed).toMatchObject({ status: 'failed', attempt: 0 });
    expect(failed.failureReason).toBe(`task ${broken.id} it depends on ended failed`);

    const unknown = await world.submit({
      name: 'x',
      command: ['true'],
      dependsOn: ['5b6c0e1e-9f43-4a43-9d6e-3c1f2a4b5c6d'],
    });
    expect(unknown.response.status).toBe(400);
    expect(unknown.error?.errors?.[0].field).toBe('dependsOn');
    const othersTask = await world.submit({ name: 'bob', command: ['true'] }, 'bob');
    const notMine = await world.submit({
      name: 'x',
      command: ['true'],
      dependsOn: [othersTask.data!.id],
    });
    expect(notMine.response.status).toBe(400);
  }, 30_000);
}
