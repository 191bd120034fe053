import type { ReplicaStatus, ServiceStatus as RuntimeStatus } from '../../runtimes';
import { ServiceStatus } from '../lifecycle/service-status';
import { Service } from '../persistence/service.entity';
import { judge } from './service-observation';

const STARTED = new Date('2030-01-01T00:00:00Z');
const seconds = (n: number) => new Date(STARTED.getTime() + n * 1000);

function service(overrides: Partial<Service> = {}): Service {
  return Object.assign(new Service(), {
    status: ServiceStatus.Deploying,
    reason: null,
    desiredReplicas: 2,
    targetRevision: 2,
    servingRevision: 1,
    rolloutState: 'progressing',
    rolloutStartedAt: STARTED,
    rolloutTimeoutSeconds: 60,
    ...overrides,
  });
}

function replica(revision: number, state: ReplicaStatus['state'], reason?: string): ReplicaStatus {
  return { name: `r${revision}-${Math.random()}`, revision, state, restarts: 0, reason };
}

function deployed(...replicas: ReplicaStatus[]): RuntimeStatus {
  return {
    state: 'deployed',
    desiredReplicas: 2,
    readyReplicas: replicas.filter((r) => r.state === 'ready').length,
    replicas,
  };
}

describe('judging a service from its replicas', () => {
  it('keeps a rollout deploying while the old revision still serves beside the new one', () => {
    const next = judge(
      service(),
      deployed(
        replica(1, 'ready'),
        replica(1, 'ready'),
        replica(2, 'ready'),
        replica(2, 'starting'),
      ),
      seconds(5),
    );
    expect(next).toMatchObject({ status: ServiceStatus.Deploying, rolloutState: 'progressing' });
    expect(next.updatedReplicas).toBe(1);
  });

  it('completes a rollout once the new revision alone has every wanted replica ready', () => {
    const next = judge(service(), deployed(replica(2, 'ready'), replica(2, 'ready')), seconds(5));
    expect(next).toMatchObject({
      status: ServiceStatus.Ready,
      rolloutState: 'complete',
      servingRevision: 2,
    });
  });

  it('fails a rollout past its deadline and keeps the serving revision, saying why', () => {
    const next = judge(
      service(),
      deployed(
        replica(1, 'ready'),
        replica(1, 'ready'),
        replica(2, 'unhealthy', 'exited with exit code 1; restarting in 4s (back-off)'),
      ),
      seconds(61),
    );
    expect(next).toMatchObject({
      status: ServiceStatus.Ready,
      rolloutState: 'failed',
      servingRevision: 1,
    });
    expect(next.reason).toContain('revision 2 did not become healthy within 60s');
    expect(next.reason).toContain('exited with exit code 1');
    expect(next.reason).toContain('revision 1 keeps serving');
  });

  it('fails the service when its first revision never becomes healthy', () => {
    const next = judge(
      service({ targetRevision: 1, servingRevision: null }),
      deployed(replica(1, 'unhealthy', 'exited with exit code 2')),
      seconds(61),
    );
    expect(next.status).toBe(ServiceStatus.Failed);
  });

  it('is degraded with fewer ready replicas than wanted, naming what holds one back', () => {
    const next = judge(
      service({ targetRevision: 1, rolloutState: 'complete', status: ServiceStatus.Ready }),
      deployed(replica(1, 'ready'), replica(1, 'unhealthy', 'health check failed 3 times')),
      seconds(5),
    );
    expect(next.status).toBe(ServiceStatus.Degraded);
    expect(next.reason).toBe('1 of 2 replicas ready: health check failed 3 times');
  });

  it('is stopped at zero replicas only once every replica is gone', () => {
    const scaledDown = service({ desiredReplicas: 0, rolloutState: 'complete' });
    expect(judge(scaledDown, deployed(replica(2, 'stopping')), seconds(1)).status).toBe(
      ServiceStatus.Deploying,
    );
    expect(judge(scaledDown, deployed(), seconds(2)).status).toBe(ServiceStatus.Stopped);
  });
});
