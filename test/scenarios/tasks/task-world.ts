// The running Kiln every task scenario talks to: an admin, two members and a viewer, and
// a config with a roomy default queue and a one-slot queue for waiting scenarios.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../../src/common/wait-until';
import { KilnClient, unwrap, type Task, type TaskSubmission } from '@kiln/client';
import { clientAs } from '../../support/kiln-clients';
import type { TestApp, TestAppOptions } from '../../support/test-app';
import { tempDataDir } from '../../support/test-config';

export type StartApp = (options: TestAppOptions) => Promise<TestApp>;

const ADMIN = 'root';
const ADMIN_PASSWORD = 'correct horse battery staple 42';
const PASSWORD = 'a long enough password';
export const FINAL = ['succeeded', 'failed', 'timed_out', 'cancelled'];

/** Lets members submit to a local queue even when runs are not sandboxed (as in tests). */
const MEMBERS = 'allowedRoles: [admin, member]';

/**
 * A config file with a roomy default queue and a one-slot queue for waiting scenarios;
 * `extraLines` go after them (more queues, or further YAML sections).
 */
export function queuesConfigFile(defaultCapacity = 4, extraLines: string[] = []): string {
  const path = join(tempDataDir('kiln-queues-'), 'kiln.yaml');
  writeFileSync(
    path,
    [
      'tasks:',
      '  queues:',
      `    - { name: default, executor: local, maxRunning: ${defaultCapacity}, maxGpus: 0, ${MEMBERS} }`,
      `    - { name: tiny, executor: local, maxRunning: 1, maxGpus: 0, ${MEMBERS} }`,
      ...extraLines,
    ].join('\n'),
  );
  return path;
}

export type WorldUser = 'admin' | 'alice' | 'bob' | 'viewer';
/** The public API through the generated client, typed by the committed spec. */
export type KilnApi = KilnClient['api'];

export interface TaskWorld {
  kiln: TestApp;
  tokens: Record<WorldUser, string>;
  /** The public API as each user. */
  as: Record<WorldUser, KilnApi>;
  /** Submits as `user` (alice unless told); answers openapi-fetch's data, error and response. */
  submit(
    body: TaskSubmission,
    user?: WorldUser,
    idempotencyKey?: string,
  ): ReturnType<typeof submitTask>;
  waitForStatus(id: string, statuses: string[], timeoutMs?: number): Promise<Task>;
}

function submitTask(api: KilnApi, body: TaskSubmission, idempotencyKey?: string) {
  const header = idempotencyKey === undefined ? undefined : { 'Idempotency-Key': idempotencyKey };
  return api.POST('/api/v1/tasks', { body, params: { header } });
}

export async function startTaskWorld(
  start: StartApp,
  env: Record<string, string> = {},
): Promise<TaskWorld> {
  const kiln = await start({
    env: {
      KILN_ADMIN_USERNAME: ADMIN,
      KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KILN_LOGIN_THROTTLE_IP_LIMIT: '10000',
      KILN_CONFIG_FILE: queuesConfigFile(),
      KILN_TASK_STOP_GRACE_MS: '2000',
      ...env,
    },
  });
  const login = async (username: string, password: string) =>
    (await clientAs(kiln.url).login(username, password)).accessToken;
  const admin = await login(ADMIN, ADMIN_PASSWORD);
  for (const [username, roles] of [
    ['alice', ['member']],
    ['bob', ['member']],
    ['viewer', ['viewer']],
  ] as const) {
    await unwrap(
      clientAs(kiln.url, admin).api.POST('/api/v1/admin/users', {
        body: { username, password: PASSWORD, roles: [...roles] },
      }),
    );
  }
  const tokens = {
    admin,
    alice: await login('alice', PASSWORD),
    bob: await login('bob', PASSWORD),
    viewer: await login('viewer', PASSWORD),
  };
  const as = {
    admin: clientAs(kiln.url, tokens.admin).api,
    alice: clientAs(kiln.url, tokens.alice).api,
    bob: clientAs(kiln.url, tokens.bob).api,
    viewer: clientAs(kiln.url, tokens.viewer).api,
  };
  return {
    kiln,
    tokens,
    as,
    submit: (body, user = 'alice', idempotencyKey) => submitTask(as[user], body, idempotencyKey),
    async waitForStatus(id, statuses, timeoutMs = 30_000) {
      let task: Task | undefined;
      const result = await waitUntil(
        async () => {
          task = await unwrap(as.admin.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
          return statuses.includes(task.status);
        },
        { timeoutMs, intervalMs: 100 },
      );
      if (!result.satisfied) {
        throw new Error(
          `task ${id} is ${task?.status}, not ${statuses.join('|')}: ${JSON.stringify(task)}`,
        );
      }
      return task!;
    },
  };
}

export const shell = (script: string) => ({ command: ['/bin/sh', '-c', script] });
