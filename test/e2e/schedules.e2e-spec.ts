import { scheduleScenarios } from '../scenarios/schedules/schedules.scenarios';
import { startTestApp } from '../support/test-app';

describe('schedules on the embedded default (SQLite, in-process queue)', () => {
  scheduleScenarios(startTestApp);
});
