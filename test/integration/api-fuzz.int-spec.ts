import { apiFuzzScenario } from '../scenarios/api-fuzz.scenario';
import { KilnProcess } from '../support/kiln-process';
import { createTestDatabase } from '../support/postgres';

describe('spec-driven fuzzing on PostgreSQL', () => {
  apiFuzzScenario(async (env) => {
    const database = await createTestDatabase('kiln_fuzz');
    const kiln = await KilnProcess.start({
      env: { ...env, KILN_DATABASE_URL: database.url },
    }).catch(async (error: unknown) => {
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
