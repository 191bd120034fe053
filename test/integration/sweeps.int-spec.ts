import { sweepScenarios } from '../scenarios/sweeps/sweeps.scenarios';
import { startOnPostgresAndRedis } from '../support/production-app';

describe('sweeps on PostgreSQL + Redis (BullMQ queue, Redis leader lock)', () => {
  sweepScenarios((options) => startOnPostgresAndRedis(options, 'kiln_sweeps'));
});
