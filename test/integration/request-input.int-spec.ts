import { requestInputScenarios } from '../scenarios/request-input.scenarios';
import { startOnPostgresAndRedis } from '../support/production-app';

// PostgreSQL refuses NUL, unpaired surrogates and dates SQLite would store; here each
// must still be a 400 from validation, never a 500 from the database.
describe('request input on PostgreSQL + Redis', () => {
  requestInputScenarios((options) => startOnPostgresAndRedis(options, 'kiln_request_input'));
});
