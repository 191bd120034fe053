/** What a fire does while the schedule's previous task has not finished. */
export enum ConcurrencyPolicy {
  /** Submit anyway: runs may overlap. */
  Allow = 'Allow',
  /** Skip this fire, recording why. */
  Forbid = 'Forbid',
  /** Cancel the previous task, then submit. */
  Replace = 'Replace',
}
