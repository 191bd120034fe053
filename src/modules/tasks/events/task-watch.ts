// Waits for changes of one task through the process's shared event feed, so a client
// waiting on a task (a log stream of a pending task) costs no database query of its own
// until the task actually changes.
import { TaskEventFeed } from './task-event-feed';

export class TaskWatch {
  private changed = false;
  private wake: (() => void) | undefined;
  private unsubscribe: () => void = () => undefined;

  private constructor() {}

  static async open(feed: TaskEventFeed, taskId: string): Promise<TaskWatch> {
    const watch = new TaskWatch();
    watch.unsubscribe = await feed.subscribe((event) => {
      if (event.taskId === taskId) watch.notify();
    });
    return watch;
  }

  /**
   * Resolves at the task's next change (or at once if it changed since the last call),
   * after `timeoutMs`, or when `signal` aborts, whichever comes first.
   */
  async next(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (!this.changed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, timeoutMs));
        signal.addEventListener('abort', done, { once: true });
        this.wake = done;
      });
    }
    this.changed = false;
  }

  close(): void {
    this.unsubscribe();
    this.wake?.();
  }

  private notify(): void {
    this.changed = true;
    this.wake?.();
  }
}
