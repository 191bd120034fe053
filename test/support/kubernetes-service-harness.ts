// A KubernetesServiceRuntime against the fake API server (the runtime's real client-node
// clients and watches, no cluster), fresh for each test, with the helpers the
// kubernetes-runtime-services suite drives it with.
import { waitUntil } from '../../src/common/wait-until';
import type { KilnConfig } from '../../src/config/kiln.config';
import { KubernetesServiceRuntime } from '../../src/modules/runtimes/kubernetes/kubernetes-service-runtime';
import type {
  ServiceHandle,
  ServiceSpec,
  ServiceStatus,
} from '../../src/modules/runtimes/service-runtime.port';
import { FakeKubeApi } from './fake-kube-api/fake-kube-api';
import { GPU_QUEUE, settingsFor } from './kubernetes-runtime-harness';

let serviceSeq = 0;
export function makeServiceSpec(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  serviceSeq++;
  return {
    serviceId: `7d0c1e2a-3b4c-4d5e-8f60-${String(serviceSeq).padStart(12, '0')}`,
    revision: 1,
    queue: 'default',
    command: ['python', 'serve.py'],
    image: 'registry.example.com/team/server:2.0.0',
    env: { KILN_SERVICE_NAME: 'iris', LOG_LEVEL: 'info' },
    resources: { cpu: 1, memoryMiB: 512, gpu: 0 },
    replicas: 2,
    port: 8080,
    readinessPath: '/healthz',
    ...overrides,
  };
}

type Deployed = { state: 'deployed' } & ServiceStatus;

export class KubernetesServiceHarness {
  api!: FakeKubeApi;
  runtime!: KubernetesServiceRuntime;
  private readonly runtimes: KubernetesServiceRuntime[] = [];

  async setUp(): Promise<void> {
    this.api = new FakeKubeApi();
    await this.api.start();
    this.runtime = this.makeRuntime();
  }

  async tearDown(): Promise<void> {
    for (const runtime of this.runtimes) runtime.onModuleDestroy();
    await this.api.stop();
  }

  /** Another runtime on the same cluster, as another (or a restarted) Kiln process has. */
  makeRuntime(overrides: Record<string, unknown> = {}): KubernetesServiceRuntime {
    const kubernetes = settingsFor({
      kubeconfigPath: this.api.writeKubeconfig(),
      queues: { gpu: GPU_QUEUE },
      ...overrides,
    });
    const runtime = new KubernetesServiceRuntime({
      runtimes: { kubernetes },
    } as unknown as KilnConfig);
    this.runtimes.push(runtime);
    return runtime;
  }

  async deployed(spec = makeServiceSpec()) {
    const handle = await this.runtime.deploy(spec);
    const [namespace, name] = handle.id.split('/');
    return { spec, handle, namespace, name };
  }

  /** Waits until `runtime` reports what `accepts` wants; fails naming the last status. */
  async statusBecomes(
    handle: ServiceHandle,
    accepts: (status: Deployed) => boolean,
    runtime = this.runtime,
  ): Promise<Deployed> {
    let status: ServiceStatus | undefined;
    const result = await waitUntil(
      async () => {
        status = await runtime.status(handle);
        return status.state === 'deployed' && accepts(status);
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    if (!result.satisfied) throw new Error(`status never matched; last ${JSON.stringify(status)}`);
    return status as Deployed;
  }

  async endpointsBecome(
    handle: ServiceHandle,
    accepts: (urls: string[]) => boolean,
    runtime = this.runtime,
  ): Promise<string[]> {
    let urls: string[] = [];
    const result = await waitUntil(
      async () => {
        urls = (await runtime.endpoints(handle)).map((endpoint) => endpoint.url);
        return accepts(urls);
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    if (!result.satisfied) throw new Error(`endpoints never matched; last ${JSON.stringify(urls)}`);
    return urls;
  }

  /** The pod IPs (as endpoints spell them) of a revision's replicas. */
  urlsOf(namespace: string, name: string, revision: number, port = 8080): string[] {
    return this.api
      .replicasOf(namespace, name, revision)
      .map((pod) => `http://${pod.status.podIP}:${port}`)
      .sort();
  }

  /** Waits until status() is answered from the watch, i.e. without a GET of the Deployment. */
  async watchHasSeen(handle: ServiceHandle, runtime = this.runtime): Promise<void> {
    const name = handle.id.split('/')[1];
    const reads = () => this.api.requestsTo('GET', new RegExp(`/deployments/${name}$`)).length;
    const result = await waitUntil(
      async () => {
        const before = reads();
        await runtime.status(handle);
        return reads() === before;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(result.satisfied).toBe(true);
  }
}

/** A fresh fake API server and service runtime for each test of the calling describe block. */
export function useKubernetesServiceRuntime(): KubernetesServiceHarness {
  const harness = new KubernetesServiceHarness();
  beforeEach(() => harness.setUp());
  afterEach(() => harness.tearDown());
  return harness;
}

export { GPU_QUEUE };
