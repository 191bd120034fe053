// The arithmetic of a service change under its owner's quota, kept pure for its tests.
import type { UserLimits } from '../orchestration/capacity.service';
import type { HeldReplicas } from './replica-usage-port';

/** What the owner holds besides the service being changed. */
export interface OwnerHolding {
  /** Runs of tasks holding a slot, and their GPUs. */
  taskRuns: number;
  taskGpus: number;
  /** The owner's other services. */
  otherReplicas: HeldReplicas;
}

export interface QuotaExcess {
  quota: 'maxRunning' | 'maxGpus';
  limit: number;
  /** In use besides the service being changed. */
  used: number;
  /** What the service would hold after the change. */
  requested: number;
}

/**
 * The first quota a service holding `wanted` would exceed, or undefined when it fits. A
 * change that holds no more than `current` is never refused, so an owner already over a
 * lowered quota can still scale down or change what runs.
 */
export function replicaQuotaExcess(
  limits: UserLimits,
  holding: OwnerHolding,
  current: HeldReplicas,
  wanted: HeldReplicas,
): QuotaExcess | undefined {
  const runs = holding.taskRuns + holding.otherReplicas.replicas;
  const gpus = holding.taskGpus + holding.otherReplicas.gpus;
  if (wanted.replicas > current.replicas && runs + wanted.replicas > limits.maxRunning)
    return {
      quota: 'maxRunning',
      limit: limits.maxRunning,
      used: runs,
      requested: wanted.replicas,
    };
  if (wanted.gpus > current.gpus && gpus + wanted.gpus > limits.maxGpus)
    return { quota: 'maxGpus', limit: limits.maxGpus, used: gpus, requested: wanted.gpus };
  return undefined;
}
