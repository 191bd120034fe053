// Starting a supervised process (a batch run, a service replica) in a process group of
// its own, so one signal reaches everything it starts.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { LineSplitter } from './line-splitter';

/** The process to spawn: the workload's command, or the sandbox wrapping it. */
export interface RunProcess {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

export function spawnDetached({ file, args, cwd, env, uid, gid }: RunProcess): ChildProcess {
  // detached: its own session and process group, so a stop reaches every process the
  // workload started.
  return spawn(file, args, {
    cwd,
    env,
    uid,
    gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Like spawnDetached, but the child writes stdout and stderr straight to `logPath`
 * (appending) rather than into pipes to this process: it can outlive this process
 * without dying of a broken pipe on its next line.
 */
export function spawnDetachedToFile(spec: RunProcess, logPath: string): ChildProcess {
  const { file, args, cwd, env, uid, gid } = spec;
  const output = openSync(logPath, 'a');
  try {
    return spawn(file, args, {
      cwd,
      env,
      uid,
      gid,
      detached: true,
      stdio: ['ignore', output, output],
    });
  } finally {
    closeSync(output); // the child holds its own copy
  }
}

/**
 * Hands each line the child prints on stdout or stderr to `onLine`, cut at
 * `maxLineLength`. Call the returned function once the pipes closed, for a last line
 * without a newline.
 */
export function readOutputLines(
  child: ChildProcess,
  maxLineLength: number,
  onLine: (line: string) => void,
): () => void {
  const splitters = [child.stdout, child.stderr].map((stream) => {
    const splitter = new LineSplitter(maxLineLength, onLine);
    stream?.on('data', (chunk: Buffer) => splitter.push(chunk));
    return splitter;
  });
  return () => splitters.forEach((splitter) => splitter.end());
}
