// Kiln killed mid-run and started again on the same data: the run it left behind ends
// `lost` and is retried (without spending one of the task's retries), never stuck.
// Written once, run on the embedded default (e2e) and on PostgreSQL + Redis (integration).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap, type KilnClient } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { readProcessIdentity } from '../../src/modules/runtimes/local/process/process-identity';
import { clientAs } from '../support/kiln-clients';
import { KilnProcess } from '../support/kiln-process';
import { tempDataDir } from '../support/test-config';

const ADMIN_PASSWORD = 'restart scenario password 1';

export interface RestartTarget {
  /** Environment of both Kiln processes (the database, Redis); set up before they start. */
  env(): Promise<Record<string, string>>;
  cleanup?(): Promise<void>;
}

export function restartMidRunScenario(target: RestartTarget): void {
  const dataDir = tempDataDir('kiln-restart-');
  let kiln: KilnProcess | undefined;

  afterAll(async () => {
    await kiln?.stop('SIGTERM');
    await target.cleanup?.();
  });

  async function login(process: KilnProcess): Promise<KilnClient['api']> {
    const client = clientAs(process.url);
    await client.login('root', ADMIN_PASSWORD);
    return client.api;
  }

  it('ends the orphaned attempt as lost and retries it, leaving nothing stuck', async () => {
    const env = {
      KILN_DATA_DIR: dataDir,
      KILN_ADMIN_USERNAME: 'root',
      KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...(await target.env()),
    };
    kiln = await KilnProcess.start({ env });
    let api = await login(kiln);
    const marker = join(dataDir, 'first-run-pid');
    const submitted = await api.POST('/api/v1/tasks', {
      body: {
        name: 'survives a restart',
        command: [
          '/bin/sh',
          '-c',
          `[ -f ${marker} ] || echo $$ > ${marker}; echo run started; sleep 2`,
        ],
        maxRetries: 0,
      },
    });
    expect(submitted.response.status).toBe(201);
    const path = { id: submitted.data!.id };
    const statusOf = async () =>
      (await unwrap(api.GET('/api/v1/tasks/{id}', { params: { path } }))).status;
    // Killed once the run is recorded (its log readable through the API), not merely
    // spawned: a kill in between is the interrupted-launch case, which waits out
    // KILN_LAUNCH_GRACE_SECONDS instead.
    const running = await waitUntil(
      async () =>
        existsSync(marker) &&
        (
          (await api.GET('/api/v1/tasks/{id}/logs', { params: { path }, parseAs: 'text' })).data ??
          ''
        ).includes('run started'),
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    expect(running.satisfied).toBe(true);

    await kiln.stop('SIGKILL');
    kiln = await KilnProcess.start({ env });
    api = await login(kiln);

    const finished = await waitUntil(
      async () => ['succeeded', 'failed'].includes(await statusOf()),
      { timeoutMs: 45_000, intervalMs: 100 },
    );
    const task = await unwrap(api.GET('/api/v1/tasks/{id}', { params: { path } }));
    expect(finished.satisfied).toBe(true);
    expect(task).toMatchObject({ status: 'succeeded', attempt: 2, retriesUsed: 0 });
    const events = await unwrap(api.GET('/api/v1/tasks/{id}/events', { params: { path } }));
    expect(events.map((e) => `${e.from ?? ''}>${e.to}`)).toEqual([
      '>pending',
      'pending>queued',
      'queued>running',
      'running>lost',
      'lost>pending',
      'pending>queued',
      'queued>running',
      'running>succeeded',
    ]);
    const attempts = await unwrap(api.GET('/api/v1/tasks/{id}/attempts', { params: { path } }));
    expect(attempts.map((a) => a.status)).toEqual(['lost', 'succeeded']);
    // the first run's process group was stopped, not left running beside the retry (a
    // zombie the machine's init has yet to reap counts as stopped)
    const orphanPid = Number(readFileSync(marker, 'utf8'));
    await expect(readProcessIdentity(orphanPid)).resolves.toBeUndefined();
  }, 90_000);
}
