// The services reconciler (leader only): keeps every service in its desired state. Each
// pass deploys the revision a service should run (the target, or the serving one after
// the target's rollout failed) with the replicas wanted, asks the runtime how the
// replicas are, and moves the service's status by a conditional transition. Runtimes do
// the surge and the restarts; the reconciler judges rollouts against their deadline and
// removes deleted services once their replicas are stopped.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { mapConcurrent } from '../../../common/concurrency/map-concurrent';
import { messageOf } from '../../../common/errors/message-of';
import { LeaderInterval, LeaderLoop } from '../../../common/scheduling/leader-loop';
import { KilnConfig } from '../../../config/kiln.config';
import { LEADER_LOCK, LeaderLock } from '../../../infra/lock/leader-lock.port';
import { ServiceRuntimeRegistry, type ServiceHandle, type ServiceRuntime } from '../../runtimes';
import { ServiceStatus } from '../lifecycle/service-status';
import type { Service } from '../persistence/service.entity';
import { ServicesRepository } from '../persistence/services.repository';
import { judge, Judgement } from './service-observation';
import { serviceSpecOf } from './service-spec.factory';

const RECONCILE_TICK_MS = 1000;
/** Runtime calls in flight at once. */
const SERVICE_CONCURRENCY = 8;
const SYSTEM = 'system';

@Injectable()
export class ServiceReconciler {
  private readonly logger = new Logger(ServiceReconciler.name);
  private readonly loop = new LeaderLoop({
    name: 'services.reconcile',
    pass: () => this.pass(),
    isLeader: () => this.lock.isLeader,
  });
  /** What this process last deployed per service, so an unchanged one is not redeployed. */
  private readonly deployed = new Map<string, string>();

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly services: ServicesRepository,
    private readonly runtimes: ServiceRuntimeRegistry,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
  ) {}

  wake(): void {
    this.loop.wake();
  }

  @LeaderInterval('services.reconcile', RECONCILE_TICK_MS)
  tick(): Promise<void> {
    return this.loop.tick();
  }

  private async pass(): Promise<void> {
    const all = await this.services.all();
    await mapConcurrent(all, SERVICE_CONCURRENCY, async (service) => {
      if (!this.lock.isLeader) return;
      await this.reconcile(service).catch((error: unknown) =>
        this.logger.warn(`Service ${service.name}: ${messageOf(error)}; next pass retries`),
      );
    });
  }

  private async reconcile(service: Service): Promise<void> {
    const runtime = this.runtimes.get(service.runtime);
    if (service.status === ServiceStatus.Stopping) return this.remove(service, runtime);
    const handle = await this.deploy(service, runtime);
    const observed = await runtime.status(handle);
    if (observed.state === 'lost') this.deployed.delete(service.id); // deployed again next pass
    await this.record(service, judge(service, observed, new Date()), handle);
  }

  /** Deploys the revision the service should run, unless this process just did. */
  private async deploy(service: Service, runtime: ServiceRuntime): Promise<ServiceHandle> {
    const number =
      service.rolloutState === 'failed' && service.servingRevision !== null
        ? service.servingRevision
        : service.targetRevision;
    const key = `${number}:${service.desiredReplicas}`;
    if (service.handle && this.deployed.get(service.id) === key) return service.handle;
    const revision = await this.services.revision(service.id, number);
    if (!revision) throw new Error(`revision ${number} is missing`);
    const handle = await runtime.deploy(serviceSpecOf(service, revision));
    this.deployed.set(service.id, key);
    return handle;
  }

  private async record(service: Service, next: Judgement, handle: ServiceHandle): Promise<void> {
    const observed = {
      readyReplicas: next.readyReplicas,
      updatedReplicas: next.updatedReplicas,
      rolloutState: next.rolloutState,
      servingRevision: next.servingRevision,
      handle,
      reason: next.reason,
    };
    if (next.status !== service.status) {
      const moved = await this.services.move(service, {
        from: [service.status],
        to: next.status,
        actor: SYSTEM,
        reason: next.reason,
        set: observed,
      });
      if (moved) this.logger.log(`Service ${service.name} is ${next.status}: ${next.reason}`);
      return;
    }
    if (changed(service, observed)) await this.services.observe(service.id, observed);
  }

  /** Stops a deleted service's replicas, then deletes its rows (its events stay). */
  private async remove(service: Service, runtime: ServiceRuntime): Promise<void> {
    const handle =
      service.handle ?? (await runtime.find?.({ serviceId: service.id, queue: service.queue }));
    if (handle) await runtime.stop(handle, this.config.tasks.stopGraceMs);
    this.deployed.delete(service.id);
    await this.services.delete(service.id);
    this.logger.log(`Service ${service.name} deleted; its replicas are stopped`);
  }
}

function changed(service: Service, observed: Partial<Service>): boolean {
  return Object.entries(observed).some(
    ([key, value]) => JSON.stringify(service[key as keyof Service]) !== JSON.stringify(value),
  );
}
