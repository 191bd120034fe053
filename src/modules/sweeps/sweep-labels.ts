/** Labels every trial's task carries, so a sweep's tasks can be listed by sweep. */
export const SWEEP_ID_LABEL = 'kiln.dev/sweep';
export const SWEEP_TRIAL_LABEL = 'kiln.dev/trial';
