// The ServiceRuntime port: how Kiln keeps a long-running, replicated workload (a model
// served for inference) up somewhere, a local process per replica or a Kubernetes
// Deployment, without the module that owns services knowing where. Unlike a batch run,
// a service does not end by itself: it runs until stopped, its replicas come and go and
// are replaced, and it is reached over the network. Only the contract lives here; the
// drivers use the same plumbing as the batch runtimes (local/process, kubernetes/cluster).
import type { FieldProblem } from '../../common/errors/domain-error';
import type { RunResources } from './batch-runtime.port';

/** Everything a service runtime needs to run one revision of a service. */
export interface ServiceSpec {
  /** Stable id of the service; every revision of it shares it. */
  serviceId: string;
  /**
   * Bumped whenever what replicas run changes (command, image, env, resources). Deploying
   * a newer revision replaces the replicas; deploying the current one again changes nothing.
   */
  revision: number;
  /** The queue whose settings place the replicas (a namespace, node selectors). */
  queue: string;
  /** argv; run without a shell unless `shell` is true (then `command` is one string). */
  command: string[];
  shell?: boolean;
  /** Container image, for runtimes that run containers. */
  image?: string;
  workingDir?: string;
  /** Environment of every replica, KILN_* variables already included by the caller. */
  env: Record<string, string>;
  /** What each replica gets; the service as a whole takes `replicas` times as much. */
  resources: RunResources;
  /** Replicas wanted; 0 keeps the service deployed with nothing running. */
  replicas: number;
  /** The TCP port each replica listens on for requests. */
  port: number;
  /**
   * An HTTP path answering 2xx once a replica can take requests. Without one a replica
   * is ready as soon as its port accepts connections.
   */
  readinessPath?: string;
  /**
   * The trained model the replicas serve, as the run that wrote it left it: runtimes that
   * cannot read Kiln's host paths (Kubernetes) mount the run's output from where that run
   * kept it. Local runtimes read KILN_MODEL_DIR from `env` instead.
   */
  model?: ServedModel;
}

/** Which attempt's output holds the model, and where in it. */
export interface ServedModel {
  taskId: string;
  attempt: number;
  /** Relative to the run's output directory (`.` for all of it). */
  path: string;
  isDirectory: boolean;
}

/** Names a service without its handle. */
export type ServiceLocator = Pick<ServiceSpec, 'serviceId' | 'queue'>;

/** Identifies a deployed service; stored with it, so it must be plain JSON. */
export interface ServiceHandle {
  /** The name of the runtime that deployed it. */
  runtime: string;
  /** Runtime-specific id: a directory of replicas, a namespace/Deployment name. */
  id: string;
}

export type ReplicaState =
  /** Placed or spawned, not answering its readiness check yet (pulling, loading a model). */
  | 'starting'
  /** Takes requests; listed by endpoints(). */
  | 'ready'
  /** Was ready and stopped answering, or keeps exiting and being restarted. */
  | 'unhealthy'
  /** Asked to stop (scaled down, replaced by a newer revision, the service stopped). */
  | 'stopping';

export interface ReplicaStatus {
  /** Stable while the replica lives; names it for logs(). */
  name: string;
  /** The revision the replica runs; differs from the spec's while a rollout is under way. */
  revision: number;
  state: ReplicaState;
  /** Times the runtime restarted the replica's process or container. */
  restarts: number;
  /** Why it is not ready, in words an operator can act on (`image pull failed: ...`). */
  reason?: string;
  startedAt?: Date;
}

export type ServiceStatus =
  | {
      state: 'deployed';
      desiredReplicas: number;
      readyReplicas: number;
      replicas: ReplicaStatus[];
    }
  /** The runtime no longer knows the service (deleted behind Kiln's back, a lost host). */
  | { state: 'lost'; reason: string };

/** Where a ready replica takes requests. */
export interface ServiceEndpoint {
  replica: string;
  /** `http://host:port`, reachable from Kiln. */
  url: string;
}

export interface ReplicaLogOptions {
  /** Keep the stream open and yield new lines until the replica stops. */
  follow?: boolean;
  /** Skip this many lines from the start of the replica's current process. */
  sinceLine?: number;
  signal?: AbortSignal;
}

export interface ServiceRuntime {
  /** The name queues refer to in config (`local`, `kubernetes`). */
  readonly name: string;
  /** Whether replicas are kept from Kiln's secrets and from other workloads. */
  readonly isolatesReplicas: boolean;
  /**
   * What a spec asks that this runtime could never run (no `image` on `kubernetes`, no
   * command on `local`), by field; empty when it can run it.
   */
  validate(spec: Pick<ServiceSpec, 'command' | 'image'>): FieldProblem[];
  /**
   * Brings the service to `spec`: creates it, or rolls its replicas over to a newer
   * revision without dropping below the ready replicas it had. Calling it again with
   * the same revision starts nothing new.
   */
  deploy(spec: ServiceSpec): Promise<ServiceHandle>;
  /** Sets the replicas wanted; the runtime starts or stops replicas to match. */
  scale(handle: ServiceHandle, replicas: number): Promise<void>;
  status(handle: ServiceHandle): Promise<ServiceStatus>;
  /** The ready replicas' addresses; empty while none is ready. */
  endpoints(handle: ServiceHandle): Promise<ServiceEndpoint[]>;
  /** One replica's output lines, oldest first; nothing for a replica it does not have. */
  logs(handle: ServiceHandle, replica: string, options?: ReplicaLogOptions): AsyncIterable<string>;
  /**
   * Stops every replica (asking first, forcing after `graceMs`) and removes what the
   * service left behind. Stopping a stopped service is a no-op.
   */
  stop(handle: ServiceHandle, graceMs: number): Promise<void>;
  /** The handle of the service this runtime deployed under the locator, if any. */
  find?(service: ServiceLocator): Promise<ServiceHandle | undefined>;
}

/** Every service runtime by name; RuntimesModule provides it. */
export const SERVICE_RUNTIMES = Symbol('SERVICE_RUNTIMES');
