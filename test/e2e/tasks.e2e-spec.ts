import { queuedCancelScenario } from '../scenarios/tasks/cancelling.scenarios';
import { taskConcurrencyScenario } from '../scenarios/tasks/concurrency.scenario';
import { taskLifecycleScenarios } from '../scenarios/tasks.scenarios';
import { startTestApp } from '../support/test-app';

describe('training tasks on the embedded default (SQLite, in-process queue)', () => {
  taskLifecycleScenarios(startTestApp);
});

describe('200 tasks against capacity 4 on the embedded default', () => {
  taskConcurrencyScenario(startTestApp);
});

describe('a queued task on an api-only process (no worker) on the embedded default', () => {
  queuedCancelScenario(startTestApp);
});
