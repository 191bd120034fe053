// Deleting a finished task.
import { TaskWorld } from './task-world';

export function deletionScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  it('deletes a finished task with everything it left', async () => {
    const submitted = await world.submit({ name: 'short lived', command: ['true'] });
    const path = { id: submitted.data!.id };
    await world.waitForStatus(path.id, ['succeeded']);
    const deleted = await world.as.alice.DELETE('/api/v1/tasks/{id}', { params: { path } });
    expect(deleted.response.status).toBe(204);
    const gone = await world.as.alice.GET('/api/v1/tasks/{id}', { params: { path } });
    expect(gone.response.status).toBe(404);
  });
}
