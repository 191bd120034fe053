// Starting a supervised process (a batch run, a service replica): what to run, and how a
// replica, which outlives the Kiln process that started it, is spawned.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** The process to spawn: the workload's command, or the sandbox wrapping it. */
export interface RunProcess {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  /** `file` is the sandbox (bubblewrap) around the workload: see sandboxSettled. */
  sandboxed?: boolean;
}

/**
 * Spawns a process in a session and process group of its own, so one signal reaches
 * everything it starts. It writes stdout and stderr straight to `logPath` (appending)
 * rather than into pipes to this process: it can outlive this process without dying of
 * a broken pipe on its next line. (Batch runs start through the ProcessLauncher.)
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
