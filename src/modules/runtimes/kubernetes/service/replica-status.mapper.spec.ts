import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { toEndpoints, toReplicaStatus, toServiceStatus } from './replica-status.mapper';

function pod(name: string, status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod {
  return {
    metadata: { name, labels: { 'kiln.dev/service-revision': '3' }, ...extra },
    status,
  };
}

const ready = (ip: string): V1Pod['status'] => ({
  phase: 'Running',
  podIP: ip,
  startTime: new Date('2026-01-01T00:00:00Z'),
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [
    {
      name: 'service',
      image: 'i',
      imageID: '',
      ready: true,
      restartCount: 0,
      state: { running: {} },
    },
  ],
});

describe('replica status mapping', () => {
  it('reads a ready pod as a ready replica of its revision', () => {
    expect(toReplicaStatus(pod('a', ready('10.0.0.1')))).toEqual({
      name: 'a',
      revision: 3,
      state: 'ready',
      restarts: 0,
      startedAt: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('reads a crash-looping pod as unhealthy, naming the back-off and the last exit', () => {
    const status = toReplicaStatus(
      pod('a', {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'service',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
            lastState: { terminated: { exitCode: 2, reason: 'Error' } },
          },
        ],
      }),
    );
    expect(status).toMatchObject({
      state: 'unhealthy',
      restarts: 4,
      reason: 'CrashLoopBackOff: back-off 40s; last exit code 2 (Error)',
    });
  });

  it('reads an image that does not pull as unhealthy, and a pod being created as starting', () => {
    const pulling = pod('a', {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'service',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "i"' } },
        },
      ],
    });
    expect(toReplicaStatus(pulling)).toMatchObject({
      state: 'unhealthy',
      reason: 'ImagePullBackOff: Back-off pulling image "i"',
    });
    const creating = pod('b', {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'service',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    });
    expect(toReplicaStatus(creating)).toEqual({
      name: 'b',
      revision: 3,
      state: 'starting',
      restarts: 0,
    });
  });

  it('names why a pod is not scheduled', () => {
    const pending = pod('a', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
        },
      ],
    });
    expect(toReplicaStatus(pending)).toMatchObject({
      state: 'starting',
      reason: 'Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
    });
  });

  it('reads a terminating pod as stopping, and leaves it out of the endpoints', () => {
    const leaving = pod('a', ready('10.0.0.1'), { deletionTimestamp: new Date() });
    expect(toReplicaStatus(leaving).state).toBe('stopping');
    const staying = pod('b', ready('fd00::2'));
    expect(toEndpoints([leaving, staying], 8080)).toEqual([
      { replica: 'b', url: 'http://[fd00::2]:8080' },
    ]);
  });

  it('counts desired replicas from the Deployment and ready ones from its pods', () => {
    const deployment: V1Deployment = { spec: { replicas: 3 } as V1Deployment['spec'] };
    const status = toServiceStatus(deployment, [pod('a', ready('10.0.0.1')), pod('b', {})]);
    expect(status).toMatchObject({ state: 'deployed', desiredReplicas: 3, readyReplicas: 1 });
  });
});
