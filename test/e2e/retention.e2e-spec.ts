import { retentionScenarios } from '../scenarios/retention/retention.scenarios';
import { startTestApp } from '../support/test-app';

describe('retention on the embedded default (SQLite, in-process queue)', () => {
  retentionScenarios(startTestApp);
});
