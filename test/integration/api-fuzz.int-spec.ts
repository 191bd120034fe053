import { apiFuzzScenario } from '../scenarios/api-fuzz.scenario';
import { KilnProcess } from '../support/kiln-process';
import { createTestDatabase } from '../support/postgres';

/** Generous: the suite shares two cores with other suites. */
const BOOT_WAIT_MS = 120_000;

describe('spec-driven fuzzing on PostgreSQL', () => {
  apiFuzzScenario(async (env) => {
    const database = await createTestDatabase('kiln_fuzz');
    const kiln = await KilnProcess.start({
      env: { ...env, KILN_DATABASE_URL: database.url },
      waitForReady: false,
    });
    await kiln.waitForStatus('/health/ready', 200, BOOT_WAIT_MS).catch(async (error: unknown) => {
      await kiln.stop();
      await database.drop();
      throw error;
    });
    return {
      kiln,
      close: async () => {
        await kiln.stop();
        await database.drop();
      },
    };
  });
});
