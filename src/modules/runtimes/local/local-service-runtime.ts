// The local service runtime: each replica of a service is a child process of this Kiln
// process, in a directory of its own under `<runsDir>/services/<serviceId>/`, listening
// on a loopback port Kiln picks (PORT / KILN_SERVICE_PORT). The model reaches it as
// KILN_MODEL_DIR, read-only inside the sandbox. Replicas are children of the Kiln that
// started them, like local runs; the services reconciler deploys them
// Replicas outlive the Kiln process that started them (unless keepServicesOnShutdown is
// off): each one's identity is recorded beside it, and the next Kiln on this host that
// deploys the service adopts the live ones instead of starting duplicates. The ready
// replicas are published in the service's directory, so every Kiln process sharing the
// runs directory can proxy to them.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { FieldProblem } from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';
import type {
  ReplicaLogOptions,
  ServiceEndpoint,
  ServiceHandle,
  ServiceLocator,
  ServiceRuntime,
  ServiceSpec,
  ServiceStatus,
} from '../service-runtime.port';
import { LOCAL_RUNTIME } from './local-batch-runtime';
import type { RunProcess } from './process/detached-process';
import { LocalSandboxing } from './process/local-sandboxing';
import { readLogLines } from './process/log-reader';
import { PolledLog } from './process/polled-log';
import {
  localRunsDir,
  prepareRunDirectory,
  prepareSandboxedRunDirectory,
  runPathsIn,
} from './process/run-directory';
import { baseEnvironment } from './run-environment';
import { RunSupervisors, SUPERVISOR_TICK_MS } from './process/run-supervisors';
import { freeLoopbackPort } from './service/free-port';
import { LocalReplica } from './service/local-replica';
import { LocalService, ReplicaFactory } from './service/local-service';
import { liveReplicaRecords } from './service/replica-record';
import { publishEndpoints, readPublishedEndpoints } from './service/published-endpoints';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
/**
 * How long another process's published endpoints are reused: a steady stream of
 * invocations then costs a few file reads a second, and a replica that died meanwhile
 * refuses the connection, which the invoke path retries on another one.
 */
const PUBLISHED_CACHE_MS = 250;

@Injectable()
export class LocalServiceRuntime implements ServiceRuntime, ReplicaFactory, OnApplicationShutdown {
  readonly name = LOCAL_RUNTIME;
  readonly stopGraceMs: number;
  readonly drainMs: number;
  private readonly keepServicesOnShutdown: boolean;
  private readonly logger = new Logger(LocalServiceRuntime.name);
  private readonly servicesDir: string;
  private readonly services = new Map<string, LocalService>();
  private readonly sandboxing: LocalSandboxing;
  private readonly supervisors: RunSupervisors;
  private supervision?: Promise<void>;
  private supervisionTimer?: NodeJS.Timeout;
  private readonly published = new Map<string, { endpoints: ServiceEndpoint[]; until: number }>();
  private shuttingDown = false;

  constructor(@Inject(KilnConfig) config: KilnConfig, @Optional() sandboxing?: LocalSandboxing) {
    const local = config.runtimes.local;
    this.servicesDir = join(localRunsDir(config), 'services');
    this.supervisors = new RunSupervisors(localRunsDir(config));
    this.sandboxing = sandboxing ?? new LocalSandboxing(config);
    this.stopGraceMs = local.stopGraceMs;
    this.drainMs = local.serviceDrainMs;
    this.keepServicesOnShutdown = local.keepServicesOnShutdown;
  }

  get isolatesReplicas(): boolean {
    return this.sandboxing.isolates;
  }

  validate(spec: Pick<ServiceSpec, 'command' | 'image'>): FieldProblem[] {
    if (spec.command[0]?.trim()) return [];
    return [{ field: 'command', message: 'must name a serving program on a local queue' }];
  }

  async deploy(spec: ServiceSpec): Promise<ServiceHandle> {
    if (this.shuttingDown) throw new Error('Kiln is shutting down; no replicas start now');
    const handle = this.handleOf(spec.serviceId);
    await this.superviseServices();
    const service = this.services.get(spec.serviceId);
    if (service) service.apply(spec);
    else {
      const dir = join(this.servicesDir, spec.serviceId);
      await mkdir(dir, { recursive: true });
      const adopted = await liveReplicaRecords(dir);
      if (this.services.has(spec.serviceId)) return handle; // deployed meanwhile
      if (adopted.length > 0) {
        this.logger.log(`Service ${spec.serviceId}: adopting ${adopted.length} live replicas`);
      }
      this.services.set(spec.serviceId, new LocalService(spec, dir, this, adopted));
    }
    return handle;
  }

  async scale(handle: ServiceHandle, replicas: number): Promise<void> {
    this.serviceOf(handle)?.scale(replicas);
  }

  async status(handle: ServiceHandle): Promise<ServiceStatus> {
    const service = this.serviceOf(handle);
    if (service) return service.status();
    return { state: 'lost', reason: 'no replicas of it run under this Kiln process' };
  }

  /** This process's replicas, or those another live Kiln process runs and published. */
  async endpoints(handle: ServiceHandle): Promise<ServiceEndpoint[]> {
    const service = this.serviceOf(handle);
    if (service) return service.endpoints();
    if (handle.runtime !== this.name || !SAFE_ID.test(handle.id)) return [];
    const cached = this.published.get(handle.id);
    if (cached && cached.until > Date.now()) return cached.endpoints;
    const endpoints = await this.publishedElsewhere(handle.id);
    if (this.published.size >= 1000) this.published.clear();
    this.published.set(handle.id, { endpoints, until: Date.now() + PUBLISHED_CACHE_MS });
    return endpoints;
  }

  async *logs(
    handle: ServiceHandle,
    replica: string,
    options: ReplicaLogOptions = {},
  ): AsyncIterable<string> {
    const running = this.serviceOf(handle)?.replica(replica);
    if (!SAFE_ID.test(handle.id) || !SAFE_ID.test(replica)) return;
    const path = join(this.servicesDir, handle.id, replica, 'log.txt');
    // The replica writes its output straight to the file, so the file is polled.
    const growing =
      options.follow && running ? new PolledLog(path, async () => running.logComplete) : undefined;
    yield* readLogLines(path, { sinceLine: options.sinceLine, signal: options.signal, growing });
  }

  async stop(handle: ServiceHandle, graceMs: number): Promise<void> {
    const service = this.serviceOf(handle);
    this.services.delete(handle.id);
    await service?.stop(graceMs);
    if (!service && handle.runtime === this.name && SAFE_ID.test(handle.id)) {
      await this.stopUnsupervised(handle.id, graceMs);
    }
    if (SAFE_ID.test(handle.id)) {
      await rm(join(this.servicesDir, handle.id), { recursive: true, force: true });
    }
  }

  async find(service: ServiceLocator): Promise<ServiceHandle | undefined> {
    return this.services.has(service.serviceId) ? this.handleOf(service.serviceId) : undefined;
  }

  /** Replicas are children of this process: they stop with it (see the top of this file). */
  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.supervisionTimer);
    const services = [...this.services.values()];
    this.services.clear();
    if (this.keepServicesOnShutdown) {
      if (services.length > 0) {
        this.logger.log(`Leaving ${services.length} local services running for the next Kiln`);
      }
      services.forEach((service) => service.detach());
    } else {
      if (services.length > 0) this.logger.log(`Stopping ${services.length} local services`);
      await Promise.all(services.map((service) => service.stop(this.stopGraceMs)));
    }
    if (this.supervision) await this.supervisors.withdraw();
  }

  async publishEndpoints(serviceDir: string, endpoints: ServiceEndpoint[]): Promise<void> {
    await publishEndpoints(serviceDir, { supervisor: this.supervisors.selfId, endpoints });
  }

  freePort(): Promise<number> {
    return freeLoopbackPort();
  }

  async processFor(spec: ServiceSpec, dir: string, port: number, name: string) {
    const paths = runPathsIn(dir);
    const env: Record<string, string> = {
      ...baseEnvironment(this.sandboxing.parentEnv()),
      PYTHONUNBUFFERED: '1',
      ...spec.env,
      // loopback only: a replica is reached through Kiln's authenticated endpoint
      HOST: '127.0.0.1',
      PORT: String(port),
      KILN_SERVICE_PORT: String(port),
      KILN_SERVICE_REPLICA: name,
    };
    const argv = spec.shell ? ['/bin/sh', '-c', spec.command.join(' ')] : spec.command;
    if (!this.sandboxing.isolates) {
      await prepareRunDirectory(paths, paths.runDir, {});
      return { file: argv[0], args: argv.slice(1), cwd: paths.runDir, env } as RunProcess;
    }
    await prepareSandboxedRunDirectory(paths, paths.runDir, {}, this.sandboxing.user);
    const modelDir = spec.env.KILN_MODEL_DIR;
    return this.sandboxing.processFor(argv, paths, paths.runDir, env, false, {
      readOnlyBinds: modelDir ? [modelDir] : [],
      sharesNetwork: true,
      outlivesKiln: true,
    });
  }

  /**
   * Announces this process as the supervisor its published endpoints name, once, and
   * keeps its heartbeat, by which processes in other containers tell it is alive.
   */
  private superviseServices(): Promise<void> {
    this.supervision ??= this.supervisors.announce().then(() => {
      this.supervisionTimer = setInterval(() => {
        this.supervisors
          .heartbeat()
          .catch((error: unknown) =>
            this.logger.warn(`Service supervision heartbeat failed: ${String(error)}`),
          );
      }, SUPERVISOR_TICK_MS);
      this.supervisionTimer.unref();
    });
    return this.supervision;
  }

  /**
   * Stops the replicas of a service no process here supervises (left by an earlier Kiln):
   * deleting a service must leave no process behind, whoever started it.
   */
  private async stopUnsupervised(serviceId: string, graceMs: number): Promise<void> {
    const dir = join(this.servicesDir, serviceId);
    const leftover = await liveReplicaRecords(dir);
    await Promise.all(
      leftover.map(async (record) => {
        const replicaDir = join(dir, record.name);
        const replica = new LocalReplica({
          ...record,
          logPath: join(replicaDir, 'log.txt'),
          dir: replicaDir,
          process: () => Promise.reject(new Error('a replica being stopped is not restarted')),
          onChange: () => undefined,
        });
        replica.adopt(record, new Date(record.startedAt));
        await replica.stop(graceMs, 0);
      }),
    );
  }

  /**
   * The endpoints the supervising process published. When it died (a killed leader), the
   * replicas it left go on serving until the next leader adopts them: its endpoints stay
   * good for as long as each replica's own process still runs.
   */
  private async publishedElsewhere(serviceId: string): Promise<ServiceEndpoint[]> {
    const dir = join(this.servicesDir, serviceId);
    const published = await readPublishedEndpoints(dir);
    if (!published) return [];
    if (await this.supervisors.isAlive(published.supervisor)) return published.endpoints;
    const live = new Set((await liveReplicaRecords(dir)).map((record) => record.name));
    return published.endpoints.filter((endpoint) => live.has(endpoint.replica));
  }

  private handleOf(serviceId: string): ServiceHandle {
    if (!SAFE_ID.test(serviceId))
      throw new Error(`service id ${serviceId} cannot name a directory`);
    return { runtime: this.name, id: serviceId };
  }

  private serviceOf(handle: ServiceHandle): LocalService | undefined {
    return handle.runtime === this.name ? this.services.get(handle.id) : undefined;
  }
}
