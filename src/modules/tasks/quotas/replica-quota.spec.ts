import { replicaQuotaExcess } from './replica-quota';

const limits = { maxRunning: 4, maxGpus: 4, maxPending: 100 };
const none = { replicas: 0, gpus: 0 };
const holding = (taskRuns: number, taskGpus: number, replicas = 0, gpus = 0) => ({
  taskRuns,
  taskGpus,
  otherReplicas: { replicas, gpus },
});

describe('replicaQuotaExcess', () => {
  it('admits replicas that fit beside the running tasks and other services', () => {
    expect(replicaQuotaExcess(limits, holding(1, 0, 1, 0), none, { replicas: 2, gpus: 0 })).toBe(
      undefined,
    );
  });

  it('names the running quota with what is used and what the service asks for', () => {
    expect(replicaQuotaExcess(limits, holding(2, 0, 1, 0), none, { replicas: 2, gpus: 0 })).toEqual(
      { quota: 'maxRunning', limit: 4, used: 3, requested: 2 },
    );
  });

  it('counts GPUs as replicas × GPUs per replica against the GPU quota', () => {
    expect(
      replicaQuotaExcess(
        limits,
        holding(1, 1, 1, 2),
        { replicas: 0, gpus: 0 },
        {
          replicas: 2,
          gpus: 4,
        },
      ),
    ).toEqual({ quota: 'maxGpus', limit: 4, used: 3, requested: 4 });
  });

  it('never refuses a change that holds no more than before, even over a lowered quota', () => {
    const over = holding(4, 4);
    expect(
      replicaQuotaExcess(limits, over, { replicas: 3, gpus: 3 }, { replicas: 2, gpus: 2 }),
    ).toBe(undefined);
    expect(
      replicaQuotaExcess(limits, over, { replicas: 2, gpus: 2 }, { replicas: 2, gpus: 2 }),
    ).toBe(undefined);
  });

  it('refuses growing past the quota from where the service already is', () => {
    expect(
      replicaQuotaExcess(limits, holding(1, 0), { replicas: 2, gpus: 0 }, { replicas: 4, gpus: 0 }),
    ).toEqual({ quota: 'maxRunning', limit: 4, used: 1, requested: 4 });
  });
});
