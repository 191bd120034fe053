import { authScenarios } from '../scenarios/auth.scenarios';
import { firstStartScenarios } from '../scenarios/auth/first-start.scenarios';
import { loginThrottlingScenarios } from '../scenarios/auth/login-throttling.scenarios';
import { startTestApp } from '../support/test-app';

describe('auth on the embedded default (SQLite)', () => {
  authScenarios(startTestApp);
  loginThrottlingScenarios(startTestApp);
  firstStartScenarios(startTestApp);
});
