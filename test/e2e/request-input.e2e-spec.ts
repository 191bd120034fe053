import { requestInputScenarios } from '../scenarios/request-input.scenarios';
import { startTestApp } from '../support/test-app';

describe('request input on the embedded default (SQLite, in-process queue)', () => {
  requestInputScenarios(startTestApp);
});
