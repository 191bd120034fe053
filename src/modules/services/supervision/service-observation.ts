// What a service's status should be, judged from what its runtime reports: pure, so the
// rules of rollouts and health are tested without a runtime.
import type { ReplicaStatus, ServiceStatus as RuntimeStatus } from '../../runtimes';
import { ServiceStatus } from '../lifecycle/service-status';
import type { RolloutState, Service } from '../persistence/service.entity';

export interface Judgement {
  status: ServiceStatus;
  reason: string;
  readyReplicas: number;
  updatedReplicas: number;
  rolloutState: RolloutState;
  servingRevision: number | null;
}

export function judge(service: Service, observed: RuntimeStatus, now: Date): Judgement {
  const replicas = observed.state === 'deployed' ? observed.replicas : [];
  const target = service.targetRevision;
  const desired = service.desiredReplicas;
  const ready = replicas.filter((replica) => replica.state === 'ready');
  const updated = ready.filter((replica) => replica.revision === target).length;
  let { rolloutState, servingRevision } = service;
  let rolloutFailure: string | undefined;
  if (rolloutState === 'failed' && servingRevision === null && desired > 0 && updated >= desired) {
    // late but healthy: a first revision that failed its rollout and then came up
    rolloutState = 'complete';
    servingRevision = target;
  }
  if (rolloutState === 'progressing') {
    const othersLeft = replicas.some((replica) => replica.revision !== target);
    const deadline = service.rolloutStartedAt.getTime() + service.rolloutTimeoutSeconds * 1000;
    if (updated >= desired && !othersLeft) {
      rolloutState = 'complete';
      servingRevision = target;
    } else if (now.getTime() > deadline) {
      rolloutState = 'failed';
      rolloutFailure = `revision ${target} did not become healthy within ${service.rolloutTimeoutSeconds}s${why(replicas, target)}`;
    }
  }
  const base = {
    readyReplicas: ready.length,
    updatedReplicas: updated,
    rolloutState,
    servingRevision,
  };
  if (desired === 0) {
    const gone = replicas.length === 0;
    return {
      ...base,
      status: gone ? ServiceStatus.Stopped : ServiceStatus.Deploying,
      reason: gone ? 'scaled to zero' : `stopping ${replicas.length} replicas (scaled to zero)`,
    };
  }
  if (rolloutState === 'progressing') {
    return {
      ...base,
      status: ServiceStatus.Deploying,
      reason: `rolling out revision ${target}: ${updated} of ${desired} replicas ready${why(replicas, target)}`,
    };
  }
  if (rolloutState === 'failed' && servingRevision === null) {
    return {
      ...base,
      status: ServiceStatus.Failed,
      reason: rolloutFailure ?? service.reason ?? `revision ${target} never became healthy`,
    };
  }
  const failedRollout =
    rolloutState === 'failed'
      ? `rollout failed: ${rolloutFailure ?? lastFailure(service.reason)}; revision ${servingRevision} keeps serving. `
      : '';
  if (ready.length >= desired) {
    return {
      ...base,
      status: ServiceStatus.Ready,
      reason: `${failedRollout}${ready.length} of ${desired} replicas ready`,
    };
  }
  const running = rolloutState === 'failed' ? (servingRevision ?? target) : target;
  return {
    ...base,
    status: ServiceStatus.Degraded,
    reason: `${failedRollout}${ready.length} of ${desired} replicas ready${why(replicas, running)}`,
  };
}

/** The first reason a replica of `revision` gives for not being ready, after a colon. */
function why(replicas: ReplicaStatus[], revision: number): string {
  const reason = replicas.find(
    (replica) => replica.revision === revision && replica.reason,
  )?.reason;
  return reason ? `: ${reason}` : '';
}

/** The rollout failure recorded in an earlier reason, kept while the service serves. */
function lastFailure(reason: string | null): string {
  const match = /^rollout failed: (.*?); revision \d+ keeps serving/.exec(reason ?? '');
  return match?.[1] ?? 'its replicas did not become healthy in time';
}
