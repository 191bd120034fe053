// The task lifecycle scenarios, written once and run on the embedded default
// (test/e2e/tasks.e2e-spec.ts) and on PostgreSQL + Redis (test/integration/tasks.int-spec.ts).
// They share one running Kiln, started once, and run in this order.
import { cancellingScenarios } from './tasks/cancelling.scenarios';
import { deletionScenarios } from './tasks/deletion.scenarios';
import { dependencyScenarios } from './tasks/dependencies.scenarios';
import { observingScenarios } from './tasks/observing.scenarios';
import { requestScenarios } from './tasks/requests.scenarios';
import { runScenarios } from './tasks/running.scenarios';
import { StartApp, startTaskWorld, TaskWorld } from './tasks/task-world';

export function taskLifecycleScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, env);
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  const worldOf = () => world;
  runScenarios(worldOf);
  cancellingScenarios(worldOf);
  dependencyScenarios(worldOf);
  requestScenarios(worldOf);
  observingScenarios(worldOf);
  deletionScenarios(worldOf);
}
