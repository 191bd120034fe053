import type { QueueView } from '../../tasks';
import type { Role } from '../../auth';
import type { QueueResponse } from './queue.response';

export function queueResponseOf(view: QueueView, now = Date.now()): QueueResponse {
  return {
    name: view.name,
    runtime: view.runtime,
    maxRunning: view.maxRunning,
    maxGpus: view.maxGpus,
    allowedRoles: (view.allowedRoles as Role[] | undefined) ?? null,
    allowedUsers: view.allowedUsers ?? null,
    defaultResources: { ...view.defaultResources },
    paused: view.paused,
    minPriority: view.minPriority ?? null,
    maxPriority: view.maxPriority ?? null,
    pending: view.pending,
    queued: view.queued,
    running: view.running,
    gpusInUse: view.gpusInUse,
    oldestWaitingSeconds: view.oldestPendingSince
      ? Math.max(0, Math.floor((now - view.oldestPendingSince.getTime()) / 1000))
      : null,
  };
}

/** The settings of a queue alone, for the audit log's before and after. */
export function queueSettingsOf(view: QueueView): Record<string, unknown> {
  return {
    name: view.name,
    runtime: view.runtime,
    maxRunning: view.maxRunning,
    maxGpus: view.maxGpus,
    allowedRoles: view.allowedRoles ?? null,
    allowedUsers: view.allowedUsers ?? null,
    defaultResources: view.defaultResources,
    paused: view.paused,
    minPriority: view.minPriority ?? null,
    maxPriority: view.maxPriority ?? null,
  };
}
