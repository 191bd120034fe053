import type { RunRequest } from '../batch-runtime.port';
import { testConfig } from '../../../../test/support/test-config';
import { KubernetesBatchRuntime } from './kubernetes-batch-runtime';

const request: RunRequest = {
  queue: 'gpu',
  command: ['python', 'train.py'],
  resources: { cpu: 1, memoryMiB: 1024, gpu: 0 },
};

describe('KubernetesBatchRuntime.validate', () => {
  let runtime: KubernetesBatchRuntime;

  beforeAll(() => {
    runtime = new KubernetesBatchRuntime(testConfig());
  });

  afterAll(() => runtime.onModuleDestroy());

  it('accepts a task that names its container image', () => {
    expect(runtime.validate({ ...request, image: 'registry.example.com/trainer:1' })).toEqual([]);
  });

  it('refuses a task without an image, naming the field', () => {
    expect(runtime.validate(request)).toEqual([
      { field: 'image', message: 'is required: each run is a container of that image' },
    ]);
  });
});
