// Jest setup of the e2e suite: a response a Kiln server gives that the committed spec
// does not describe (status, content type or body) fails the test that caused it.
import { ContractRecorder } from './contract-fetch';
import { OpenApiContract } from './openapi-contract';

const recorder = new ContractRecorder(new OpenApiContract());
const restore = recorder.install();

async function failOnViolations(): Promise<void> {
  const violations = await recorder.takeViolations();
  if (violations.length > 0) {
    throw new Error(`Responses the OpenAPI spec does not describe:\n- ${violations.join('\n- ')}`);
  }
}

afterEach(failOnViolations);
afterAll(async () => {
  try {
    await failOnViolations();
  } finally {
    restore();
  }
});
