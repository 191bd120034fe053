// Task dependencies (a pending task may wait for others to succeed).
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { typeFor } from '../../../../infra/database/migration-helpers';

export class CreateTaskDependencies1795400000200 implements MigrationInterface {
  name = 'CreateTaskDependencies1795400000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'task_dependencies',
        columns: [
          { name: 'task_id', type: typeFor(queryRunner, 'uuid'), isPrimary: true },
          { name: 'depends_on_id', type: typeFor(queryRunner, 'uuid'), isPrimary: true },
        ],
        indices: [{ name: 'IDX_task_dependencies_depends_on', columnNames: ['depends_on_id'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('task_dependencies', true);
  }
}
