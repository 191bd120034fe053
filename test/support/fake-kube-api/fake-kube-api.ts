// A real HTTP server that speaks the parts of the Kubernetes API the Kubernetes executor
// calls (Jobs, pods, pod logs, Secrets; list, watch with resourceVersion, 410 Gone), with
// driver methods a test uses to play the job controller and the kubelet.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection, KINDS, KubeObject, matchesSelector, statusObject } from './wire';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface WatchEvent {
  resourceVersion: number;
  collection: Collection;
  namespace: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

interface OpenWatch {
  collection: Collection;
  namespace: string;
  selector: string | null;
  response: ServerResponse;
}

interface LogLine {
  /** What the kubelet stamps a line with: RFC 3339 with nanoseconds, trailing zeros trimmed. */
  time: string;
  nanos: bigint;
  text: string;
}

interface PodLog {
  lines: LogLine[];
  finished: boolean;
  /** Open follow requests, and whether each asked for timestamps. */
  followers: Map<ServerResponse, { timestamps: boolean }>;
}

const ROUTE =
  /^\/(?:api\/v1|apis\/batch\/v1)\/namespaces\/([^/]+)\/(jobs|pods|secrets)(?:\/([^/]+))?(\/log)?$/;

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));
  private readonly objects: Record<Collection, Map<string, KubeObject>> = {
    jobs: new Map(),
    pods: new Map(),
    secrets: new Map(),
  };
  private readonly history: WatchEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly podLogs = new Map<string, PodLog>();
  private resourceVersion = 100;
  private lastLogNanos = 0n;
  /** Watches asking for an older resourceVersion than this get 410 Gone. */
  private oldestResourceVersion = 0;
  private goneAs: 'status' | 'event' = 'status';
  private failures: Array<{ status: number; matches: (request: RecordedRequest) => boolean }> = [];

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.disconnectWatches();
    this.disconnectLogFollowers();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A kubeconfig file (in a temp dir) whose current context points at this server. */
  writeKubeconfig(): string {
    const path = join(mkdtempSync(join(tmpdir(), 'kiln-kubeconfig-')), 'config');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain http unless told TLS verification is off.
      clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: { token: 'fake-token' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
      'current-context': 'fake',
    };
    writeFileSync(path, JSON.stringify(config));
    return path;
  }

  // ---- what tests read -------------------------------------------------------------

  job(namespace: string, name: string): KubeObject | undefined {
    return this.objects.jobs.get(`${namespace}/${name}`);
  }

  secret(namespace: string, name: string): KubeObject | undefined {
    return this.objects.secrets.get(`${namespace}/${name}`);
  }

  jobs(): KubeObject[] {
    return [...this.objects.jobs.values()];
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  openWatchCount(): number {
    return this.watches.size;
  }

  /** Log requests with follow=true that are still open. */
  openLogFollowerCount(): number {
    return [...this.podLogs.values()].reduce((sum, log) => sum + log.followers.size, 0);
  }

  // ---- what tests do: play the job controller and the kubelet ----------------------------

  running(namespace: string, jobName: string): void {
    this.updatePod(namespace, jobName, (pod) => {
      pod.status = {
        phase: 'Running',
        conditions: [scheduled()],
        containerStatuses: [containerStatus(pod, { running: { startedAt: now() } })],
      };
    });
    this.updateJob(namespace, jobName, (job) => {
      job.status = { active: 1, startTime: now() };
    });
  }

  succeeded(namespace: string, jobName: string): void {
    this.terminate(namespace, jobName, 'Succeeded', { exitCode: 0, reason: 'Completed' });
    this.finishJob(namespace, jobName, 'Complete', 'CompletionsReached', { succeeded: 1 });
  }

  failed(namespace: string, jobName: string, exitCode: number, reason = 'Error'): void {
    this.terminate(namespace, jobName, 'Failed', { exitCode, reason });
    this.finishJob(namespace, jobName, 'Failed', 'BackoffLimitExceeded', { failed: 1 });
  }

  oomKilled(namespace: string, jobName: string): void {
    this.failed(namespace, jobName, 137, 'OOMKilled');
  }

  imagePullBackOff(namespace: string, jobName: string, scheduledSecondsAgo: number): void {
    this.updatePod(namespace, jobName, (pod) => {
      const image = pod.spec.containers[0].image as string;
      pod.status = {
        phase: 'Pending',
        conditions: [scheduled(new Date(Date.now() - scheduledSecondsAgo * 1000))],
        containerStatuses: [
          containerStatus(pod, {
            waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
          }),
        ],
      };
    });
  }

  deadlineExceeded(namespace: string, jobName: string): void {
    this.terminate(namespace, jobName, 'Failed', { exitCode: 143, reason: 'Error' });
    this.finishJob(namespace, jobName, 'Failed', 'DeadlineExceeded', { failed: 1 });
  }

  evicted(namespace: string, jobName: string): void {
    this.updatePod(namespace, jobName, (pod) => {
      pod.status = {
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: memory.',
        conditions: [
          scheduled(),
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'TerminationByKubelet',
            lastTransitionTime: now(),
          },
        ],
        containerStatuses: [
          containerStatus(pod, { terminated: { exitCode: 137, reason: 'Error' } }),
        ],
      };
    });
    this.finishJob(namespace, jobName, 'Failed', 'BackoffLimitExceeded', { failed: 1 });
  }

  appendLog(namespace: string, jobName: string, ...texts: string[]): void {
    const log = this.logOf(this.podOf(namespace, jobName));
    const lines = texts.map((text) => ({ ...this.logTimestamp(), text }));
    log.lines.push(...lines);
    for (const [res, { timestamps }] of log.followers) res.write(renderLog(lines, timestamps));
  }

  finishLog(namespace: string, jobName: string): void {
    const log = this.logOf(this.podOf(namespace, jobName));
    log.finished = true;
    for (const res of log.followers.keys()) res.end();
    log.followers.clear();
  }

  /** Drops every open follow of a pod log, as a restarting kubelet or a proxy would. */
  disconnectLogFollowers(): void {
    for (const log of this.podLogs.values()) {
      for (const res of log.followers.keys()) res.destroy();
      log.followers.clear();
    }
  }

  /** Drops every open watch connection, as a restarting API server or a proxy would. */
  disconnectWatches(): void {
    for (const watch of this.watches) watch.response.destroy();
    this.watches.clear();
  }

  /**
   * Forgets every resourceVersion up to now: open watches are told (an ERROR event with
   * code 410, or a dropped connection and then HTTP 410 on the next watch request).
   */
  expireResourceVersions(as: 'status' | 'event'): void {
    this.goneAs = as;
    this.oldestResourceVersion = ++this.resourceVersion;
    for (const watch of this.watches) {
      if (as === 'event') writeEvent(watch.response, 'ERROR', goneStatus());
      watch.response.end();
    }
    this.watches.clear();
  }

  /** The next `count` requests matching `matches` get `status` (429, 500, ...). */
  failNext(count: number, status: number, matches: (request: RecordedRequest) => boolean) {
    for (let i = 0; i < count; i++) this.failures.push({ status, matches });
  }

  // ---- the HTTP side ---------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = await readBody(req);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(text ? { body: JSON.parse(text) } : {}),
    };
    this.requests.push(request);
    const failure = this.failures.findIndex((f) => f.matches(request));
    if (failure >= 0) {
      const { status } = this.failures.splice(failure, 1)[0];
      return send(res, status, statusObject(status, 'InternalError', 'injected failure'));
    }
    const route = ROUTE.exec(url.pathname);
    if (!route) return send(res, 404, statusObject(404, 'NotFound', `no route ${url.pathname}`));
    const [, namespace, collection, name, log] = route as unknown as [
      string,
      string,
      Collection,
      string | undefined,
      string | undefined,
    ];
    this.route(request, res, { namespace, collection, name, log: Boolean(log) });
  }

  private route(
    request: RecordedRequest,
    res: ServerResponse,
    target: { namespace: string; collection: Collection; name?: string; log: boolean },
  ): void {
    const { namespace, collection, name } = target;
    if (target.log && name) return this.serveLog(request, res, namespace, name);
    if (request.method === 'POST' && !name)
      return this.create(res, namespace, collection, request.body);
    if (request.method === 'GET' && !name && request.query.watch === 'true') {
      return this.watch(request, res, namespace, collection);
    }
    if (request.method === 'GET' && !name) return this.list(request, res, namespace, collection);
    if (request.method === 'GET' && name) {
      const object = this.objects[collection].get(`${namespace}/${name}`);
      return object ? send(res, 200, object) : send(res, 404, notFound(collection, name));
    }
    if (request.method === 'DELETE' && name)
      return this.remove(request, res, namespace, collection, name);
    send(res, 405, statusObject(405, 'MethodNotAllowed', `${request.method} not supported`));
  }

  private create(res: ServerResponse, namespace: string, collection: Collection, body: KubeObject) {
    const name = body.metadata.name;
    if (this.objects[collection].has(`${namespace}/${name}`)) {
      const { group, kind } = KINDS[collection];
      const message = `${collection}${group ? `.${group}` : ''} "${name}" already exists`;
      return send(res, 409, statusObject(409, 'AlreadyExists', message, { name, group, kind }));
    }
    const object: KubeObject = {
      ...structuredClone(body),
      metadata: {
        ...structuredClone(body.metadata),
        namespace,
        uid: randomUUID(),
        creationTimestamp: now(),
      },
    };
    if (collection === 'jobs') object.status = {};
    this.store('ADDED', collection, object);
    if (collection === 'jobs') this.createPodFor(object);
    send(res, 201, object);
  }

  private list(
    req: RecordedRequest,
    res: ServerResponse,
    namespace: string,
    collection: Collection,
  ) {
    const items = [...this.objects[collection].values()].filter(
      (o) =>
        o.metadata.namespace === namespace &&
        matchesSelector(o.metadata.labels, req.query.labelSelector),
    );
    const { kind, apiVersion } = KINDS[collection];
    send(res, 200, {
      kind: `${kind}List`,
      apiVersion,
      metadata: { resourceVersion: String(this.resourceVersion) },
      items,
    });
  }

  private watch(
    req: RecordedRequest,
    res: ServerResponse,
    namespace: string,
    collection: Collection,
  ) {
    const since = req.query.resourceVersion ? Number(req.query.resourceVersion) : undefined;
    if (since !== undefined && since < this.oldestResourceVersion) {
      if (this.goneAs === 'status') return send(res, 410, goneStatus());
      res.writeHead(200, { 'content-type': 'application/json' });
      writeEvent(res, 'ERROR', goneStatus());
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const watch: OpenWatch = {
      collection,
      namespace,
      selector: req.query.labelSelector ?? null,
      response: res,
    };
    const backlog =
      since === undefined
        ? [...this.objects[collection].values()].map((object) => ({
            type: 'ADDED' as const,
            object,
          }))
        : this.history.filter((event) => event.resourceVersion > since);
    for (const event of backlog) {
      if (this.concerns(watch, event.object, collection)) writeEvent(res, event.type, event.object);
    }
    this.watches.add(watch);
    res.on('close', () => this.watches.delete(watch));
  }

  private remove(
    req: RecordedRequest,
    res: ServerResponse,
    namespace: string,
    collection: Collection,
    name: string,
  ) {
    const object = this.objects[collection].get(`${namespace}/${name}`);
    if (!object) return send(res, 404, notFound(collection, name));
    this.store('DELETED', collection, object);
    const propagation = req.query.propagationPolicy ?? req.body?.propagationPolicy;
    if (collection === 'jobs' && propagation !== 'Orphan') {
      for (const pod of this.podsOf(object)) this.store('DELETED', 'pods', pod);
    }
    send(res, 200, object);
  }

  private serveLog(req: RecordedRequest, res: ServerResponse, namespace: string, podName: string) {
    const pod = this.objects.pods.get(`${namespace}/${podName}`);
    if (!pod) return send(res, 404, notFound('pods', podName));
    const state = pod.status?.containerStatuses?.[0]?.state ?? {};
    if (!state.running && !state.terminated) {
      const message = `container "run" in pod "${podName}" is waiting to start`;
      return send(res, 400, statusObject(400, 'BadRequest', message));
    }
    const log = this.logOf(pod);
    const since = req.query.sinceTime ? sinceNanos(req.query.sinceTime) : undefined;
    if (since === null) {
      return send(res, 400, statusObject(400, 'BadRequest', 'sinceTime must be RFC 3339'));
    }
    const timestamps = req.query.timestamps === 'true';
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    const lines = log.lines.filter((line) => since === undefined || line.nanos >= since);
    res.write(renderLog(lines, timestamps));
    if (req.query.follow !== 'true' || log.finished) return void res.end();
    log.followers.set(res, { timestamps });
    res.on('close', () => log.followers.delete(res));
  }

  /** Strictly increasing, like one container's log. */
  private logTimestamp(): { time: string; nanos: bigint } {
    const nanos = bigMax(BigInt(Date.now()) * 1_000_000n, this.lastLogNanos + 1n);
    this.lastLogNanos = nanos;
    const seconds = new Date(Number(nanos / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
    const fraction = String(nanos % 1_000_000_000n)
      .padStart(9, '0')
      .replace(/0+$/, '');
    return { time: `${seconds}${fraction ? `.${fraction}` : ''}Z`, nanos };
  }

  // ---- state -----------------------------------------------------------------------

  private store(type: WatchEvent['type'], collection: Collection, object: KubeObject): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    object.metadata.resourceVersion = String(++this.resourceVersion);
    if (type === 'DELETED') this.objects[collection].delete(key);
    else this.objects[collection].set(key, object);
    const event: WatchEvent = {
      resourceVersion: this.resourceVersion,
      collection,
      namespace: object.metadata.namespace ?? '',
      type,
      object: structuredClone(object),
    };
    this.history.push(event);
    for (const watch of this.watches) {
      if (this.concerns(watch, event.object, collection))
        writeEvent(watch.response, type, event.object);
    }
  }

  private concerns(watch: OpenWatch, object: KubeObject, collection: Collection): boolean {
    return (
      watch.collection === collection &&
      object.metadata.namespace === watch.namespace &&
      matchesSelector(object.metadata.labels, watch.selector)
    );
  }

  /** What the job controller does: one pod from the Job's template. */
  private createPodFor(job: KubeObject): void {
    const template = job.spec.template;
    const name = `${job.metadata.name}-${randomUUID().slice(0, 5)}`;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...structuredClone(template.metadata ?? {}),
        name,
        namespace: job.metadata.namespace,
        uid: randomUUID(),
        creationTimestamp: now(),
        labels: {
          ...(template.metadata?.labels ?? {}),
          'batch.kubernetes.io/controller-uid': job.metadata.uid!,
          'batch.kubernetes.io/job-name': job.metadata.name,
          'job-name': job.metadata.name,
        },
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid },
        ],
      },
      spec: structuredClone(template.spec),
      status: { phase: 'Pending', conditions: [] },
    };
    this.store('ADDED', 'pods', pod);
  }

  private podsOf(job: KubeObject): KubeObject[] {
    return [...this.objects.pods.values()].filter(
      (pod) => pod.metadata.labels?.['batch.kubernetes.io/controller-uid'] === job.metadata.uid,
    );
  }

  private podOf(namespace: string, jobName: string): KubeObject {
    const job = this.job(namespace, jobName);
    const pod = job && this.podsOf(job)[0];
    if (!pod) throw new Error(`no pod for Job ${namespace}/${jobName}`);
    return pod;
  }

  private updatePod(namespace: string, jobName: string, change: (pod: KubeObject) => void): void {
    const pod = structuredClone(this.podOf(namespace, jobName));
    change(pod);
    this.store('MODIFIED', 'pods', pod);
  }

  private updateJob(namespace: string, jobName: string, change: (job: KubeObject) => void): void {
    const job = structuredClone(this.job(namespace, jobName));
    if (!job) throw new Error(`no Job ${namespace}/${jobName}`);
    change(job);
    this.store('MODIFIED', 'jobs', job);
  }

  private terminate(namespace: string, jobName: string, phase: string, terminated: object): void {
    this.updatePod(namespace, jobName, (pod) => {
      pod.status = {
        phase,
        conditions: [scheduled()],
        containerStatuses: [
          containerStatus(pod, {
            terminated: { ...terminated, startedAt: now(), finishedAt: now() },
          }),
        ],
      };
    });
  }

  private finishJob(
    namespace: string,
    jobName: string,
    type: 'Complete' | 'Failed',
    reason: string,
    counts: object,
  ): void {
    this.updateJob(namespace, jobName, (job) => {
      job.status = {
        ...counts,
        active: 0,
        conditions: [
          { type, status: 'True', reason, message: `Job ${reason}`, lastTransitionTime: now() },
        ],
      };
    });
  }

  private logOf(pod: KubeObject): PodLog {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    let log = this.podLogs.get(key);
    if (!log) this.podLogs.set(key, (log = { lines: [], finished: false, followers: new Map() }));
    return log;
  }
}

function renderLog(lines: LogLine[], timestamps: boolean): string {
  return lines.map((line) => `${timestamps ? `${line.time} ` : ''}${line.text}\n`).join('');
}

/**
 * sinceTime is a metav1.Time, which the API server serialises with whole seconds; the
 * fake ignores a fraction, so a client must expect the lines of that whole second again.
 * Null when the value is not a time at all.
 */
function sinceNanos(text: string): bigint | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  const ms = match ? Date.parse(`${match[1]}${match[2]}`) : NaN;
  return Number.isNaN(ms) ? null : BigInt(ms) * 1_000_000n;
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function containerStatus(pod: KubeObject, state: object) {
  const container = pod.spec.containers[0];
  return {
    name: container.name,
    image: container.image,
    imageID: '',
    ready: false,
    restartCount: 0,
    state,
  };
}

function scheduled(at = new Date()) {
  return { type: 'PodScheduled', status: 'True', lastTransitionTime: at.toISOString() };
}

function now(): string {
  return new Date().toISOString();
}

function goneStatus() {
  return statusObject(410, 'Expired', 'too old resource version');
}

function notFound(collection: Collection, name: string) {
  const { group, kind } = KINDS[collection];
  return statusObject(404, 'NotFound', `${collection} "${name}" not found`, { name, group, kind });
}

function writeEvent(res: ServerResponse, type: string, object: unknown): void {
  res.write(`${JSON.stringify({ type, object })}\n`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
