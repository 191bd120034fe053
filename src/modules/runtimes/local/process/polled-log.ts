// The log of a run another Kiln process supervises, followed from this one. Its writer's
// events are in the other process, so the file is polled: fs.watch does not see writes
// made from another container on a shared volume. The caller says when the run will
// write no more.
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { GrowingLog } from './log-reader';

const POLL_MS = 250;

export class PolledLog implements GrowingLog {
  logVersion = 0;
  logComplete = false;
  private size = -1;

  constructor(
    private readonly logPath: string,
    private readonly runHasEnded: () => Promise<boolean>,
  ) {}

  async nextLogChange(signal?: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await delay(POLL_MS, undefined, { signal });
      } catch {
        return; // aborted: the reader checks its signal and stops
      }
      // Completion first: a log found complete is read once more to its end.
      const complete = await this.runHasEnded();
      const size = await stat(this.logPath).then(
        (info) => info.size,
        () => this.size,
      );
      if (complete || size !== this.size) {
        this.logComplete = complete;
        this.size = size;
        this.logVersion++;
        return;
      }
    }
  }
}
