// Finds a task's run processes from outside, as an operator would: by the KILN_TASK_ID
// in their environment (readable here because the suites run as root or as Kiln's user).
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live processes whose environment names the task (the run and its children). */
export function processesOfTask(taskId: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => isLive(pid) && environOf(pid).includes(`KILN_TASK_ID=${taskId}\0`))
    .map(Number);
}

function isLive(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false; // gone meanwhile
  }
}

function environOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return '';
  }
}

/** Pids of live replica processes of a service (by the KILN_SERVICE_ID in their environment). */
export function processesOfService(serviceId: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => isLive(pid) && environOf(pid).includes(`KILN_SERVICE_ID=${serviceId}\0`))
    .map(Number);
}

/** The parent of a live process, or undefined once it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^PPid:\s+(\d+)$/m.exec(status)![1]);
  } catch {
    return undefined;
  }
}
