import {
  authScenarios,
  firstStartScenarios,
  loginThrottlingScenarios,
} from '../scenarios/auth.scenarios';
import { startTestApp } from '../support/test-app';

describe('auth on the embedded default (SQLite)', () => {
  authScenarios(startTestApp);
  loginThrottlingScenarios(startTestApp);
  firstStartScenarios(startTestApp);
});
