// Admission of a model service's replicas under its owner's quota, as a Kubernetes
// ResourceQuota admits a Deployment's pods: creating or growing a service past the quota
// is refused (409) naming the quota and the figures. The check reads, then the caller
// writes: two changes racing may both pass, and the dispatcher then holds the owner's
// tasks back until the replicas fit, as it counts them on every pass.
import { Injectable } from '@nestjs/common';
import { CapacityService } from '../orchestration/capacity.service';
import { QuotaExceededError } from '../tasks.errors';
import { QuotaUsageRepository } from './quota-usage.repository';
import { QuotaExcess, replicaQuotaExcess } from './replica-quota';
import { HeldReplicas, ReplicaUsagePort } from './replica-usage-port';

const NOTHING: HeldReplicas = { replicas: 0, gpus: 0 };

@Injectable()
export class ReplicaQuotaGate {
  constructor(
    private readonly capacity: CapacityService,
    private readonly usage: QuotaUsageRepository,
    private readonly replicas: ReplicaUsagePort,
  ) {}

  /**
   * Refuses (409) a service of `ownerId` going from holding `current` to `wanted`
   * (replicas, and replicas × GPUs per replica) when that exceeds the owner's quota.
   * `serviceId` is the service changed, absent for a new one.
   */
  async assertRoom(
    ownerId: string,
    serviceId: string | undefined,
    current: HeldReplicas,
    wanted: HeldReplicas,
  ): Promise<void> {
    if (wanted.replicas <= current.replicas && wanted.gpus <= current.gpus) return;
    const [limits, tasks, services] = await Promise.all([
      this.capacity.limitsFor([ownerId]),
      this.usage.byUser([ownerId]),
      this.replicas.source.byOwner([ownerId], serviceId),
    ]);
    const holding = {
      taskRuns: tasks.get(ownerId)?.running ?? 0,
      taskGpus: tasks.get(ownerId)?.gpus ?? 0,
      otherReplicas: services.get(ownerId) ?? NOTHING,
    };
    const excess = replicaQuotaExcess(limits.get(ownerId)!, holding, current, wanted);
    if (excess) throw refusal(excess);
  }
}

function refusal({ quota, limit, used, requested }: QuotaExcess): QuotaExceededError {
  const what = quota === 'maxRunning' ? 'runs' : 'GPUs';
  const asks = quota === 'maxRunning' ? `${requested} replicas` : `${requested} GPUs`;
  return new QuotaExceededError(
    `The owner's quota ${quota} is ${limit} ${what}; ${used} are held by tasks and other ` +
      `services, and the service asks for ${asks}.`,
    quota === 'maxRunning' ? 'replicas' : 'resources.gpu',
    `${quota} ${limit}: ${used} in use, ${requested} requested`,
  );
}
