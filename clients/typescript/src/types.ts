// Names for the generated schemas the client and the CLI use, so no caller spells
// `components['schemas'][...]`. Every type here comes from the generated file.
import type { components, operations } from './generated/schema';

type Schemas = components['schemas'];

export type Task = Schemas['TaskResponse'];
export type TaskStatus = Task['status'];
export type TaskPage = Schemas['TaskPageResponse'];
export type TaskSubmission = Schemas['CreateTaskDto'];
export type TaskUpdate = Schemas['UpdateTaskDto'];
export type TaskEvent = Schemas['TaskEventResponse'];
/** An event of the live feed: a task event and whose task it is. */
export type FeedEvent = Schemas['FeedEventResponse'];
export type TaskAttempt = Schemas['TaskAttemptResponse'];
export type TaskMetrics = Schemas['TaskMetricsResponse'];
export type MetricSeries = Schemas['MetricSeriesResponse'];
export type ArtifactListing = Schemas['ArtifactListingResponse'];
export type Session = Schemas['SessionResponse'];
export type User = Schemas['UserResponse'];
export type Problem = Schemas['ProblemDetailsResponse'];
export type TaskListQuery = NonNullable<operations['listTasks']['parameters']['query']>;

/** Statuses a task never leaves. */
export const FINAL_STATUSES: readonly TaskStatus[] = [
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
];

export function isFinal(status: TaskStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
