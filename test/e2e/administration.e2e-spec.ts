import { administrationScenarios } from '../scenarios/admin/administration.scenarios';
import { startTestApp } from '../support/test-app';

describe('administration of queues, quotas and the audit log on the embedded default (SQLite)', () => {
  administrationScenarios(startTestApp);
});
