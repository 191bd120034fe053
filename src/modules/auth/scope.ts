// What an API token may be limited to. A module that adds endpoints for tokens adds
// its scopes here; a token's scopes are validated against this list when it is made.
export const SCOPES = {
  'tasks:read': 'Read tasks, their runs, logs and metrics',
  'tasks:write': 'Submit, change and cancel tasks',
  'services:read': 'Read model services, their revisions, replicas and events',
  'services:write': 'Deploy, change, scale, roll back and delete model services',
  'services:invoke': 'Send requests to model services through their endpoint',
} as const;

export type Scope = keyof typeof SCOPES;

export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];
