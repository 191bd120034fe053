// How the Kubernetes runtime collects what runs report in their logs (KILN_METRIC,
// KILN_PROGRESS): once per point, only on the leader, across restarts; and how readers
// read logs. Against a fake API server (test/support/kubernetes-runtime-harness.ts).
import { waitUntil } from '../../src/common/wait-until';
import { NS, metric, makeLock, useKubernetesRuntime } from '../support/kubernetes-runtime-harness';

describe('KubernetesBatchRuntime: run reports and logs', () => {
  const k = useKubernetesRuntime();

  it('collects metric and progress lines of a running pod that no one reads the log of', async () => {
    const { spec, handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.appendLog(NS, jobName, 'epoch 1', metric(10), 'KILN_PROGRESS 0.5');
    await k.statusBecomes(handle, 'running');
    expect(await k.reported(() => k.reporter.progress.length === 1)).toBe(true);
    k.api.appendLog(NS, jobName, metric(20), 'KILN_PROGRESS 1');
    expect(await k.reported(() => k.reporter.progress.length === 2)).toBe(true);
    await k.finishRun(handle, jobName);

    const run = { taskId: spec.taskId, attempt: 1 };
    expect(k.reporter.metrics).toEqual([
      { run, point: { name: 'loss', step: 10, value: 0.1, time: expect.any(Date) } },
      { run, point: { name: 'loss', step: 20, value: 0.05, time: expect.any(Date) } },
    ]);
    expect(k.reporter.progress).toEqual([
      { run, fraction: 0.5 },
      { run, fraction: 1 },
    ]);
    // the point's time is the kubelet's timestamp of the line, not when Kiln read it
    const [first, second] = k.reporter.metrics.map((m) => m.point.time.getTime());
    expect(second).toBeGreaterThanOrEqual(first);
    expect(Date.now() - first).toBeLessThan(60_000);
  });

  it('hands each point on once, however many users follow the log', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    await k.statusBecomes(handle, 'running');
    const readers = [[], []].map((lines: string[]) => ({
      lines,
      done: (async () => {
        for await (const line of k.runtime.logs(handle, { follow: true })) lines.push(line);
      })(),
    }));
    expect(await k.reported(() => k.api.openLogFollowerCount() === 3)).toBe(true);
    k.api.appendLog(NS, jobName, metric(1), 'KILN_PROGRESS 0.3');
    expect(await k.reported(() => readers.every((r) => r.lines.length === 2))).toBe(true);
    await k.finishRun(handle, jobName);
    await Promise.all(readers.map((r) => r.done));

    expect(k.stepsReported()).toEqual([1]);
    expect(k.reporter.progress.map((p) => p.fraction)).toEqual([0.3]);
    for (const reader of readers) expect(reader.lines).toEqual([metric(1), 'KILN_PROGRESS 0.3']);
  });

  it('resumes a dropped log from where it stopped, losing and repeating nothing', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.appendLog(NS, jobName, metric(1), metric(2));
    await k.statusBecomes(handle, 'running');
    expect(await k.reported(() => k.reporter.metrics.length === 2)).toBe(true);

    k.api.disconnectLogFollowers();
    k.api.appendLog(NS, jobName, metric(3), metric(4));
    expect(await k.reported(() => k.reporter.metrics.length >= 4)).toBe(true);
    k.api.disconnectLogFollowers();
    k.api.appendLog(NS, jobName, metric(5));
    await k.finishRun(handle, jobName);

    expect(k.stepsReported()).toEqual([1, 2, 3, 4, 5]);
    const [first, ...resumed] = k.logReads(jobName);
    expect(first.query).toMatchObject({ follow: 'true', timestamps: 'true' });
    expect(first.query.sinceTime).toBeUndefined();
    expect(resumed.length).toBeGreaterThanOrEqual(2); // one after each drop, at least
    for (const read of resumed) {
      expect(read.query.sinceTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it('follows at most maxLogFollowers logs at once and picks the others up as slots free', async () => {
    await k.startRuntime({ maxLogFollowers: 1 });
    const one = await k.launched();
    const two = await k.launched();
    for (const run of [one, two]) {
      k.api.running(NS, run.jobName);
      k.api.appendLog(NS, run.jobName, metric(run === one ? 1 : 2));
    }
    await k.statusBecomes(one.handle, 'running');
    expect(await k.reported(() => k.reporter.metrics.length === 1)).toBe(true);
    await k.statusBecomes(two.handle, 'running');
    expect(k.runtime.logFollowerCount).toBe(1);
    expect(k.logReads(two.jobName)).toHaveLength(0);

    await k.finishRun(one.handle, one.jobName);
    await k.statusBecomes(two.handle, 'running');
    expect(await k.reported(() => k.reporter.metrics.length === 2)).toBe(true);
    expect(k.stepsReported()).toEqual([1, 2]);
  });

  it('collects only while this process leads, resuming where it stopped when it leads again', async () => {
    const lock = makeLock(false);
    await k.startRuntime({}, lock);
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.appendLog(NS, jobName, metric(1));
    await k.statusBecomes(handle, 'running');
    expect(k.runtime.logFollowerCount).toBe(0);
    expect(k.logReads(jobName)).toHaveLength(0);

    lock.set(true);
    await k.statusBecomes(handle, 'running');
    expect(await k.reported(() => k.reporter.metrics.length === 1)).toBe(true);
    lock.set(false);
    expect(k.runtime.logFollowerCount).toBe(0);
    expect(await k.reported(() => k.api.openLogFollowerCount() === 0)).toBe(true);
    k.api.appendLog(NS, jobName, metric(2));

    lock.set(true);
    await k.statusBecomes(handle, 'running');
    await k.finishRun(handle, jobName);
    expect(k.stepsReported()).toEqual([1, 2]);
  });

  it('a new leader (or restarted Kiln) resumes after the points already stored, storing none twice', async () => {
    const lastReportedAt = k.rememberStoredPoints();
    const { spec, handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.appendLog(NS, jobName, metric(1), 'KILN_PROGRESS 0.5', metric(2));
    await k.statusBecomes(handle, 'running');
    expect(await k.reported(() => k.reporter.metrics.length === 2)).toBe(true);
    const storedThrough = k.reporter.metrics[1].point.time;
    const readsBefore = k.logReads(jobName).length;

    await k.startRuntime(); // a new process: no checkpoint of this log
    await k.clockPassesStoredPoints();
    k.api.appendLog(NS, jobName, metric(3), 'KILN_PROGRESS 0.9', metric(4));
    await k.statusBecomes(handle, 'running');
    expect(await k.reported(() => k.reporter.metrics.length >= 4)).toBe(true);
    await k.finishRun(handle, jobName);

    expect(k.stepsReported()).toEqual([1, 2, 3, 4]);
    expect(k.reporter.progress.map((p) => p.fraction)).toEqual([0.5, 0.9]);
    expect(lastReportedAt).toHaveBeenCalledWith({ taskId: spec.taskId, attempt: 1 });
    // it did not read the log from the top: only from the second of the newest point
    const resumed = k.logReads(jobName).slice(readsBefore);
    expect(resumed[0].query.sinceTime).toBe(`${storedThrough.toISOString().slice(0, 19)}Z`);
  });

  it('a leader that leads again skips what the leader in between stored', async () => {
    k.rememberStoredPoints();
    const [lockA, lockB] = [makeLock(true), makeLock(false)];
    await k.startRuntime({}, lockA);
    const other = k.makeRuntime({}, lockB);
    try {
      const { handle, jobName } = await k.launched();
      k.api.running(NS, jobName);
      k.api.appendLog(NS, jobName, metric(1));
      await k.statusBecomes(handle, 'running');
      expect(await k.reported(() => k.reporter.metrics.length === 1)).toBe(true);

      lockA.set(false);
      lockB.set(true);
      await k.clockPassesStoredPoints();
      k.api.appendLog(NS, jobName, metric(2));
      expect((await other.inspect(handle)).state).toBe('running');
      expect(await k.reported(() => k.reporter.metrics.length === 2)).toBe(true);

      lockB.set(false);
      expect(await k.reported(() => k.api.openLogFollowerCount() === 0)).toBe(true);
      lockA.set(true); // its own checkpoint still ends at step 1
      await k.clockPassesStoredPoints();
      k.api.appendLog(NS, jobName, metric(3));
      await k.statusBecomes(handle, 'running');
      await k.finishRun(handle, jobName);
      expect(k.stepsReported()).toEqual([1, 2, 3]);
    } finally {
      await other.onModuleDestroy();
    }
  });

  it('stops following logs when the app shuts down', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    await k.statusBecomes(handle, 'running');
    expect(await k.reported(() => k.api.openLogFollowerCount() === 1)).toBe(true);
    await k.runtime.onModuleDestroy();
    expect(k.runtime.logFollowerCount).toBe(0);
    expect(await k.reported(() => k.api.openLogFollowerCount() === 0)).toBe(true);
  });

  it('reads a finished log from a line on, and stops following when the signal aborts', async () => {
    const { handle, jobName } = await k.launched();
    k.api.running(NS, jobName);
    k.api.appendLog(NS, jobName, 'one', 'two', 'three');
    const tail: string[] = [];
    for await (const line of k.runtime.logs(handle, { sinceLine: 1 })) tail.push(line);
    expect(tail).toEqual(['two', 'three']);

    const controller = new AbortController();
    const followed: string[] = [];
    const done = (async () => {
      for await (const line of k.runtime.logs(handle, {
        follow: true,
        signal: controller.signal,
      })) {
        followed.push(line);
      }
    })();
    expect((await waitUntil(() => followed.length === 3, { timeoutMs: 5000 })).satisfied).toBe(
      true,
    );
    controller.abort();
    await done;
    expect(k.reporter.metrics).toEqual([]);
  });
});
