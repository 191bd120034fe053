/** Labels every task a schedule submits carries, so its tasks can be listed by schedule. */
export const SCHEDULE_ID_LABEL = 'kiln.dev/schedule';
export const SCHEDULED_AT_LABEL = 'kiln.dev/scheduled-at';
