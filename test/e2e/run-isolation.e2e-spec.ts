import {
  runIsolationScenarios,
  unisolatedQueueScenarios,
} from '../scenarios/run-isolation.scenarios';
import { startTestApp } from '../support/test-app';

describe("a member's run against Kiln and other runs, on the embedded default", () => {
  runIsolationScenarios(startTestApp);
});

describe('local queues without run isolation, on the embedded default', () => {
  unisolatedQueueScenarios(startTestApp);
});
