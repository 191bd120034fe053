import { RunReporterRelay } from './run-reporter.relay';
import type { RunReporter } from './run-reporter.port';

const run = { taskId: 't1', attempt: 1 };

function recordingReporter() {
  const calls: string[] = [];
  const reporter: RunReporter = {
    metric: (_run, point) => calls.push(`metric ${point.name}=${point.value}`),
    progress: (_run, fraction) => calls.push(`progress ${fraction}`),
    ended: () => calls.push('ended'),
    lastReportedAt: () => Promise.resolve(new Date(5)),
  };
  return { reporter, calls };
}

describe('RunReporterRelay', () => {
  it('passes every report on to the connected reporter', async () => {
    const relay = new RunReporterRelay();
    const { reporter, calls } = recordingReporter();
    relay.connect(reporter);
    relay.metric(run, { name: 'loss', value: 0.5, time: new Date() });
    relay.progress(run, 0.25);
    relay.ended(run);
    expect(calls).toEqual(['metric loss=0.5', 'progress 0.25', 'ended']);
    expect(await relay.lastReportedAt(run)).toEqual(new Date(5));
  });

  it('drops reports made before a reporter is connected, as if none were stored', async () => {
    const relay = new RunReporterRelay();
    relay.progress(run, 0.5);
    expect(await relay.lastReportedAt(run)).toBeUndefined();
    const { reporter, calls } = recordingReporter();
    relay.connect(reporter);
    expect(calls).toEqual([]);
  });

  it('refuses a second, different reporter', () => {
    const relay = new RunReporterRelay();
    relay.connect(recordingReporter().reporter);
    expect(() => relay.connect(recordingReporter().reporter)).toThrow('already connected');
  });
});
