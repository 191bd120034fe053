// Follows a task to its end: the live log stream of each attempt, and, for attempts that
// ran and ended between two streams (a quick retry), their stored logs, so every line of
// every attempt is printed once and in order. Answers how the task ended.
import { unwrap, type KilnClient, type LogEnd } from '../kiln-client';
import { isFinal, type Task, type TaskStatus } from '../types';
import { err } from './terminal';

export interface LineSink {
  line(text: string): void;
  clear(): void;
}

/** The last line printed, by attempt and 0-based line number. */
interface Printed {
  attempt: number;
  line: number;
}

/**
 * The task's final status, or undefined when `signal` stopped the following first.
 * Attempts before `firstAttempt` are not printed.
 */
export async function followTask(
  client: KilnClient,
  taskId: string,
  sink: LineSink,
  options: { signal?: AbortSignal; firstAttempt?: number } = {},
): Promise<LogEnd | undefined> {
  const { signal, firstAttempt = 1 } = options;
  const follower = new Follower(client, taskId, sink, firstAttempt);
  for (;;) {
    const task = await follower.task();
    if (isFinal(task.status)) {
      await follower.catchUp(task.attempt);
      return { status: task.status, attempt: task.attempt };
    }
    const next = nextAttemptOf(task);
    await follower.catchUp(next - 1);
    const end = await follower.stream(next, signal);
    if (!end) return undefined;
    if (isFinal(end.status)) {
      await follower.catchUp(end.attempt);
      return end;
    }
  }
}

/**
 * The attempt a log stream opened now follows: the latest one, even while a retry of it
 * waits (the stream then replays it), or the first before any launch.
 */
function nextAttemptOf(task: Task): number {
  return Math.max(1, task.attempt);
}

class Follower {
  private printed: Printed | undefined;

  constructor(
    private readonly client: KilnClient,
    private readonly taskId: string,
    private readonly sink: LineSink,
    private readonly firstAttempt: number,
  ) {}

  task(): Promise<Task> {
    return unwrap(
      this.client.api.GET('/api/v1/tasks/{id}', { params: { path: { id: this.taskId } } }),
    );
  }

  /** Prints what is stored and not yet printed of the attempts up to `lastAttempt`. */
  async catchUp(lastAttempt: number): Promise<void> {
    const from = Math.max(this.firstAttempt, this.printed?.attempt ?? 1);
    for (let attempt = from; attempt <= lastAttempt; attempt++) {
      const sinceLine = this.printed?.attempt === attempt ? this.printed.line + 1 : 0;
      const text = await unwrap(
        this.client.api.GET('/api/v1/tasks/{id}/logs', {
          params: { path: { id: this.taskId }, query: { attempt, sinceLine } },
          parseAs: 'text',
        }),
      );
      // an attempt with no new lines answers an empty body, which openapi-fetch leaves undefined
      const lines = (text ?? '').split('\n').slice(0, -1);
      lines.forEach((line, index) => this.print(attempt, sinceLine + index, line));
    }
  }

  /** Follows the live log of `attempt`, resuming after what was printed of it. */
  async stream(attempt: number, signal?: AbortSignal): Promise<LogEnd | undefined> {
    const afterLine = this.printed?.attempt === attempt ? this.printed.line : undefined;
    let end: LogEnd | undefined;
    try {
      for await (const item of this.client.followLogs(this.taskId, { afterLine, signal })) {
        if ('text' in item) this.print(attempt, item.line, item.text);
        else end = item;
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
    return signal?.aborted ? undefined : end;
  }

  private print(attempt: number, line: number, text: string) {
    if (this.printed && this.printed.attempt !== attempt) {
      this.sink.clear();
      process.stderr.write(err.dim(`── attempt ${attempt} ──\n`));
    }
    this.printed = { attempt, line };
    this.sink.line(text);
  }
}

export function describeEnd(taskId: string, status: TaskStatus, exitCode?: number | null) {
  const paint = status === 'succeeded' ? err.green : err.red;
  const code = exitCode === null || exitCode === undefined ? '' : ` (exit code ${exitCode})`;
  return `${err.bold(`task ${taskId}`)} ${paint(status)}${code}\n`;
}
