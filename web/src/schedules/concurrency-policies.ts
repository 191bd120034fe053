// What a schedule does at a time when its last task still runs, as the forms offer it.
import type { Schedule } from '../api/types';

export const CONCURRENCY_POLICIES: { value: Schedule['concurrencyPolicy']; label: string }[] = [
  { value: 'Allow', label: 'Allow: start a new task even if the last one runs' },
  { value: 'Forbid', label: 'Forbid: skip a time while the last task runs' },
  { value: 'Replace', label: 'Replace: cancel the last task and start a new one' },
];
