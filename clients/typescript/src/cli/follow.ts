// Follows a task to its end through its log stream: prints each line once, carries on
// into the next attempt when a run is retried, and answers how the task ended.
import type { KilnClient, LogEnd } from '../kiln-client';
import { isFinal, type TaskStatus } from '../types';
import { err } from './terminal';

export interface LineSink {
  line(text: string): void;
  clear(): void;
}

/** The task's final status, or undefined when `signal` stopped the following first. */
export async function followTask(
  client: KilnClient,
  taskId: string,
  sink: LineSink,
  signal?: AbortSignal,
): Promise<LogEnd | undefined> {
  let printedAttempt: number | undefined;
  let lastLine: number | undefined;
  for (;;) {
    let end: LogEnd | undefined;
    let printedHere = false;
    const stream = client.followLogs(taskId, { afterLine: lastLine, signal });
    try {
      for await (const item of stream) {
        if ('text' in item) {
          sink.line(item.text);
          lastLine = item.line;
          printedHere = true;
        } else end = item;
      }
    } catch (error) {
      if (signal?.aborted) return undefined;
      throw error;
    }
    if (!end || signal?.aborted) return undefined;
    if (isFinal(end.status)) return end;
    if (printedHere) printedAttempt = end.attempt;
    if (printedAttempt !== undefined && printedAttempt !== end.attempt) {
      sink.clear();
      process.stderr.write(err.dim(`── task is ${end.status}, attempt ${end.attempt} ──\n`));
      printedAttempt = undefined;
      lastLine = undefined;
    }
  }
}

export function describeEnd(taskId: string, status: TaskStatus, exitCode?: number | null) {
  const paint = status === 'succeeded' ? err.green : err.red;
  const code = exitCode === null || exitCode === undefined ? '' : ` (exit code ${exitCode})`;
  return `${err.bold(`task ${taskId}`)} ${paint(status)}${code}\n`;
}
