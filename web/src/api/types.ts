import type { components } from '@kiln/client';

export type {
  Task,
  TaskStatus,
  TaskPage,
  TaskSubmission,
  TaskEvent,
  TaskAttempt,
  MetricSeries,
  ArtifactListing,
  User,
  Problem,
  TaskListQuery,
} from '@kiln/client';

type Schemas = components['schemas'];
export type Role = Schemas['UserResponse']['roles'][number];
export type ApiToken = Schemas['ApiTokenResponse'];
export type CreatedApiToken = Schemas['CreatedApiTokenResponse'];
export type TokenScope = NonNullable<Schemas['CreateApiTokenDto']['scopes']>[number];

/** What GET /api/v1/events sends about a task: a task event with the task and its owner. */
export type LiveTaskEvent = Schemas['FeedEventResponse'];
/** What GET /api/v1/events sends: a task event, or a model service's (`service.*`). */
export type LiveEvent = LiveTaskEvent | Schemas['ServiceFeedEventResponse'];

export const TASK_STATUSES = [
  'pending',
  'queued',
  'running',
  'cancelling',
  'lost',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
] as const satisfies readonly Schemas['TaskResponse']['status'][];

export const ROLES = ['admin', 'member', 'viewer'] as const satisfies readonly Role[];
export const TOKEN_SCOPES = [
  'tasks:read',
  'tasks:write',
  'services:read',
  'services:write',
  'services:invoke',
] as const satisfies readonly TokenScope[];

export type Service = Schemas['ServiceResponse'];
export type ServiceDetail = Schemas['ServiceDetailResponse'];
export type ServiceStatus = Service['status'];
export type Replica = Schemas['ReplicaResponse'];
export type ServiceRevision = Schemas['ServiceRevisionResponse'];
export type ServiceEvent = Schemas['ServiceEventResponse'];
export type NewService = Schemas['CreateServiceDto'];

export type Schedule = Schemas['ScheduleResponse'];
export type ScheduleFire = Schemas['ScheduleFireResponse'];
export type NewSchedule = Schemas['CreateScheduleDto'];

export type Sweep = Schemas['SweepResponse'];
export type SweepTrial = Schemas['SweepTrialResponse'];
export type NewSweep = Schemas['CreateSweepDto'];
export type SearchParameter = Schemas['SearchParameterDto'];

export type Queue = Schemas['QueueResponse'];
export type QuotaList = Schemas['QuotaListResponse'];
export type UserQuota = Schemas['UserQuotaResponse'];
export type QuotaOverrides = Schemas['UpdateQuotaDto'];
export type AuditEntry = Schemas['AuditEntryResponse'];
export type AuditAction = AuditEntry['action'];

export type Webhook = Schemas['WebhookResponse'];
export type CreatedWebhook = Schemas['CreatedWebhookResponse'];
export type WebhookDelivery = Schemas['DeliveryResponse'];

export type SystemView = Schemas['SystemResponse'];
export type KilnProcess = Schemas['KilnProcessResponse'];
export type JobQueueCounts = Schemas['JobQueueCountsResponse'];
export type DependencyState = Schemas['DependencyStateResponse'];
