// The replicas of one local service, kept converging on its spec: missing replicas of
// the wanted revision are started, and replicas of another revision are stopped only
// once the wanted revision has as many ready replicas as the spec asks (a surge rollout),
// so the service never drops below the ready replicas it had while a revision rolls out.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { CoalescingRunner } from '../../../../common/scheduling/coalescing-runner';
import { messageOf } from '../../../../common/errors/message-of';
import type { ServiceEndpoint, ServiceSpec, ServiceStatus } from '../../service-runtime.port';
import type { RunProcess } from '../process/detached-process';
import { LocalReplica } from './local-replica';
import type { ReplicaRecord } from './replica-record';

/** What the service needs from its runtime to run one replica. */
export interface ReplicaFactory {
  /** The process of a replica of `spec` listening on `port`, whose files live in `dir`. */
  processFor(spec: ServiceSpec, dir: string, port: number, name: string): Promise<RunProcess>;
  freePort(): Promise<number>;
  readonly stopGraceMs: number;
  /** How long a replica leaving the endpoints keeps serving requests already sent to it. */
  readonly drainMs: number;
  /** Tells the other Kiln processes which replicas take requests now (see published-endpoints.ts). */
  publishEndpoints(serviceDir: string, endpoints: ServiceEndpoint[]): Promise<void>;
}

/** How often every replica is health-checked and the service converges again. */
export const SERVICE_TICK_MS = 500;

const logger = new Logger('LocalServiceRuntime');

export class LocalService {
  private spec: ServiceSpec;
  private readonly replicas = new Map<string, LocalReplica>();
  private readonly converging: CoalescingRunner;
  private readonly timer: NodeJS.Timeout;
  /** Set by stop(): nothing starts any more, whatever wakes the service. */
  private stopped = false;
  /** The endpoints last published, so an unchanged set is not written again. */
  private published?: string;

  /** `adopted`: live replicas an earlier Kiln process started for this service. */
  constructor(
    spec: ServiceSpec,
    private readonly dir: string,
    private readonly factory: ReplicaFactory,
    adopted: ReplicaRecord[] = [],
  ) {
    this.spec = spec;
    this.converging = new CoalescingRunner(() => this.converge());
    for (const record of adopted) {
      const replica = this.newReplica(record.name, record.revision, record.port);
      this.replicas.set(record.name, replica);
      replica.adopt(record, new Date(record.startedAt));
    }
    this.timer = setInterval(() => void this.tick(), SERVICE_TICK_MS);
    this.timer.unref();
    this.wake();
  }

  /** Brings the service to `spec`: a newer revision rolls out, the same one changes nothing. */
  apply(spec: ServiceSpec): void {
    this.spec = spec;
    this.wake();
  }

  scale(replicas: number): void {
    this.spec = { ...this.spec, replicas };
    this.wake();
  }

  status(): ServiceStatus {
    const replicas = [...this.replicas.values()].map((replica) => replica.status());
    return {
      state: 'deployed',
      desiredReplicas: this.spec.replicas,
      readyReplicas: replicas.filter((replica) => replica.state === 'ready').length,
      replicas,
    };
  }

  endpoints(): ServiceEndpoint[] {
    return [...this.replicas.values()]
      .filter((replica) => replica.isReady && !replica.isStopping)
      .map((replica) => ({ replica: replica.name, url: replica.url }));
  }

  replica(name: string): LocalReplica | undefined {
    return this.replicas.get(name);
  }

  /** Lets every replica run on for the next Kiln process to adopt (see LocalReplica.detach). */
  detach(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const replica of this.replicas.values()) replica.detach();
    this.replicas.clear();
  }

  /** Stops every replica at once (no drain: the service is going away). */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.converging.run().catch(() => undefined); // a replica being started is in the map after it
    const all = [...this.replicas.values()];
    await Promise.all(all.map((replica) => replica.stop(graceMs, 0)));
    this.replicas.clear();
  }

  private wake(): void {
    this.converging
      .run()
      .catch((error: unknown) =>
        logger.error(`Service ${this.spec.serviceId}: ${messageOf(error)}`),
      );
  }

  private async tick(): Promise<void> {
    await Promise.all([...this.replicas.values()].map((replica) => replica.check()));
    this.wake();
  }

  private async converge(): Promise<void> {
    if (this.stopped) return;
    const { revision, replicas: wanted } = this.spec;
    const live = [...this.replicas.values()].filter((replica) => !replica.isStopping);
    const current = live.filter((replica) => replica.revision === revision);
    const others = live.filter((replica) => replica.revision !== revision);
    for (let count = current.length; count < wanted; count++) await this.startReplica();
    // Extra replicas of the wanted revision: those not ready go first.
    const extra = current
      .sort((a, b) => Number(a.isReady) - Number(b.isReady))
      .slice(0, Math.max(0, current.length - wanted));
    extra.forEach((replica) => this.retire(replica));
    const readyCurrent = current.filter((replica) => replica.isReady).length;
    if (readyCurrent >= wanted) others.forEach((replica) => this.retire(replica));
    await this.publish();
  }

  private async publish(): Promise<void> {
    const endpoints = this.endpoints();
    const text = JSON.stringify(endpoints);
    if (text === this.published || this.stopped) return;
    this.published = text;
    await this.factory.publishEndpoints(this.dir, endpoints);
  }

  private async startReplica(): Promise<void> {
    const spec = this.spec;
    const name = `r${spec.revision}-${randomBytes(3).toString('hex')}`;
    const dir = join(this.dir, name);
    await mkdir(dir, { recursive: true });
    const port = await this.factory.freePort();
    const replica = this.newReplica(name, spec.revision, port);
    this.replicas.set(name, replica);
    await replica.start();
  }

  private newReplica(name: string, revision: number, port: number): LocalReplica {
    const spec = this.spec;
    const dir = join(this.dir, name);
    return new LocalReplica({
      name,
      revision,
      port,
      healthPath: spec.readinessPath,
      logPath: join(dir, 'log.txt'),
      dir,
      process: () => this.factory.processFor(spec, dir, port, name),
      onChange: () => this.wake(),
    });
  }

  /** Drains and stops a replica, then forgets it. */
  private retire(replica: LocalReplica): void {
    void replica
      .stop(this.factory.stopGraceMs, this.factory.drainMs)
      .finally(() => this.replicas.delete(replica.name));
  }
}
