import { queuedCancelScenario } from '../scenarios/tasks/cancelling.scenarios';
import { taskConcurrencyScenario } from '../scenarios/tasks/concurrency.scenario';
import { taskLifecycleScenarios } from '../scenarios/tasks.scenarios';
import { startOnPostgresAndRedis } from '../support/production-app';

describe('training tasks on PostgreSQL + Redis (BullMQ queue, Redis leader lock)', () => {
  taskLifecycleScenarios((options) => startOnPostgresAndRedis(options, 'kiln_tasks'));
});

describe('200 tasks against capacity 4 on PostgreSQL + Redis', () => {
  taskConcurrencyScenario((options) => startOnPostgresAndRedis(options, 'kiln_tasks_load'));
});

describe('a queued task on an api-only process (no worker) on PostgreSQL + Redis', () => {
  queuedCancelScenario((options) => startOnPostgresAndRedis(options, 'kiln_tasks_queued'));
});
