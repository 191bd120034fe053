// A model trained by the example, and the spec fields that serve it, for tests that need
// a model service whose replicas answer their health checks.
import { join, resolve } from 'node:path';
import { FINAL, TaskWorld } from '../scenarios/tasks/task-world';

const EXAMPLES = resolve(__dirname, '../../examples');

export interface ServableModel {
  command: string[];
  model: { taskId: string; path: string };
}

/** Trains the example model as alice and answers the fields that serve it. */
export async function trainServableModel(world: TaskWorld): Promise<ServableModel> {
  const trained = await world.submit({
    name: 'train for serving',
    command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
    hyperparameters: { epochs: 5, samples: 100 },
  });
  const task = await world.waitForStatus(trained.data!.id, FINAL, 60_000);
  if (task.status !== 'succeeded') throw new Error(`training ended ${task.status}`);
  return {
    command: ['python3', join(EXAMPLES, 'serve_logistic_regression.py')],
    model: { taskId: task.id, path: 'model.json' },
  };
}
