// Deleting a finished task.
import { TaskWorld } from './task-world';

export function deletionScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  it('deletes a finished task with everything it left', async () => {
    const submitted = await world.submit({ name: 'short lived', command: ['true'] });
    await world.waitForStatus(submitted.body.id, ['succeeded']);
    const deleted = await world.api.delete(`/tasks/${submitted.body.id}`, world.tokens.alice);
    expect(deleted.status).toBe(204);
    expect((await world.api.get(`/tasks/${submitted.body.id}`, world.tokens.alice)).status).toBe(
      404,
    );
  });
}
