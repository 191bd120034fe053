import { restartMidRunScenario } from '../scenarios/task-restart.scenario';

describe('a Kiln restart in the middle of a run, on the embedded default', () => {
  restartMidRunScenario({ env: async () => ({}) });
});
