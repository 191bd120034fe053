// Foreign keys from every table about a task to the task, deleting with it, so deleting a
// task is one statement and nothing is left behind. Rows whose task is already gone (left
// by an interrupted delete before these keys existed) are removed first; no key could be
// added over them. SQLite cannot add a key to an existing table: TypeORM rebuilds each
// table (copy, drop, rename) in the migration's transaction.
import { MigrationInterface, QueryRunner, TableForeignKey } from 'typeorm';

interface TaskReference {
  table: string;
  column: string;
  name: string;
}

const REFERENCES: readonly TaskReference[] = [
  { table: 'task_labels', column: 'task_id', name: 'FK_task_labels_task' },
  { table: 'task_attempts', column: 'task_id', name: 'FK_task_attempts_task' },
  { table: 'task_events', column: 'task_id', name: 'FK_task_events_task' },
  { table: 'task_dependencies', column: 'task_id', name: 'FK_task_dependencies_task' },
  {
    table: 'task_dependencies',
    column: 'depends_on_id',
    name: 'FK_task_dependencies_depends_on',
  },
  { table: 'task_metric_points', column: 'task_id', name: 'FK_task_metric_points_task' },
];

export class AddTaskForeignKeys1795400000300 implements MigrationInterface {
  name = 'AddTaskForeignKeys1795400000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { table, column } of REFERENCES) {
      await queryRunner.query(
        `DELETE FROM ${table} WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE tasks.id = ${table}.${column})`,
      );
    }
    for (const table of tablesOf(REFERENCES)) {
      await queryRunner.createForeignKeys(
        table,
        REFERENCES.filter((reference) => reference.table === table).map(
          ({ column, name }) =>
            new TableForeignKey({
              name,
              columnNames: [column],
              referencedTableName: 'tasks',
              referencedColumnNames: ['id'],
              onDelete: 'CASCADE',
            }),
        ),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of tablesOf(REFERENCES)) {
      const names = REFERENCES.filter((reference) => reference.table === table).map(
        (reference) => reference.name,
      );
      const found = await queryRunner.getTable(table);
      await queryRunner.dropForeignKeys(
        table,
        (found?.foreignKeys ?? []).filter((key) => names.includes(key.name ?? '')),
      );
    }
  }
}

/** Each table once: SQLite rebuilds a table per call, so its keys go in together. */
function tablesOf(references: readonly TaskReference[]): string[] {
  return [...new Set(references.map((reference) => reference.table))];
}
