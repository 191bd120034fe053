import { webhookScenarios } from '../scenarios/admin/webhooks.scenarios';
import { startTestApp } from '../support/test-app';

describe('webhooks on the embedded default (SQLite, in-process job queue)', () => {
  webhookScenarios(startTestApp);
});
