// Reads a run's log file line by line from the start, and with a live run keeps reading
// as the run appends, waking on the run's own write events instead of polling.
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** A log file that is still being written, as seen by its writer. */
export interface GrowingLog {
  /** Changes each time lines reach the file. */
  readonly logVersion: number;
  /** True once the last line is in the file. */
  readonly logComplete: boolean;
  /** Resolves at the next change (or when `signal` aborts). */
  nextLogChange(signal?: AbortSignal): Promise<void>;
}

export interface ReadLogOptions {
  sinceLine?: number;
  signal?: AbortSignal;
  /** Follow this writer until it completes; without it, read what is there and stop. */
  growing?: GrowingLog;
}

const CHUNK_BYTES = 64 * 1024;

export async function* readLogLines(
  path: string,
  { sinceLine = 0, signal, growing }: ReadLogOptions = {},
): AsyncGenerator<string> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return;
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let position = 0;
    let remainder = '';
    let lineNumber = 0;
    for (;;) {
      const version = growing?.logVersion;
      const complete = growing?.logComplete ?? true;
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const lines = (remainder + decoder.write(buffer.subarray(0, bytesRead))).split('\n');
        remainder = lines.pop() ?? '';
        for (const line of lines) {
          if (lineNumber++ >= sinceLine) yield line;
          if (signal?.aborted) return;
        }
      }
      if (complete) {
        remainder += decoder.end();
        if (remainder !== '' && lineNumber >= sinceLine) yield remainder;
        return;
      }
      if (signal?.aborted) return;
      if (growing!.logVersion === version) await growing!.nextLogChange(signal);
    }
  } finally {
    await file.close();
  }
}
