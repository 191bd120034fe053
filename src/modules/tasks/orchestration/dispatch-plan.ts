// Which pending tasks the dispatcher starts now: highest priority first, oldest first
// within a priority, and tasks of equal priority shared round-robin across their
// owners so one user's thousand submits cannot starve another's one. A task that does
// not fit (queue slots or GPUs, user runs or GPUs) is skipped, not waited for, so a big
// GPU request does not hold back small CPU tasks behind it.
import type { UserLimits, Usage, UsageSnapshot } from './capacity.service';

export interface DispatchCandidate {
  id: string;
  ownerId: string;
  queue: string;
  priority: number;
  gpu: number;
}

export interface QueueCapacity {
  maxRunning: number;
  maxGpus: number;
  /** A paused queue dispatches nothing. */
  paused?: boolean;
}

export type Blocker = 'queue-runs' | 'queue-gpus' | 'user-runs' | 'user-gpus';

export function planDispatch<T extends DispatchCandidate>(
  candidates: readonly T[],
  usage: UsageSnapshot,
  queues: ReadonlyMap<string, QueueCapacity>,
  limits: ReadonlyMap<string, UserLimits>,
): T[] {
  const chosen: T[] = [];
  for (const task of fairOrder(candidates)) {
    const queue = queues.get(task.queue);
    const userLimits = limits.get(task.ownerId);
    if (!queue || queue.paused || !userLimits) continue;
    const queueUsage = usageOf(usage.byQueue, task.queue);
    const userUsage = usageOf(usage.byUser, task.ownerId);
    if (blockerOf(task, queue, queueUsage, userLimits, userUsage)) continue;
    chosen.push(task);
    queueUsage.runs += 1;
    queueUsage.gpus += task.gpu;
    userUsage.runs += 1;
    userUsage.gpus += task.gpu;
  }
  return chosen;
}

/** The first limit that keeps `task` from starting, or undefined when it fits. */
export function blockerOf(
  task: Pick<DispatchCandidate, 'gpu'>,
  queue: QueueCapacity,
  queueUsage: Usage,
  limits: UserLimits,
  userUsage: Usage,
): Blocker | undefined {
  if (queueUsage.runs >= queue.maxRunning) return 'queue-runs';
  if (queueUsage.gpus + task.gpu > queue.maxGpus) return 'queue-gpus';
  if (userUsage.runs >= limits.maxRunning) return 'user-runs';
  if (userUsage.gpus + task.gpu > limits.maxGpus) return 'user-gpus';
  return undefined;
}

/** Priority order, with equal priorities interleaved across owners (each owner FIFO). */
export function fairOrder<T extends DispatchCandidate>(sorted: readonly T[]): T[] {
  const result: T[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end < sorted.length && sorted[end].priority === sorted[start].priority) end++;
    result.push(...roundRobin(sorted.slice(start, end)));
    start = end;
  }
  return result;
}

function roundRobin<T extends DispatchCandidate>(level: T[]): T[] {
  const byOwner = new Map<string, T[]>();
  for (const task of level) {
    const list = byOwner.get(task.ownerId) ?? [];
    list.push(task);
    byOwner.set(task.ownerId, list);
  }
  const lists = [...byOwner.values()];
  const result: T[] = [];
  for (let round = 0; result.length < level.length; round++) {
    for (const list of lists) if (round < list.length) result.push(list[round]);
  }
  return result;
}

function usageOf(map: Map<string, Usage>, key: string): Usage {
  let usage = map.get(key);
  if (!usage) map.set(key, (usage = { runs: 0, gpus: 0 }));
  return usage;
}
