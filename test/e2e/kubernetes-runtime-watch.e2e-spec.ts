// How the Kubernetes runtime keeps up with the API server: its watch resumes and
// relists, inspect falls back to a GET, transient failures are retried. Against a fake
// API server (test/support/kubernetes-runtime-harness.ts).
import { waitUntil } from '../../src/common/wait-until';
import { NS, useKubernetesRuntime } from '../support/kubernetes-runtime-harness';

describe('KubernetesBatchRuntime: watching and calling the API server', () => {
  const k = useKubernetesRuntime();

  it('resumes a dropped watch from the last resourceVersion it saw, without listing again', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    await k.statusBecomes(handle, 'running');
    await k.watchHasSeen(handle, jobName);
    const lastSeen = Number(k.api.job(NS, jobName)!.metadata.resourceVersion);
    const lists = k.api.requestsTo('GET', /\/jobs$/).filter((r) => r.query.watch !== 'true').length;
    const watchesBefore = k.api.requestsTo('GET', /\/jobs$/).length;

    k.api.disconnectWatches();
    k.api.succeeded(NS, jobName);
    await k.statusBecomes(handle, 'succeeded');

    const rewatches = k.api
      .requestsTo('GET', /\/jobs$/)
      .slice(watchesBefore)
      .filter((r) => r.query.watch === 'true');
    expect(rewatches.length).toBeGreaterThan(0);
    expect(Number(rewatches[0].query.resourceVersion)).toBeGreaterThanOrEqual(lastSeen);
    expect(k.api.requestsTo('GET', /\/jobs$/).filter((r) => r.query.watch !== 'true')).toHaveLength(
      lists,
    );
    expect(k.api.requestsTo('GET', new RegExp(`/jobs/${jobName}$`)).length).toBe(0);
  });

  it.each(['status', 'event'] as const)(
    'lists again when the resourceVersion has expired (410 Gone as %s)',
    async (as) => {
      const { handle, jobName } = await k.launched();
      k.api.running(NS, jobName);
      await k.statusBecomes(handle, 'running');
      await k.watchHasSeen(handle, jobName);
      const lists = () =>
        k.api.requestsTo('GET', /\/jobs$/).filter((r) => r.query.watch !== 'true').length;
      const listsBefore = lists();

      k.api.expireResourceVersions(as);
      k.api.succeeded(NS, jobName);
      const relisted = await waitUntil(() => lists() > listsBefore, { timeoutMs: 5000 });
      expect(relisted.satisfied).toBe(true);
      await k.statusBecomes(handle, 'succeeded');
      await k.watchHasSeen(handle, jobName);
    },
  );

  it('answers inspect() with a GET when the watch has not seen the Job', async () => {
    const handle = { executor: 'kubernetes', id: `${NS}/kiln-never-k.launched-1` };
    expect(await k.runtime.inspect(handle)).toMatchObject({ state: 'lost' });
    expect(k.api.requestsTo('GET', /\/jobs\/kiln-never-k.launched-1$/)).toHaveLength(1);
  });

  it('retries API calls that fail with 429 or 5xx', async () => {
    k.api.failNext(1, 503, (r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    k.api.failNext(1, 429, (r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    const { jobName } = await k.launched();
    expect(k.api.requestsTo('POST', /\/jobs$/)).toHaveLength(3);
    expect(k.api.job(NS, jobName)).toBeDefined();
  });
});
