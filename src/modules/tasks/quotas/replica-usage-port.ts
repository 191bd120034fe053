// The port through which the services module tells the quotas what model services hold:
// each service's replicas count against its owner's running quota and their GPUs against
// the GPU quota, as a task's run does. The tasks module may not import the services
// module (which depends on it), so services registers its source here at start-up.
import { Injectable } from '@nestjs/common';

/** What a user's services hold: wanted replicas, and GPUs (replicas × GPUs per replica). */
export interface HeldReplicas {
  replicas: number;
  gpus: number;
}

export interface ReplicaUsageSource {
  /** What each owner's services hold (of `ownerIds` when given), but `exceptServiceId`'s. */
  byOwner(
    ownerIds?: readonly string[],
    exceptServiceId?: string,
  ): Promise<Map<string, HeldReplicas>>;
}

const NO_SERVICES: ReplicaUsageSource = { byOwner: () => Promise.resolve(new Map()) };

@Injectable()
export class ReplicaUsagePort {
  private registered: ReplicaUsageSource = NO_SERVICES;

  register(source: ReplicaUsageSource): void {
    this.registered = source;
  }

  get source(): ReplicaUsageSource {
    return this.registered;
  }
}
