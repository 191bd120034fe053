import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { toRunStatus } from './run-status.mapper';

const now = new Date('2026-01-01T12:00:00Z');
const options = { imagePullGraceSeconds: 300, now };

function job(conditions: Array<{ type: string; reason?: string }> = []): V1Job {
  return {
    metadata: { name: 'kiln-t-1' },
    status: { conditions: conditions.map((c) => ({ ...c, status: 'True' })) },
  };
}

function pod(status: V1Pod['status'], created = '2026-01-01T11:59:00Z'): V1Pod {
  return {
    metadata: { name: 'kiln-t-1-abcde', creationTimestamp: created as unknown as Date },
    spec: { containers: [{ name: 'run', image: 'img:1' }] },
    status,
  };
}

describe('toRunStatus', () => {
  it('fails an invalid image name at once, without waiting for the grace', () => {
    const waiting = pod({
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'run',
          image: 'bad image',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'InvalidImageName', message: 'bad' } },
        },
      ],
    });
    expect(toRunStatus(job(), [waiting], options)).toMatchObject({
      state: 'failed',
      retryable: false,
    });
  });

  it('says why a pod is not scheduled', () => {
    const unschedulable = pod({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes have nvidia.com/gpu',
        },
      ],
    });
    expect(toRunStatus(job(), [unschedulable], options)).toEqual({
      state: 'pending',
      reason: '0/3 nodes have nvidia.com/gpu',
    });
  });

  it('counts a Job whose success criteria are met as succeeded', () => {
    expect(toRunStatus(job([{ type: 'SuccessCriteriaMet' }]), [], options)).toEqual({
      state: 'succeeded',
      exitCode: 0,
    });
  });

  it('reports a Job that failed before any container ran with the Job condition', () => {
    expect(
      toRunStatus(job([{ type: 'Failed', reason: 'BackoffLimitExceeded' }]), [], options),
    ).toEqual({ state: 'failed', reason: 'BackoffLimitExceeded' });
  });

  it('reports a Job that does not exist as lost', () => {
    expect(toRunStatus(undefined, [], options).state).toBe('lost');
  });

  it('reports a preempted pod as lost', () => {
    const preempted = pod({
      phase: 'Failed',
      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }],
    });
    const status = toRunStatus(job([{ type: 'Failed' }]), [preempted], options);
    expect(status).toMatchObject({ state: 'lost' });
    expect(status.state === 'lost' && status.reason).toMatch(/PreemptionByScheduler/);
  });
});
