// The running Kiln every task scenario talks to: an admin, two members and a viewer, and
// a config with a roomy default queue and a one-slot queue for waiting scenarios.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../../src/common/wait-until';
import { ApiClient, ApiResponse } from '../../support/api-client';
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

export interface TaskWorld {
  kiln: TestApp;
  api: ApiClient;
  tokens: Record<'admin' | 'alice' | 'bob' | 'viewer', string>;
  submit(
    body: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
  waitForStatus(id: string, statuses: string[], timeoutMs?: number): Promise<Record<string, any>>;
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
  const api = new ApiClient(kiln.url);
  const login = async (username: string, password: string) =>
    (await api.post('/auth/login', { username, password })).body.accessToken as string;
  const admin = await login(ADMIN, ADMIN_PASSWORD);
  for (const [username, roles] of [
    ['alice', ['member']],
    ['bob', ['member']],
    ['viewer', ['viewer']],
  ] as const) {
    const created = await api.post('/admin/users', { username, password: PASSWORD, roles }, admin);
    expect(created.status).toBe(201);
  }
  const tokens = {
    admin,
    alice: await login('alice', PASSWORD),
    bob: await login('bob', PASSWORD),
    viewer: await login('viewer', PASSWORD),
  };
  return {
    kiln,
    api,
    tokens,
    submit: (body, token = tokens.alice, headers = {}) =>
      api.request('POST', '/tasks', { body, token, headers }),
    async waitForStatus(id, statuses, timeoutMs = 30_000) {
      let task: Record<string, any> = {};
      const result = await waitUntil(
        async () => {
          task = (await api.get(`/tasks/${id}`, tokens.admin)).body;
          return statuses.includes(task.status);
        },
        { timeoutMs, intervalMs: 100 },
      );
      if (!result.satisfied) {
        throw new Error(
          `task ${id} is ${task.status}, not ${statuses.join('|')}: ${JSON.stringify(task)}`,
        );
      }
      return task;
    },
  };
}

export const shell = (script: string) => ({ command: ['/bin/sh', '-c', script] });
