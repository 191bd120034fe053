// A forced retention run over old and new data: it removes exactly what is past its
// setting (tasks with their rows and run directories, audit entries, expired refresh
// tokens and ended sessions) and keeps the rest and the tasks others still reference.
// Written once, run on the embedded default and on PostgreSQL + Redis.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap } from '@kiln/client';
import { DataSource, In } from 'typeorm';
import { waitUntil } from '../../../src/common/wait-until';
import { RetentionRunner } from '../../../src/common/retention/retention-runner';
import { KilnConfig } from '../../../src/config/kiln.config';
import { AuditEntry } from '../../../src/modules/audit/audit-entry.entity';
import { RefreshToken } from '../../../src/modules/auth/sessions/refresh-token.entity';
import { localRunsDir } from '../../../src/modules/runtimes/local/process/run-directory';
import { TaskMetricPoint } from '../../../src/modules/tasks/training-metrics/task-metric-point.entity';
import { Task } from '../../../src/modules/tasks/persistence/entities/task.entity';
import { StartApp, startTaskWorld, TaskWorld } from '../tasks/task-world';

const DAY_MS = 86_400_000;
const REPORTS_A_METRIC = [
  '/bin/sh',
  '-c',
  'echo \'KILN_METRIC {"name":"loss","step":1,"value":0.5}\'',
];

export function retentionScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;
  let dataSource: DataSource;
  let runsDir: string;

  beforeAll(async () => {
    world = await startTaskWorld(start, {
      KILN_RETENTION_TASK_DAYS: '30',
      KILN_RETENTION_AUDIT_DAYS: '365',
      KILN_RETENTION_SESSION_DAYS: '7',
      KILN_RETENTION_BATCH_SIZE: '2',
      ...env,
    });
    dataSource = world.kiln.app.get(DataSource);
    runsDir = localRunsDir(world.kiln.app.get(KilnConfig));
  });

  afterAll(() => world?.kiln.close());

  const finishedTask = async (name: string) => {
    const submitted = await world.submit({ name, command: REPORTS_A_METRIC });
    await world.waitForStatus(submitted.data!.id, ['succeeded']);
    return submitted.data!.id;
  };
  const age = async (ids: string[], days: number) => {
    await dataSource
      .createQueryBuilder()
      .update(Task)
      .set({ finishedAt: new Date(Date.now() - days * DAY_MS) })
      .where({ id: In(ids) })
      .execute();
  };
  const exists = async (id: string) =>
    (await world.as.admin.GET('/api/v1/tasks/{id}', { params: { path: { id } } })).response
      .status === 200;

  it('removes finished tasks past their days with their rows and run directories, and keeps the rest', async () => {
    const old = [
      await finishedTask('old 1'),
      await finishedTask('old 2'),
      await finishedTask('old 3'),
    ];
    const recent = await finishedTask('recent');
    const schedule = await unwrap(
      world.as.alice.POST('/api/v1/schedules', {
        body: { name: 'held', cron: '0 0 1 1 *', task: { name: 'scheduled', command: ['true'] } },
      }),
    );
    const fired = await unwrap(
      world.as.alice.POST('/api/v1/schedules/{id}/trigger', {
        params: { path: { id: schedule.id } },
      }),
    );
    const firedTask = fired.taskId!;
    await world.waitForStatus(firedTask, ['succeeded']);
    await age([...old, firedTask], 31);
    await age([recent], 29);
    for (const id of old) expect(existsSync(join(runsDir, id))).toBe(true);
    const metricPoints = () =>
      dataSource.getRepository(TaskMetricPoint).countBy({ taskId: In(old) });
    // points are written in batches, which may land just after the run ends
    expect(
      (await waitUntil(async () => (await metricPoints()) === 3, { timeoutMs: 10_000 })).satisfied,
    ).toBe(true);

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed.tasks).toBe(3);
    for (const id of old) {
      expect(await exists(id)).toBe(false);
      expect(existsSync(join(runsDir, id))).toBe(false);
    }
    expect(await metricPoints()).toBe(0);
    expect(await exists(recent)).toBe(true);
    expect(existsSync(join(runsDir, recent))).toBe(true);
    // the live schedule's latest task is held, however old
    expect(await exists(firedTask)).toBe(true);
  });

  it('removes audit entries past their own, longer setting', async () => {
    const entries = dataSource.getRepository(AuditEntry);
    const all = await entries.find({ select: { id: true } });
    expect(all.length).toBeGreaterThan(1);
    const [oldest, ...rest] = all;
    await entries.update({ id: oldest.id }, { occurredAt: new Date(Date.now() - 366 * DAY_MS) });
    await entries.update({ id: rest[0].id }, { occurredAt: new Date(Date.now() - 100 * DAY_MS) });

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed.audit).toBe(1);
    expect(await entries.existsBy({ id: oldest.id })).toBe(false);
    expect(await entries.count()).toBe(all.length - 1);
  });

  it('removes refresh tokens expired past their days, and keeps live sessions', async () => {
    const tokens = dataSource.getRepository(RefreshToken);
    const before = await tokens.count();
    const [expired] = await tokens.find({ take: 1, order: { createdAt: 'ASC' } });
    await tokens.update({ id: expired.id }, { expiresAt: new Date(Date.now() - 8 * DAY_MS) });

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed.sessions).toBeGreaterThanOrEqual(1);
    expect(await tokens.existsBy({ id: expired.id })).toBe(false);
    expect(await tokens.count()).toBe(before - 1);
    // the others still work
    expect((await world.as.bob.GET('/api/v1/tasks')).response.status).toBe(200);
  });
}
