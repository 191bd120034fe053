// Reads a run's log through its executor: a page of lines (optionally the last N),
// or a live follow for the SSE stream.
import { Injectable } from '@nestjs/common';
import { RuntimeRegistry } from '../../runtimes';
import { MAX_LOG_LINES } from '../api/dto/logs.query';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';

export interface LogPage {
  lines: string[];
  /** Pass as sinceLine to continue after this page. */
  nextLine: number;
}

@Injectable()
export class TaskLogsService {
  constructor(private readonly executors: RuntimeRegistry) {}

  async read(
    attempt: TaskAttempt | null,
    { tail, sinceLine = 0 }: { tail?: number; sinceLine?: number },
  ): Promise<LogPage> {
    if (!attempt?.handle) return { lines: [], nextLine: sinceLine };
    const executor = this.executors.get(attempt.executor);
    // A ring of the last `tail` lines, or the first MAX_LOG_LINES: memory stays bounded
    // whatever the size of the log.
    const keep = tail ?? MAX_LOG_LINES;
    const lines: string[] = [];
    let seen = 0;
    for await (const line of executor.logs(attempt.handle, { sinceLine })) {
      seen++;
      if (tail === undefined && lines.length >= keep) {
        seen--;
        break;
      }
      lines.push(line);
      if (lines.length >= 2 * keep) lines.splice(0, lines.length - keep);
    }
    return { lines: lines.slice(-keep), nextLine: sinceLine + seen };
  }

  follow(attempt: TaskAttempt, sinceLine: number, signal: AbortSignal): AsyncIterable<string> {
    const executor = this.executors.get(attempt.executor);
    return executor.logs(attempt.handle!, { follow: true, sinceLine, signal });
  }
}
