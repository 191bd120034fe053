// Sweeps and their trials.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { nowDefault, typeFor } from '../../../infra/database/migration-helpers';

export class CreateSweeps1795500000100 implements MigrationInterface {
  name = 'CreateSweeps1795500000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const uuid = typeFor(queryRunner, 'uuid');
    const json = typeFor(queryRunner, 'json');
    const timestamp = typeFor(queryRunner, 'timestamp');
    const varchar = (name: string, length: number) => ({
      name,
      type: 'varchar',
      length: String(length),
    });
    await queryRunner.createTable(
      new Table({
        name: 'sweeps',
        columns: [
          { name: 'id', type: uuid, isPrimary: true },
          { name: 'owner_id', type: uuid },
          varchar('name', 200),
          { name: 'template', type: json },
          { name: 'parameters', type: json },
          varchar('strategy', 16),
          { name: 'seed', type: 'integer' },
          { name: 'trial_count', type: 'integer' },
          { name: 'parallelism', type: 'integer' },
          { name: 'objective', type: json },
          varchar('early_stopping', 16),
          varchar('status', 16),
          { name: 'trials_submitted', type: 'integer' },
          { name: 'created_at', type: timestamp, default: nowDefault(queryRunner) },
          { name: 'updated_at', type: timestamp, default: nowDefault(queryRunner) },
        ],
        indices: [
          { name: 'IDX_sweeps_status', columnNames: ['status'] },
          { name: 'IDX_sweeps_owner_created', columnNames: ['owner_id', 'created_at', 'id'] },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'sweep_trials',
        columns: [
          { name: 'sweep_id', type: uuid, isPrimary: true },
          { name: 'index', type: 'integer', isPrimary: true },
          { name: 'hyperparameters', type: json },
          { name: 'task_id', type: uuid },
        ],
        foreignKeys: [
          {
            name: 'FK_sweep_trials_sweep',
            columnNames: ['sweep_id'],
            referencedTableName: 'sweeps',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sweep_trials', true);
    await queryRunner.dropTable('sweeps', true);
  }
}
