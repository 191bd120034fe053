import { apiFuzzScenario } from '../scenarios/api-fuzz.scenario';
import { KilnProcess } from '../support/kiln-process';

/** Generous: the suite shares two cores with other suites. */
const BOOT_WAIT_MS = 120_000;

describe('spec-driven fuzzing on the embedded default (SQLite)', () => {
  apiFuzzScenario(async (env) => {
    const kiln = await KilnProcess.start({ env, waitForReady: false });
    await kiln.waitForStatus('/health/ready', 200, BOOT_WAIT_MS);
    return { kiln, close: async () => void (await kiln.stop()) };
  });
});
