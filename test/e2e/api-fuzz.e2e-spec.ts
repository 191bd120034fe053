import { apiFuzzScenario } from '../scenarios/api-fuzz.scenario';
import { KilnProcess } from '../support/kiln-process';

describe('spec-driven fuzzing on the embedded default (SQLite)', () => {
  apiFuzzScenario(async (env) => {
    const kiln = await KilnProcess.start({ env });
    return { kiln, close: async () => void (await kiln.stop()) };
  });
});
