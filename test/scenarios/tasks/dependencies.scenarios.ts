// Tasks that wait for other tasks to succeed.
import { FINAL, shell, TaskWorld } from './task-world';

export function dependencyScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  it('starts a task only after the tasks it depends on succeed, and fails it when one fails', async () => {
    const first = await world.submit({ name: 'prepare data', command: ['sleep', '1'] });
    const next = await world.submit({
      name: 'train',
      command: ['true'],
      dependsOn: [first.body.id],
    });
    expect(next.body.dependsOn).toEqual([first.body.id]);
    const waiting = (await world.api.get(`/tasks/${next.body.id}`, world.tokens.alice)).body;
    expect(waiting.status).toBe('pending');
    expect(waiting.waiting.reasons.join(' ')).toContain(`depends on: ${first.body.id}`);
    const trained = await world.waitForStatus(next.body.id, FINAL);
    expect(trained.status).toBe('succeeded');
    const events = (await world.api.get(`/tasks/${first.body.id}/events`, world.tokens.alice)).body;
    const firstDone = Date.parse(events[events.length - 1].occurredAt);
    expect(Date.parse(trained.startedAt)).toBeGreaterThanOrEqual(firstDone);

    const broken = await world.submit({ name: 'bad prep', ...shell('exit 4') });
    const doomed = await world.submit({
      name: 'never runs',
      command: ['true'],
      dependsOn: [broken.body.id],
    });
    const failed = await world.waitForStatus(doomed.body.id, FINAL);
    expect(failed).toMatchObject({ status: 'failed', attempt: 0 });
    expect(failed.failureReason).toBe(`task ${broken.body.id} it depends on ended failed`);

    const unknown = await world.submit({
      name: 'x',
      command: ['true'],
      dependsOn: ['5b6c0e1e-9f43-4a43-9d6e-3c1f2a4b5c6d'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('dependsOn');
    const othersTask = await world.submit({ name: 'bob', command: ['true'] }, world.tokens.bob);
    const notMine = await world.submit({
      name: 'x',
      command: ['true'],
      dependsOn: [othersTask.body.id],
    });
    expect(notMine.status).toBe(400);
  }, 30_000);
}
