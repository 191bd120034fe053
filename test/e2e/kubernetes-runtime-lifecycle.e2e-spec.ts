// The Kubernetes runtime's run lifecycle: launch once per attempt, the status of each
// way a Job ends, stop, find, and the Nest wiring. Against a fake API server
// (test/support/kubernetes-runtime-harness.ts).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Module, OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { waitUntil } from '../../src/common/wait-until';
import { KilnConfig } from '../../src/config/kiln.config';
import { RunReporterModule } from '../../src/modules/runtimes/run-reporter.module';
import { RunReporterRelay } from '../../src/modules/runtimes/run-reporter.relay';
import { KubernetesRuntimeModule } from '../../src/modules/runtimes/kubernetes/kubernetes-runtime.module';
import { KubernetesBatchRuntime } from '../../src/modules/runtimes/kubernetes/kubernetes-batch-runtime';
import {
  NS,
  makeSpec,
  settingsFor,
  useKubernetesRuntime,
} from '../support/kubernetes-runtime-harness';
import { tempDataDir } from '../support/test-config';

describe('KubernetesBatchRuntime: launching, inspecting and stopping runs', () => {
  const k = useKubernetesRuntime();

  it('runs an attempt as one Job and reports running, then succeeded', async () => {
    const { handle, jobName } = await k.launched();
    expect(handle).toEqual({ executor: 'kubernetes', id: `${NS}/${jobName}` });
    expect(jobName).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect((await k.runtime.inspect(handle)).state).toBe('pending');

    k.api.running(NS, jobName);
    await k.statusBecomes(handle, 'running');
    k.api.succeeded(NS, jobName);
    expect(await k.statusBecomes(handle, 'succeeded')).toEqual({ state: 'succeeded', exitCode: 0 });
  });

  it('tells the reporter once when the watch sees a run end', async () => {
    const { spec, handle, jobName } = await k.launched();
    await k.watchHasSeen(handle, jobName);
    k.api.running(NS, jobName);
    k.api.failed(NS, jobName, 1);
    const told = await waitUntil(() => k.reporter.ended.length > 0, { timeoutMs: 5000 });
    expect(told.satisfied).toBe(true);
    k.api.disconnectWatches(); // the resumed watch may deliver the same state again
    await k.runtime.stop(handle, 0);
    await waitUntil(() => k.api.openWatchCount() > 0, { timeoutMs: 5000 });
    expect(k.reporter.ended).toEqual([{ taskId: spec.taskId, attempt: 1 }]);
  });

  it('reports a failed run with its exit code', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.failed(NS, jobName, 3);
    const status = await k.statusBecomes(handle, 'failed');
    expect(status).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(status.state === 'failed' && status.reason).toMatch(/exited with code 3/);
  });

  it('names OOMKilled as the reason a run that ran out of memory failed', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.oomKilled(NS, jobName);
    const status = await k.statusBecomes(handle, 'failed');
    expect(status).toMatchObject({ state: 'failed', exitCode: 137 });
    expect(status.state === 'failed' && status.reason).toMatch(/OOMKilled/);
  });

  it('fails a run whose image cannot be pulled once the grace has passed, not before', async () => {
    const { spec, handle, jobName } = await k.launched();
    k.api.imagePullBackOff(NS, jobName, 10);
    await k.statusBecomes(handle, 'pending', /ImagePullBackOff/);

    k.api.imagePullBackOff(NS, jobName, 61);
    const status = await k.statusBecomes(handle, 'failed');
    expect(status).toMatchObject({ state: 'failed', retryable: false });
    expect(status.state === 'failed' && status.reason).toContain(spec.image);
  });

  it('reports a Job past its activeDeadlineSeconds as timed out', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.deadlineExceeded(NS, jobName);
    expect(await k.statusBecomes(handle, 'timed_out')).toMatchObject({ state: 'timed_out' });
  });

  it('reports a run whose pod was evicted as lost, even though its Job failed', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.evicted(NS, jobName);
    const status = await k.statusBecomes(handle, 'lost');
    expect(status.state === 'lost' && status.reason).toMatch(/evicted/);
  });

  it('stops a run by deleting its Job with Background propagation and its Secret', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    await k.runtime.stop(handle, 1000);

    const deletes = k.api.requestsTo('DELETE', new RegExp(`/jobs/${jobName}$`));
    expect(deletes).toHaveLength(1);
    const policy = deletes[0].query.propagationPolicy ?? deletes[0].body?.propagationPolicy;
    expect(policy).toBe('Background');
    expect(k.api.job(NS, jobName)).toBeUndefined();
    expect(k.api.secret(NS, jobName)).toBeUndefined();
    await expect(k.runtime.stop(handle, 1000)).resolves.toBeUndefined(); // 404 is success
    expect(await k.statusBecomes(handle, 'lost')).toMatchObject({ state: 'lost' });
  });

  it("discards a run's Job and, with the output claim mounted into Kiln, its output there", async () => {
    const claimMount = tempDataDir('kiln-claim-');
    await k.startRuntime({ outputClaimName: 'kiln-outputs', outputLocalPath: claimMount });
    const spec = makeSpec();
    const handle = await k.runtime.launch(spec);
    const jobName = handle.id.split('/')[1];
    expect(handle.outputDir).toBe(join(claimMount, jobName));
    // found again after a crash, the run has the same handle, output included
    await expect(k.runtime.find(spec)).resolves.toEqual(handle);
    mkdirSync(join(claimMount, jobName), { recursive: true });
    writeFileSync(join(claimMount, jobName, 'model.pt'), 'weights');
    mkdirSync(join(claimMount, 'another-run'));

    await k.runtime.discard(handle);
    expect(k.api.job(NS, jobName)).toBeUndefined();
    expect(existsSync(join(claimMount, jobName))).toBe(false);
    expect(existsSync(join(claimMount, 'another-run'))).toBe(true);
  });

  it('launches a repeated attempt only once: a 409 returns the same handle', async () => {
    const spec = makeSpec();
    const first = await k.runtime.launch(spec);
    const [second, third] = await Promise.all([k.runtime.launch(spec), k.runtime.launch(spec)]);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(k.api.jobs()).toHaveLength(1);
    expect(k.api.requestsTo('POST', /\/jobs$/)).toHaveLength(3);
  });

  it('finds the Job of an attempt by its name, and nothing for an attempt never launched', async () => {
    const spec = makeSpec();
    const handle = await k.runtime.launch(spec);
    await expect(k.runtime.find(spec)).resolves.toEqual(handle);
    await expect(k.runtime.find({ ...spec, attempt: 2 })).resolves.toBeUndefined();
  });

  it('reports to the reporter another module connects when wired by Nest', async () => {
    const kubernetes = settingsFor({ kubeconfigPath: k.api.writeKubeconfig() });
    @Global()
    @Module({
      providers: [{ provide: KilnConfig, useValue: { runtimes: { kubernetes } } }],
      exports: [KilnConfig],
    })
    class HostModule {}
    @Module({ imports: [KubernetesRuntimeModule, RunReporterModule] })
    class ConsumerModule implements OnModuleInit {
      constructor(private readonly relay: RunReporterRelay) {}

      onModuleInit(): void {
        this.relay.connect(k.reporter.reporter);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [HostModule, ConsumerModule],
    }).compile();
    await moduleRef.init();
    const wired = moduleRef.get(KubernetesBatchRuntime);
    const handle = await wired.launch(makeSpec());
    const name = handle.id.split('/')[1];
    k.api.running(NS, name);
    k.api.appendLog(NS, name, 'KILN_PROGRESS 0.25');
    const statusRunning = await waitUntil(
      async () => (await wired.inspect(handle)).state === 'running',
      { timeoutMs: 5000 },
    );
    expect(statusRunning.satisfied).toBe(true);
    expect(await k.reported(() => k.reporter.progress.length === 1)).toBe(true);
    expect(k.reporter.progress).toEqual([{ run: expect.anything(), fraction: 0.25 }]);
    await moduleRef.close();
    expect(wired.logFollowerCount).toBe(0);
  });

  it('constructs without a cluster and talks to none until used', async () => {
    const config = {
      runtimes: { kubernetes: settingsFor({ kubeconfigPath: '' }) },
    } as unknown as KilnConfig;
    const idle = new KubernetesBatchRuntime(config);
    expect(idle.name).toBe('kubernetes');
    await idle.onModuleDestroy();
  });
});
