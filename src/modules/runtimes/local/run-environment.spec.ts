import type { RunSpec } from '../batch-runtime.port';
import { buildRunEnvironment } from './run-environment';

function spec(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    taskId: 't1',
    attempt: 1,
    queue: 'default',
    command: ['true'],
    env: {},
    hyperparameters: { epochs: 3 },
    resources: { cpu: 1, memoryMiB: 512, gpu: 0 },
    ...overrides,
  };
}

describe('buildRunEnvironment', () => {
  const parent = { PATH: '/opt/bin', HOME: '/home/k', KILN_JWT_SECRET: 's3cret', PGPASSWORD: 'pw' };

  it("keeps Kiln's secrets out and passes the basics through", () => {
    const env = buildRunEnvironment(spec(), { outputDir: '/r/output', gpus: [] }, parent);
    expect(env).toMatchObject({ PATH: '/opt/bin', HOME: '/home/k' });
    expect(env).not.toHaveProperty('KILN_JWT_SECRET');
    expect(env).not.toHaveProperty('PGPASSWORD');
  });

  it('lets the task env override defaults but not the output dir or the GPUs', () => {
    const env = buildRunEnvironment(
      spec({
        env: {
          KILN_HPARAMS: '{"a":1}',
          KILN_OUTPUT_DIR: '/elsewhere',
          CUDA_VISIBLE_DEVICES: '0,1,2',
          X: 'y',
        },
      }),
      { outputDir: '/r/output', gpus: [2, 3] },
      parent,
    );
    expect(env).toMatchObject({
      KILN_HPARAMS: '{"a":1}',
      X: 'y',
      KILN_OUTPUT_DIR: '/r/output',
      CUDA_VISIBLE_DEVICES: '2,3',
      KILN_TASK_ID: 't1',
      KILN_ATTEMPT: '1',
    });
  });

  it('hides every GPU from a run that asked for none', () => {
    expect(
      buildRunEnvironment(spec(), { outputDir: '/o', gpus: [] }, {}).CUDA_VISIBLE_DEVICES,
    ).toBe('');
  });
});
