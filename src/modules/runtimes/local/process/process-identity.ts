// Names a process by pid and kernel start time, so a recycled pid is never mistaken for
// the run that once had it (Linux /proc; the local runtime is Linux-only).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { waitUntil } from '../../../../common/wait-until';

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when the process started. */
  startTime: string;
}

interface ProcessStat extends ProcessIdentity {
  state: string;
  processGroup: number;
}

/** A local run's id: its process, and the Kiln process that supervises it (see RunSupervisors). */
export interface RunId extends ProcessIdentity {
  /** Absent in ids written before runs named their supervisor. */
  supervisor?: string;
}

export function formatRunId({ pid, startTime, supervisor }: RunId): string {
  return supervisor ? `${pid}:${startTime}@${supervisor}` : `${pid}:${startTime}`;
}

export function parseRunId(id: string): RunId | undefined {
  const match = /^(\d+):(\d+)(?:@([A-Za-z0-9-]{1,64}))?$/.exec(id);
  if (!match) return undefined;
  const pid = Number(match[1]);
  if (pid <= 1) return undefined;
  return match[3]
    ? { pid, startTime: match[2], supervisor: match[3] }
    : { pid, startTime: match[2] };
}

/** The identity of a live process, or undefined when it is gone or only a zombie. */
export async function readProcessIdentity(pid: number): Promise<ProcessIdentity | undefined> {
  const stat = await readProcessStat(pid);
  return stat && isAlive(stat) ? { pid, startTime: stat.startTime } : undefined;
}

/**
 * The start time of a child this process has just spawned. Read synchronously before
 * the event loop turns, because a command that exits at once is reaped on the next turn
 * and its /proc entry is gone after that.
 */
export function readChildStartTime(pid: number): string {
  try {
    return startTimeFromStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? '0';
  } catch {
    return '0';
  }
}

/** The start time in the text of /proc/<pid>/stat, read elsewhere. */
export function startTimeFromStat(pid: number, stat: string): string | undefined {
  return parseStat(pid, stat)?.startTime;
}

/** Whether a live process leads its own process group, so signalling the group is safe. */
export async function leadsProcessGroup(identity: ProcessIdentity): Promise<boolean> {
  const stat = await readProcessStat(identity.pid);
  return (
    stat !== undefined &&
    stat.startTime === identity.startTime &&
    stat.processGroup === identity.pid
  );
}

async function readProcessStat(pid: number): Promise<ProcessStat | undefined> {
  try {
    return parseStat(pid, await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseStat(pid: number, stat: string): ProcessStat | undefined {
  // The command name (field 2) is in parentheses and may hold spaces or ')'; the
  // fields after it start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, , processGroup] = fields;
  const startTime = fields[19];
  if (!state || !startTime) return undefined;
  return { pid, state, processGroup: Number(processGroup), startTime };
}

function isAlive(stat: ProcessStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}

/** Whether the process `identity` names is still the one running under its pid. */
export async function isRunning(identity: ProcessIdentity): Promise<boolean> {
  const current = await readProcessIdentity(identity.pid);
  return current?.startTime === identity.startTime;
}

/** Whether any process of the group `pid` leads is left (signal 0 only asks). */
export function groupExists(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    // EPERM: there is a process, of another user (a sandboxed replica's own uid).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals a whole process group; false when the group no longer exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  return signalProcess(pid, signal, true);
}

/**
 * Signals the processes of a run whose main process `pid` leads its process group. A
 * sandboxed run's main process is bubblewrap, whose child leads a session of its own
 * holding the run's processes: a stop signal goes to that session only, since
 * bubblewrap would die of it at once and take the run along before its grace. SIGKILL
 * goes to both, bubblewrap first: killed second, it could see its child die in between
 * and exit with code 137, and the run would read "exited with code 137" rather than
 * "killed by signal SIGKILL". False when there is nothing left to signal.
 */
export function signalRun(pid: number, signal: NodeJS.Signals): boolean {
  const sandbox = sandboxSessionOf(pid);
  if (sandbox === undefined) return signalGroup(pid, signal);
  if (signal !== 'SIGKILL') return signalGroup(sandbox, signal);
  const outer = signalGroup(pid, signal);
  return signalGroup(sandbox, signal) || outer;
}

/** How long sandboxSettled waits at most: bubblewrap's setup takes milliseconds. */
const SANDBOX_SETUP_WAIT_MS = 5000;

/**
 * Resolves once the sandbox `pid` (bubblewrap) started has its own session, or `pid` is
 * gone. Until then bubblewrap is still setting the sandbox up, and its child may not yet
 * have armed its death with bubblewrap's: bubblewrap killed in that window leaves the
 * run going on alone, in a session no signal of Kiln's reaches. Call before stopping it.
 */
export async function sandboxSettled(pid: number): Promise<void> {
  await waitUntil(
    async () =>
      sandboxSessionOf(pid) !== undefined || (await readProcessIdentity(pid)) === undefined,
    { timeoutMs: SANDBOX_SETUP_WAIT_MS, intervalMs: 5 },
  );
}

/** The child of `pid` that leads a session of its own (a sandbox's), if there is one. */
function sandboxSessionOf(pid: number): number | undefined {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    return undefined;
  }
  return children.find((child) => {
    try {
      const fields = readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]?.split(' ');
      return fields?.[3] === String(child); // field 6, the session id
    } catch {
      return false;
    }
  });
}

/** Signals a process, or the group it leads; false when there is nothing left to signal. */
export function signalProcess(pid: number, signal: NodeJS.Signals, wholeGroup: boolean): boolean {
  try {
    process.kill(wholeGroup ? -pid : pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
