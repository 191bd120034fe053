// A real HTTP server that speaks the parts of the Kubernetes API the Kubernetes runtimes
// call (Jobs, Deployments, pods, pod logs, Secrets, Services; list, watch with
// resourceVersion, 410 Gone, JSON Patch), with driver methods a test uses to play the
// job and deployment controllers and the kubelet.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterState, OpenWatch } from './cluster-state';
import { DeploymentController } from './deployment-controller';
import { applyJsonPatch } from './json-patch';
import { RecordedRequest, readBody, send, writeEvent } from './http-io';
import { JobController } from './job-controller';
import { PodLogs } from './pod-logs';
import {
  Collection,
  KINDS,
  KubeObject,
  goneStatus,
  matchesSelector,
  notFound,
  now,
  statusObject,
} from './wire';

export type { RecordedRequest } from './http-io';

const ROUTE =
  /^\/(?:api\/v1|apis\/batch\/v1|apis\/apps\/v1)\/namespaces\/([^/]+)\/(jobs|pods|secrets|deployments|services)(?:\/([^/]+))?(\/log)?$/;

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));
  private readonly state = new ClusterState();
  private readonly controller = new JobController(this.state);
  private readonly deployments = new DeploymentController(this.state);
  private readonly podLogs = new PodLogs();
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
    return this.state.get('jobs', namespace, name);
  }

  secret(namespace: string, name: string): KubeObject | undefined {
    return this.state.get('secrets', namespace, name);
  }

  jobs(): KubeObject[] {
    return this.state.all('jobs');
  }

  deployment(namespace: string, name: string): KubeObject | undefined {
    return this.state.get('deployments', namespace, name);
  }

  service(namespace: string, name: string): KubeObject | undefined {
    return this.state.get('services', namespace, name);
  }

  /** Every pod in the cluster, whoever made it. */
  pods(): KubeObject[] {
    return this.state.all('pods');
  }

  /** The pods of a Deployment's current template, or of one revision by its label. */
  replicasOf(namespace: string, deployment: string, revision?: number): KubeObject[] {
    return this.deployments.podsRunning(namespace, deployment, revision);
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  openWatchCount(): number {
    return this.state.openWatchCount;
  }

  /** Log requests with follow=true that are still open. */
  openLogFollowerCount(): number {
    return this.podLogs.followerCount();
  }

  // ---- what tests do: play the job controller and the kubelet ----------------------------

  running(namespace: string, jobName: string): void {
    this.controller.running(namespace, jobName);
  }

  succeeded(namespace: string, jobName: string): void {
    this.controller.succeeded(namespace, jobName);
  }

  failed(namespace: string, jobName: string, exitCode: number, reason = 'Error'): void {
    this.controller.failed(namespace, jobName, exitCode, reason);
  }

  oomKilled(namespace: string, jobName: string): void {
    this.controller.oomKilled(namespace, jobName);
  }

  imagePullBackOff(namespace: string, jobName: string, scheduledSecondsAgo: number): void {
    this.controller.imagePullBackOff(namespace, jobName, scheduledSecondsAgo);
  }

  deadlineExceeded(namespace: string, jobName: string): void {
    this.controller.deadlineExceeded(namespace, jobName);
  }

  evicted(namespace: string, jobName: string): void {
    this.controller.evicted(namespace, jobName);
  }

  /** The replicas' containers run and pass their readiness probe; the rollout goes on. */
  replicasReady(namespace: string, deployment: string, revision?: number): void {
    for (const pod of this.replicasOf(namespace, deployment, revision)) this.deployments.ready(pod);
    this.deployments.sync(namespace, deployment);
  }

  /** The replicas' containers exit at once, again and again. */
  replicasCrashLooping(namespace: string, deployment: string, revision?: number): void {
    for (const pod of this.replicasOf(namespace, deployment, revision)) {
      this.deployments.crashLooping(pod, 1);
    }
    this.deployments.sync(namespace, deployment);
  }

  /** Appends to a service replica's log (a pod by name). */
  appendPodLog(namespace: string, podName: string, ...texts: string[]): void {
    const pod = this.state.get('pods', namespace, podName);
    if (!pod) throw new Error(`no pod ${namespace}/${podName}`);
    this.podLogs.append(pod, texts);
  }

  appendLog(namespace: string, jobName: string, ...texts: string[]): void {
    this.podLogs.append(this.controller.podOf(namespace, jobName), texts);
  }

  finishLog(namespace: string, jobName: string): void {
    this.podLogs.finish(this.controller.podOf(namespace, jobName));
  }

  /** Drops every open follow of a pod log, as a restarting kubelet or a proxy would. */
  disconnectLogFollowers(): void {
    this.podLogs.disconnectFollowers();
  }

  /** Drops every open watch connection, as a restarting API server or a proxy would. */
  disconnectWatches(): void {
    this.state.disconnectWatches();
  }

  /**
   * Forgets every resourceVersion up to now: open watches are told (an ERROR event with
   * code 410, or a dropped connection and then HTTP 410 on the next watch request).
   */
  expireResourceVersions(as: 'status' | 'event'): void {
    this.state.expireResourceVersions(as);
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
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
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
      const object = this.state.get(collection, namespace, name);
      return object ? send(res, 200, object) : send(res, 404, notFound(collection, name));
    }
    if (request.method === 'DELETE' && name)
      return this.remove(request, res, namespace, collection, name);
    if (request.method === 'PATCH' && name)
      return this.patch(request, res, namespace, collection, name);
    send(res, 405, statusObject(405, 'MethodNotAllowed', `${request.method} not supported`));
  }

  private create(res: ServerResponse, namespace: string, collection: Collection, body: KubeObject) {
    const name = body.metadata.name;
    if (this.state.get(collection, namespace, name)) {
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
    if (collection === 'jobs' || collection === 'deployments') object.status = {};
    if (collection === 'deployments') object.metadata.generation = 1;
    this.state.store('ADDED', collection, object);
    if (collection === 'jobs') this.controller.createPodFor(object);
    if (collection === 'deployments') this.deployments.sync(namespace, name);
    send(res, 201, this.state.get(collection, namespace, name));
  }

  /** RFC 6902 JSON Patch, client-node's default patch type; the only one Kiln sends. */
  private patch(
    request: RecordedRequest,
    res: ServerResponse,
    namespace: string,
    collection: Collection,
    name: string,
  ) {
    const object = this.state.get(collection, namespace, name);
    if (!object) return send(res, 404, notFound(collection, name));
    if (request.contentType !== 'application/json-patch+json') {
      const message = `unsupported patch type ${request.contentType}`;
      return send(res, 415, statusObject(415, 'UnsupportedMediaType', message));
    }
    let next: KubeObject;
    try {
      next = applyJsonPatch(object, request.body);
    } catch (error) {
      return send(res, 422, statusObject(422, 'Invalid', (error as Error).message));
    }
    if (JSON.stringify(next.spec) !== JSON.stringify(object.spec)) {
      next.metadata.generation = ((object.metadata.generation as number) ?? 1) + 1;
    }
    this.state.store('MODIFIED', collection, next);
    if (collection === 'deployments') this.deployments.sync(namespace, name);
    send(res, 200, this.state.get(collection, namespace, name));
  }

  private list(
    req: RecordedRequest,
    res: ServerResponse,
    namespace: string,
    collection: Collection,
  ) {
    const items = this.state
      .all(collection)
      .filter(
        (o) =>
          o.metadata.namespace === namespace &&
          matchesSelector(o.metadata.labels, req.query.labelSelector),
      );
    const { kind, apiVersion } = KINDS[collection];
    send(res, 200, {
      kind: `${kind}List`,
      apiVersion,
      metadata: { resourceVersion: String(this.state.resourceVersion) },
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
    if (since !== undefined && this.state.isExpired(since)) {
      if (this.state.goneAs === 'status') return send(res, 410, goneStatus());
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
    this.state.openWatch(watch, since);
  }

  private remove(
    req: RecordedRequest,
    res: ServerResponse,
    namespace: string,
    collection: Collection,
    name: string,
  ) {
    const object = this.state.get(collection, namespace, name);
    if (!object) return send(res, 404, notFound(collection, name));
    this.state.store('DELETED', collection, object);
    const propagation = req.query.propagationPolicy ?? req.body?.propagationPolicy;
    if (collection === 'jobs' && propagation !== 'Orphan') {
      for (const pod of this.controller.podsOf(object)) this.state.store('DELETED', 'pods', pod);
    }
    if (collection === 'deployments' && propagation !== 'Orphan') {
      this.deployments.deletePodsOf(object);
    }
    send(res, 200, object);
  }

  private serveLog(req: RecordedRequest, res: ServerResponse, namespace: string, podName: string) {
    const pod = this.state.get('pods', namespace, podName);
    if (!pod) return send(res, 404, notFound('pods', podName));
    const state = pod.status?.containerStatuses?.[0]?.state ?? {};
    if (!state.running && !state.terminated) {
      const message = `container "run" in pod "${podName}" is waiting to start`;
      return send(res, 400, statusObject(400, 'BadRequest', message));
    }
    this.podLogs.serve(req, res, pod);
  }
}
