// Metric samples reported by training runs.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { typeFor } from '../../../../infra/database/migration-helpers';

export class CreateTaskMetrics1795400000100 implements MigrationInterface {
  name = 'CreateTaskMetrics1795400000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'task_metric_points',
        columns: [
          {
            name: 'id',
            type: typeFor(queryRunner, 'sequence'),
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'task_id', type: typeFor(queryRunner, 'uuid') },
          { name: 'attempt', type: 'integer' },
          { name: 'name', type: 'varchar', length: '128' },
          { name: 'step', type: 'bigint', isNullable: true },
          { name: 'value', type: 'double precision' },
          { name: 'recorded_at', type: typeFor(queryRunner, 'timestamp') },
        ],
        indices: [
          {
            name: 'IDX_task_metric_points_series',
            columnNames: ['task_id', 'name', 'step'],
          },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('task_metric_points', true);
  }
}
