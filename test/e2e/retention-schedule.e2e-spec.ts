// Retention on its own schedule: with KILN_RETENTION_CRON set to every second, an old
// audit entry goes without anyone starting a run, and both the log and Prometheus name
// the table each statement touched, the rows it deleted and how long it took.
import { DataSource } from 'typeorm';
import { RetentionRunner } from '../../src/common/retention/retention-runner';
import { waitUntil } from '../../src/common/wait-until';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity';
import { startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { startTestApp } from '../support/test-app';

const DAY_MS = 86_400_000;

describe('retention at the times KILN_RETENTION_CRON names', () => {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(startTestApp, {
      KILN_RETENTION_CRON: '* * * * * *',
      KILN_RETENTION_AUDIT_DAYS: '365',
    });
  });

  afterAll(() => world?.kiln.close());

  it('runs by itself at the configured times and reports each table its statements touched', async () => {
    const runner = world.kiln.app.get(RetentionRunner);
    const nextRunAt = runner.nextRunAt();
    expect(nextRunAt).not.toBeNull();
    expect(nextRunAt!.getTime() - Date.now()).toBeLessThanOrEqual(1000);
    const entries = world.kiln.app.get(DataSource).getRepository(AuditEntry);
    const [oldest] = await entries.find({ take: 1, order: { occurredAt: 'ASC' } });
    await entries.update({ id: oldest.id }, { occurredAt: new Date(Date.now() - 366 * DAY_MS) });

    const gone = await waitUntil(async () => !(await entries.existsBy({ id: oldest.id })), {
      timeoutMs: 10_000,
    });

    expect(gone.satisfied).toBe(true);
    const ruleLine = () =>
      world.kiln.logs.find(
        (line) =>
          line.msg === 'retention rule audit finished' &&
          JSON.stringify(line.tables).includes('"deleted":1'),
      );
    // the run logs its line just after the delete the query above saw land
    await waitUntil(() => ruleLine() !== undefined, { timeoutMs: 5_000 });
    expect(ruleLine()).toMatchObject({
      rule: 'audit',
      tables: expect.arrayContaining([
        expect.objectContaining({ table: 'audit_log', kind: 'select', statements: 1 }),
        expect.objectContaining({ table: 'audit_log', kind: 'delete', deleted: 1 }),
      ]),
    });
    const metrics = await (await fetch(`${world.kiln.url}/metrics`)).text();
    expect(metrics).toContain(
      'kiln_retention_deleted_rows_total{rule="audit",table="audit_log"} 1',
    );
    expect(metrics).toMatch(
      /kiln_retention_statement_duration_seconds_count\{rule="audit",table="audit_log",statement="delete"\} 1\b/,
    );
  });
});
