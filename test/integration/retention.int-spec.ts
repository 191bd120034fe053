// Retention on PostgreSQL + Redis: the shared scenarios, and a run over 100k old tasks
// in which no batch, and so no statement, takes a second.
import { DataSource } from 'typeorm';
import { RetentionRunner } from '../../src/common/retention/retention-runner';
import { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { retentionScenarios } from '../scenarios/retention/retention.scenarios';
import { startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { startOnPostgresAndRedis } from '../support/production-app';

describe('retention on PostgreSQL + Redis', () => {
  retentionScenarios((options) => startOnPostgresAndRedis(options, 'kiln_retention'));
});

describe('retention over 100k old tasks on PostgreSQL', () => {
  const OLD_TASKS = 100_000;
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(
      (options) => startOnPostgresAndRedis(options, 'kiln_retention_bulk'),
      {
        KILN_RETENTION_TASK_DAYS: '30',
      },
    );
  });

  afterAll(() => world?.kiln.close());

  it('removes them all in batches, no batch or statement taking a second', async () => {
    const dataSource = world.kiln.app.get(DataSource);
    const template = await world.submit({ name: 'template', command: ['true'] });
    await world.waitForStatus(template.body.id, ['succeeded']);
    const columns = dataSource.getMetadata(Task).columns.map((column) => column.databaseName);
    const values = columns.map((name) => {
      if (name === 'id') return 'gen_random_uuid()';
      if (name === 'idempotency_key') return 'NULL';
      if (name === 'finished_at') return "now() - interval '40 days'";
      return `"${name}"`;
    });
    await dataSource.query(
      `INSERT INTO tasks (${columns.map((name) => `"${name}"`).join(', ')})
       SELECT ${values.join(', ')} FROM tasks, generate_series(1, ${OLD_TASKS})
        WHERE tasks.id = $1`,
      [template.body.id],
    );

    const started = Date.now();
    const summary = await world.kiln.app.get(RetentionRunner).runNow();
    const elapsedMs = Date.now() - started;

    // the measured figures, for the record
    const longest = summary.longestStatement;
    console.log(
      `retention of ${OLD_TASKS} tasks: ${elapsedMs} ms, longest batch ${summary.longestBatchMs} ms, ` +
        `longest statement ${longest?.ms} ms (${longest?.kind} on ${longest?.table})`,
    );
    expect(summary.removed.tasks).toBe(OLD_TASKS);
    expect(summary.longestBatchMs).toBeLessThan(1000);
    expect(longest!.ms).toBeLessThan(1000);
    expect(await dataSource.getRepository(Task).countBy({ id: template.body.id })).toBe(1);
  });
});
