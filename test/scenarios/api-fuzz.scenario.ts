// Spec-driven fuzzing of a real Kiln process: every operation of the committed spec gets a
// valid request and then hostile variants of each part as its main caller, and the valid
// request and bad ids as every other role. No answer may be a 5xx or an error that is not
// problem+json, what the fuzzing stored must stay readable, and the process must still be
// ready after. In the e2e suite each answer also passes the contract check.
import { unwrap, type KilnClient, type UserRole } from '@kiln/client';
import { clientAs } from '../support/kiln-clients';
import { fuzzRequests, roleRequests, ValidRequest } from '../support/fuzz/fuzz-cases';
import { fuzz, FuzzFinding } from '../support/fuzz/fuzz-runner';
import { SpecOperation, specOperations } from '../support/fuzz/spec-operations';
import { KilnProcess } from '../support/kiln-process';
import { waitUntil } from '../../src/common/wait-until';

const PASSWORD = 'a long enough password';
const ADMIN_PASSWORD = 'the fuzzing root password';

type Role = 'anonymous' | 'admin' | 'member' | 'viewer' | 'readOnlyToken' | 'run';
const ROLES: Role[] = ['anonymous', 'admin', 'member', 'viewer', 'readOnlyToken', 'run'];

/** The owner of a task runs its command, which leaves its run token in the log. */
const LONG_RUN = [
  'sh',
  '-c',
  'echo "$KILN_RUN_TOKEN"; mkdir -p "$KILN_OUTPUT_DIR"; echo "{}" > "$KILN_OUTPUT_DIR/model.json"; sleep 120',
];
const FAILING_RUN = ['sh', '-c', 'exit 3'];
/** Operations that change their task get one of their own, so the others keep theirs. */
const TASK_CHANGING = ['updateTask', 'deleteTask', 'cancelTask', 'retryTask', 'cloneTask'];

interface World {
  kiln: KilnProcess;
  tokens: Record<Role, string | undefined>;
  runningTaskId: string;
  ownTasks: Record<string, string>;
  victimUserId: string;
  victimApiTokenId: string;
}

let world: World;
let usernames = 0;

/** Starts Kiln with `env` on the database under test; `close` stops it and cleans up. */
export type StartKiln = (
  env: Record<string, string>,
) => Promise<{ kiln: KilnProcess; close(): Promise<void> }>;

export function apiFuzzScenario(start: StartKiln): void {
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const started = await start({
      KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KILN_LOG_LEVEL: 'error',
      KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '1000',
      KILN_LOGIN_THROTTLE_IP_LIMIT: '1000',
    });
    close = started.close;
    world = await buildWorld(started.kiln);
  }, 240_000);

  afterAll(async () => {
    await close?.();
  });

  const operations = specOperations();

  it.each(operations.map((operation) => [operation.operationId, operation] as const))(
    '%s answers hostile input without a 5xx and with problem+json errors',
    async (_id, operation) => {
      const findings = await fuzzOperation(operation);
      expect(summary(findings)).toEqual([]);
    },
    300_000,
  );

  it('can still read everything the fuzzing stored', async () => {
    const member = clientAs(world.kiln.url, world.tokens.member).api;
    const admin = clientAs(world.kiln.url, world.tokens.admin).api;
    const reads = {
      'task metrics': member.GET('/api/v1/tasks/{id}/metrics', {
        params: { path: { id: world.runningTaskId } },
      }),
      tasks: member.GET('/api/v1/tasks', { params: { query: { limit: 200 } } }),
      'API tokens': member.GET('/api/v1/auth/tokens'),
      users: admin.GET('/api/v1/admin/users', { params: { query: { limit: 100 } } }),
      'tasks by priority': admin.GET('/api/v1/tasks', {
        params: { query: { sort: 'priority', limit: 200 } },
      }),
    };
    const failed: string[] = [];
    for (const [what, read] of Object.entries(reads)) {
      const { response } = await read;
      if (response.status !== 200) failed.push(`${what} answered ${response.status}`);
    }
    expect(failed).toEqual([]);
  });

  it('leaves the process running and ready', async () => {
    expect(world.kiln.child.exitCode).toBeNull();
    const ready = await fetch(`${world.kiln.url}/health/ready`);
    expect(ready.status).toBe(200);
  });
}

async function fuzzOperation(operation: SpecOperation): Promise<FuzzFinding[]> {
  const valid = validRequestOf(operation);
  const mainRole = mainRoleOf(operation);
  const findings = await fuzz(
    world.kiln.url,
    fuzzRequests(operation, valid),
    world.tokens[mainRole],
  );
  for (const role of ROLES.filter((other) => other !== mainRole)) {
    const asRole = await fuzz(world.kiln.url, roleRequests(operation, valid), world.tokens[role]);
    findings.push(
      ...asRole.map((finding) => ({ ...finding, label: `as ${role}: ${finding.label}` })),
    );
  }
  return findings;
}

function mainRoleOf(operation: SpecOperation): Role {
  if (operation.operationId === 'reportTaskMetrics') return 'run';
  if (operation.isPublic) return 'anonymous';
  return operation.template.startsWith('/api/v1/admin') ? 'admin' : 'member';
}

function validRequestOf(operation: SpecOperation): ValidRequest {
  const taskId = world.ownTasks[operation.operationId] ?? world.runningTaskId;
  const pathParams: Record<string, string> = operation.template.startsWith('/api/v1/admin')
    ? { id: world.victimUserId }
    : operation.template.startsWith('/api/v1/auth/tokens')
      ? { id: world.victimApiTokenId }
      : { id: taskId, path: 'model.json' };
  return { pathParams, body: VALID_BODIES[operation.operationId] };
}

const VALID_BODIES: Record<string, () => Record<string, unknown>> = {
  login: () => ({ username: 'member', password: 'not the password' }),
  refreshSession: () => ({ refreshToken: 'r'.repeat(43) }),
  logout: () => ({ refreshToken: 'r'.repeat(43) }),
  changeMyPassword: () => ({
    currentPassword: 'not the password',
    newPassword: 'another long password',
  }),
  createApiToken: () => ({ name: 'fuzz', scopes: ['tasks:read'] }),
  createUser: () => ({ username: `fuzz${++usernames}`, password: PASSWORD, roles: ['viewer'] }),
  updateUser: () => ({ displayName: 'Victim' }),
  resetUserPassword: () => ({ password: PASSWORD }),
  submitTask: () => ({ name: 'fuzz', command: ['true'] }),
  updateTask: () => ({ name: 'renamed' }),
  reportTaskMetrics: () => ({ points: [{ name: 'loss', value: 1, step: 1 }], progress: 0.5 }),
};

/** One line per finding, so a failure reads as a list of what went wrong where. */
function summary(findings: FuzzFinding[]): string[] {
  return findings.map((finding) => `${finding.label} — ${finding.request} — ${finding.problem}`);
}

async function buildWorld(kiln: KilnProcess): Promise<World> {
  const login = async (username: string, password = PASSWORD): Promise<string> =>
    (
      await unwrap(
        clientAs(kiln.url).api.POST('/api/v1/auth/login', { body: { username, password } }),
      )
    ).accessToken;
  const admin = await login('admin', ADMIN_PASSWORD);
  const asAdmin = clientAs(kiln.url, admin).api;
  const createUser = async (username: string, roles: UserRole[]): Promise<string> =>
    (
      await unwrap(
        asAdmin.POST('/api/v1/admin/users', { body: { username, password: PASSWORD, roles } }),
      )
    ).id;
  await createUser('member', ['member']);
  await createUser('viewer', ['viewer']);
  const victimUserId = await createUser('victim', ['member']);
  const member = await login('member');
  const viewer = await login('viewer');
  const asMember = clientAs(kiln.url, member).api;
  const readOnly = await unwrap(
    asMember.POST('/api/v1/auth/tokens', { body: { name: 'read', scopes: ['tasks:read'] } }),
  );
  const victimToken = await unwrap(
    asMember.POST('/api/v1/auth/tokens', { body: { name: 'victim' } }),
  );
  const submit = async (command: string[]): Promise<string> =>
    (await unwrap(asMember.POST('/api/v1/tasks', { body: { name: 'fuzz target', command } }))).id;
  const runningTaskId = await submit(LONG_RUN);
  const ownTasks: Record<string, string> = {};
  for (const operationId of TASK_CHANGING) ownTasks[operationId] = await submit(FAILING_RUN);
  return {
    kiln,
    tokens: {
      anonymous: undefined,
      admin,
      member,
      viewer,
      readOnlyToken: readOnly.token,
      run: await runTokenOf(asMember, runningTaskId),
    },
    runningTaskId,
    ownTasks,
    victimUserId,
    victimApiTokenId: victimToken.id,
  };
}

/** The running task prints its run token first thing. */
async function runTokenOf(api: KilnClient['api'], taskId: string): Promise<string> {
  let runToken: string | undefined;
  const found = await waitUntil(
    async () => {
      const logs = await api.GET('/api/v1/tasks/{id}/logs', {
        params: { path: { id: taskId } },
        parseAs: 'text',
      });
      runToken = /kiln_run_\S+/.exec(logs.data ?? '')?.[0];
      return runToken !== undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100 },
  );
  if (!found.satisfied || !runToken)
    throw new Error('The fuzz target task never printed its run token');
  return runToken;
}
