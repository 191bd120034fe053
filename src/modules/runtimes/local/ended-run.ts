// What the local runtime keeps of a run once it has ended: its handle and exit record,
// enough to answer inspect, stop and log reads from memory. A LocalRun holds its child
// process, pipes, log stream and spec, about 10 KiB; the runtime keeps the last
// thousand ended runs, so it keeps these instead.
import type { RunHandle, RunStatus } from '../batch-runtime.port';
import type { GrowingLog } from './process/log-reader';
import type { ExitRecord } from './process/run-directory';

export class EndedRun implements GrowingLog {
  readonly logComplete = true;

  constructor(
    readonly handle: RunHandle,
    private readonly record: ExitRecord,
    readonly logVersion: number,
  ) {}

  get status(): RunStatus {
    return statusOf(this.record);
  }

  /** Nothing to stop: the run has ended. */
  async stop(): Promise<void> {}

  /** The log is complete; it never changes again. */
  async nextLogChange(): Promise<void> {}
}

/** How an ended run is reported, the same from memory and from exit.json after a restart. */
export function statusOf(record: ExitRecord): RunStatus {
  if (record.lostReason) return { state: 'lost', reason: record.lostReason };
  if (record.interruptedByShutdown) {
    return { state: 'lost', reason: 'Kiln shut down while the run was running and stopped it' };
  }
  if (record.timedOut) {
    return {
      state: 'timed_out',
      reason: `exceeded its timeout of ${record.timeoutSeconds}s and was stopped`,
    };
  }
  if (record.exitCode === 0) return { state: 'succeeded', exitCode: 0 };
  if (record.exitCode !== null) {
    return {
      state: 'failed',
      exitCode: record.exitCode,
      reason: `exited with code ${record.exitCode}`,
    };
  }
  return { state: 'failed', reason: `killed by signal ${record.signal ?? 'unknown'}` };
}
