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

/** What GET /api/v1/events sends: a task event with the task and its owner. */
export type LiveTaskEvent = Schemas['TaskEventResponse'] & { taskId: string; ownerId: string };

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
export const TOKEN_SCOPES = ['tasks:read', 'tasks:write'] as const satisfies readonly TokenScope[];
