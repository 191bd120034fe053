// Query keys of the admin pages. The queues' figures are read again on each task status
// event (live/apply-task-event.ts), so they move without polling.
export const adminKeys = {
  queues: ['admin', 'queues'] as const,
  quotas: ['admin', 'quotas'] as const,
  audit: (filters: object) => ['admin', 'audit', filters] as const,
  system: ['admin', 'system'] as const,
};
