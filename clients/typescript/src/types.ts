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
/** An event of the live feed about a model service, named by its kind (`service.ready`). */
export type ServiceFeedEvent = Schemas['ServiceFeedEventResponse'];
/** Anything GET /api/v1/events sends; `kind` tells which (`status`, `progress`, `service.*`). */
export type LiveEvent = FeedEvent | ServiceFeedEvent;
/** The names an event of the live feed may have, for its `kind` filter. */
export type LiveEventKind = LiveEvent['kind'];

export function isTaskFeedEvent(event: LiveEvent): event is FeedEvent {
  return event.kind === 'status' || event.kind === 'progress';
}
export type TaskAttempt = Schemas['TaskAttemptResponse'];
export type TaskMetrics = Schemas['TaskMetricsResponse'];
export type MetricSeries = Schemas['MetricSeriesResponse'];
export type ArtifactListing = Schemas['ArtifactListingResponse'];
export type Session = Schemas['SessionResponse'];
export type User = Schemas['UserResponse'];
export type Problem = Schemas['ProblemDetailsResponse'];
export type TaskListQuery = NonNullable<operations['listTasks']['parameters']['query']>;
export type Service = Schemas['ServiceResponse'];
export type ServiceDetail = Schemas['ServiceDetailResponse'];
export type ServiceSubmission = Schemas['CreateServiceDto'];
export type ServiceRevision = Schemas['ServiceRevisionResponse'];
export type ServiceEvent = Schemas['ServiceEventResponse'];
export type Replica = Schemas['ReplicaResponse'];
export type Schedule = Schemas['ScheduleResponse'];
export type ScheduleSubmission = Schemas['CreateScheduleDto'];
export type Sweep = Schemas['SweepResponse'];
export type SweepSubmission = Schemas['CreateSweepDto'];
export type Queue = Schemas['QueueResponse'];
export type UserQuota = Schemas['UserQuotaResponse'];
export type QuotaChange = Schemas['UpdateQuotaDto'];
export type AuditEntry = Schemas['AuditEntryResponse'];
export type AuditQuery = NonNullable<operations['listAuditEntries']['parameters']['query']>;
export type Webhook = Schemas['WebhookResponse'];
export type WebhookSubmission = Schemas['CreateWebhookDto'];
export type UserRole = User['roles'][number];

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
