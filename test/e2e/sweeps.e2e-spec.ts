import { sweepScenarios } from '../scenarios/sweeps/sweeps.scenarios';
import { startTestApp } from '../support/test-app';

describe('sweeps on the embedded default (SQLite, in-process queue)', () => {
  sweepScenarios(startTestApp);
});
