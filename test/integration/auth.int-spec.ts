import { authScenarios } from '../scenarios/auth.scenarios';
import { StartApp } from '../scenarios/auth/auth-world';
import { firstStartScenarios } from '../scenarios/auth/first-start.scenarios';
import { loginThrottlingScenarios } from '../scenarios/auth/login-throttling.scenarios';
import { createTestDatabase } from '../support/postgres';
import { startTestApp } from '../support/test-app';

/** Each app gets a fresh PostgreSQL database, dropped when the app closes. */
const startOnPostgres: StartApp = async (options) => {
  const database = await createTestDatabase('kiln_auth');
  try {
    const kiln = await startTestApp({
      ...options,
      env: { ...options.env, KILN_DATABASE_URL: database.url },
    });
    const close = kiln.close;
    kiln.close = async () => {
      await close();
      await database.drop();
    };
    return kiln;
  } catch (error) {
    await database.drop();
    throw error;
  }
};

describe('auth on PostgreSQL', () => {
  authScenarios(startOnPostgres);
  loginThrottlingScenarios(startOnPostgres);
  firstStartScenarios(startOnPostgres);
});
