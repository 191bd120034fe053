/** How a fire came about. */
export enum FireKind {
  /** The cron expression's time came. */
  Scheduled = 'scheduled',
  /** A user asked for a fire now. */
  Manual = 'manual',
}

/** What a fire did. */
export enum FireOutcome {
  /** A task was submitted. */
  Submitted = 'submitted',
  /** The concurrency policy or the owner's state kept the task from being submitted. */
  Skipped = 'skipped',
  /** No Kiln fired it in time: past the starting deadline, or an older missed time. */
  Missed = 'missed',
  /** The submit was refused (queue gone, backlog full, ...); the reason says why. */
  Failed = 'failed',
}
