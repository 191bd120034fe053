import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  buildDataSourceOptions,
  connectDataSource,
} from '../../src/infra/database/data-source.factory';
import { AddTaskForeignKeys1795400000300 } from '../../src/modules/tasks/persistence/migrations/1795400000300-add-task-foreign-keys';
import { MIGRATIONS, SCHEMA } from '../../src/schema';
import { AttemptStatus } from '../../src/modules/tasks/lifecycle/attempt-status';
import { TaskStatus } from '../../src/modules/tasks/lifecycle/task-status';
import { TaskAttempt } from '../../src/modules/tasks/persistence/entities/task-attempt.entity';
import { TaskDependency } from '../../src/modules/tasks/persistence/entities/task-dependency.entity';
import { TaskEvent } from '../../src/modules/tasks/persistence/entities/task-event.entity';
import { TaskLabel } from '../../src/modules/tasks/persistence/entities/task-label.entity';
import { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { TaskMetricPoint } from '../../src/modules/tasks/training-metrics/task-metric-point.entity';
import { createTestDatabase } from '../support/postgres';
import { connectToTarget, databaseTargets } from '../support/database-targets';
import { insertTaskRow } from '../support/task-row';
import { testConfig } from '../support/test-config';

const targets = databaseTargets('kiln-schema');

describe.each(targets)('migrations on $name', (target) => {
  let dataSource: DataSource;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource, close } = await connectToTarget(target, {
      KILN_DATABASE_MIGRATE_ON_BOOT: 'true',
    }));
  });

  afterAll(async () => {
    await close?.();
  });

  it('builds exactly the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('records every migration as applied', async () => {
    const applied = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    expect(applied.map((row: { name: string }) => row.name)).toEqual(
      MIGRATIONS.map((migration) => migration.name),
    );
  });

  it('deletes a task together with its labels, attempts, events, dependencies and metric points', async () => {
    const [deleted, kept, dependent] = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of [deleted, kept, dependent]) await insertTask(dataSource, id);
    await insertChildren(dataSource, deleted);
    await insertChildren(dataSource, kept);
    await dataSource
      .getRepository(TaskDependency)
      .insert({ taskId: dependent, dependsOnId: deleted });

    await dataSource.getRepository(Task).delete({ id: deleted });

    expect(await childCounts(dataSource, deleted)).toEqual(NONE);
    expect(await childCounts(dataSource, kept)).toEqual(ONE_EACH);
    expect(await dataSource.getRepository(TaskDependency).countBy({ dependsOnId: deleted })).toBe(
      0,
    );
    expect(await dataSource.getRepository(Task).countBy({ id: dependent })).toBe(1);
  });

  it('removes rows of tasks already gone when it adds the foreign keys, and keeps the others', async () => {
    // back to just before the foreign keys, undoing the migrations that came after them
    const undone = MIGRATIONS.length - MIGRATIONS.indexOf(AddTaskForeignKeys1795400000300);
    for (let i = 0; i < undone; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const [gone, kept] = [randomUUID(), randomUUID()];
    await insertChildren(dataSource, gone);
    await insertTask(dataSource, kept);
    await insertChildren(dataSource, kept);
    expect(await childCounts(dataSource, gone)).toEqual(ONE_EACH);

    await dataSource.runMigrations({ transaction: 'each' });

    expect(await childCounts(dataSource, gone)).toEqual(NONE);
    expect(await childCounts(dataSource, kept)).toEqual(ONE_EACH);
    await dataSource.getRepository(Task).delete({ id: kept });
    expect(await childCounts(dataSource, kept)).toEqual(NONE);
  });

  it('reverts every migration, leaving no table of its own behind', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++)
      await dataSource.undoLastMigration({ transaction: 'each' });
    // getTables() without names also lists system tables (sqlite_sequence, information_schema), so ask for ours.
    const ownTables = dataSource.entityMetadatas.map((metadata) => metadata.tableName);
    const tables = await dataSource.createQueryRunner().getTables(ownTables);
    expect(tables.map((table) => table.name)).toEqual([]);
  });
});

describe('replicas booting together on one PostgreSQL database', () => {
  it('migrate one at a time: all of them start, and each migration is applied once', async () => {
    const database = await createTestDatabase('kiln_schema_race');
    const config = testConfig({
      KILN_DATABASE_URL: database.url,
      KILN_DATABASE_MIGRATE_ON_BOOT: 'true',
    });
    const replicas: DataSource[] = [];
    try {
      replicas.push(
        ...(await Promise.all(
          [1, 2, 3, 4].map(() => connectDataSource(config, buildDataSourceOptions(config, SCHEMA))),
        )),
      );
      const applied: Array<{ name: string }> = await replicas[0].query(
        'SELECT name FROM migrations ORDER BY id',
      );
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
      await database.drop();
    }
  });
});

const CHILDREN = [TaskLabel, TaskAttempt, TaskEvent, TaskDependency, TaskMetricPoint];
const NONE = CHILDREN.map(() => 0);
const ONE_EACH = CHILDREN.map(() => 1);

function childCounts(dataSource: DataSource, taskId: string): Promise<number[]> {
  return Promise.all(
    CHILDREN.map((entity) => dataSource.getRepository(entity).countBy({ taskId })),
  );
}

async function insertTask(dataSource: DataSource, id: string): Promise<void> {
  await insertTaskRow(dataSource, { id });
}

/** One row of each kind about task `taskId` (which may not exist). */
async function insertChildren(dataSource: DataSource, taskId: string): Promise<void> {
  await dataSource.getRepository(TaskLabel).insert({ taskId, key: 'team', value: 'vision' });
  await dataSource.getRepository(TaskAttempt).insert({
    id: randomUUID(),
    taskId,
    number: 1,
    executor: 'local',
    status: AttemptStatus.Succeeded,
    handle: null,
    runTokenHash: null,
    queuedAt: new Date(),
  });
  await dataSource.getRepository(TaskEvent).insert({
    taskId,
    ownerId: randomUUID(),
    kind: 'status',
    fromStatus: null,
    toStatus: TaskStatus.Pending,
    attempt: null,
    progressPermille: null,
    actor: 'system',
    reason: null,
  });
  await dataSource.getRepository(TaskDependency).insert({ taskId, dependsOnId: taskId });
  await dataSource.getRepository(TaskMetricPoint).insert({
    taskId,
    attempt: 1,
    name: 'loss',
    step: 1,
    value: 0.5,
    recordedAt: new Date(),
  });
}
