// What an API token may be limited to. A module that adds endpoints for tokens adds
// its scopes here; a token's scopes are validated against this list when it is made.
export const SCOPES = {
  'tasks:read': 'Read tasks, their runs, logs and metrics',
  'tasks:write': 'Submit, change and cancel tasks',
} as const;

export type Scope = keyof typeof SCOPES;

export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];
