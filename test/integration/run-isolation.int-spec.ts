import { runIsolationScenarios } from '../scenarios/run-isolation.scenarios';
import { startOnPostgresAndRedis } from '../support/production-app';

describe("a member's run against Kiln and other runs, on PostgreSQL + Redis", () => {
  runIsolationScenarios((options) => startOnPostgresAndRedis(options, 'kiln_isolation'));
});
