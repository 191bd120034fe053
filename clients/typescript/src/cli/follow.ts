// Follows a task to its end: the log of each attempt in turn, each asked for by number,
// so every line of every attempt is printed once and in order, and a retry that starts
// between two streams is never taken for the attempt before it. Each attempt is named
// before its lines. Answers how the task ended.
import { unwrap, type KilnClient, type LogEnd } from '../kiln-client';
import { isFinal } from '../types';
import { err } from './terminal';

export interface LineSink {
  line(text: string): void;
  clear(): void;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** The attempt to start from (default 1); earlier ones are not printed. */
  firstAttempt?: number;
  /** Follow only `firstAttempt`, not the retries after it. */
  onlyFirst?: boolean;
}

/** How the task (or, with `onlyFirst`, the attempt) ended; undefined when `signal` stopped it. */
export async function followTask(
  client: KilnClient,
  taskId: string,
  sink: LineSink,
  options: FollowOptions = {},
): Promise<LogEnd | undefined> {
  const { signal, onlyFirst = false } = options;
  for (let attempt = options.firstAttempt ?? 1; ; attempt++) {
    const end = await followAttempt(client, taskId, attempt, sink, signal);
    if (!end) return undefined;
    if (onlyFirst) return end;
    if (isFinal(end.status) && !(await laterAttemptRan(client, taskId, attempt))) return end;
  }
}

/**
 * Whether the task ran an attempt after `attempt`: a retry that started and ended while
 * the stream of `attempt` was closing leaves a final status that is not that attempt's.
 */
async function laterAttemptRan(client: KilnClient, taskId: string, attempt: number) {
  const task = await unwrap(
    client.api.GET('/api/v1/tasks/{id}', { params: { path: { id: taskId } } }),
  );
  return task.attempt > attempt;
}

/** Prints attempt `attempt` from its first line (or where a dropped stream left off). */
async function followAttempt(
  client: KilnClient,
  taskId: string,
  attempt: number,
  sink: LineSink,
  signal?: AbortSignal,
): Promise<LogEnd | undefined> {
  let end: LogEnd | undefined;
  try {
    for await (const item of client.followLogs(taskId, { attempt, signal })) {
      if ('text' in item) sink.line(item.text);
      else if ('status' in item) end = item;
      else {
        sink.clear();
        process.stderr.write(err.dim(`── attempt ${item.attempt} ──\n`));
      }
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
  return signal?.aborted ? undefined : end;
}

export function describeEnd(
  taskId: string,
  status: LogEnd['status'],
  exitCode?: number | null,
): string {
  const paint = status === 'succeeded' ? err.green : err.red;
  const code = exitCode === null || exitCode === undefined ? '' : ` (exit code ${exitCode})`;
  return `${err.bold(`task ${taskId}`)} ${paint(status)}${code}\n`;
}
