/** A sweep runs until every trial is final, or until it is cancelled. */
export enum SweepStatus {
  Running = 'running',
  Completed = 'completed',
  Cancelled = 'cancelled',
}

export type ObjectiveGoal = 'minimize' | 'maximize';
export const OBJECTIVE_GOALS: readonly ObjectiveGoal[] = ['minimize', 'maximize'];

/** Which value of a trial's metric series counts: its last point, or its best. */
export type ObjectiveValue = 'last' | 'best';
export const OBJECTIVE_VALUES: readonly ObjectiveValue[] = ['last', 'best'];

export interface SweepObjective {
  metric: string;
  goal: ObjectiveGoal;
  value: ObjectiveValue;
}

/** Whether trials that fall behind are stopped early: `none` (the default) or `median`. */
export type EarlyStopping = 'none' | 'median';
export const EARLY_STOPPING: readonly EarlyStopping[] = ['none', 'median'];
