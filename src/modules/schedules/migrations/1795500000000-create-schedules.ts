// Schedules and the record of each of their fires.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { nowDefault, typeFor } from '../../../infra/database/migration-helpers';

export class CreateSchedules1795500000000 implements MigrationInterface {
  name = 'CreateSchedules1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const uuid = typeFor(queryRunner, 'uuid');
    const timestamp = typeFor(queryRunner, 'timestamp');
    const varchar = (name: string, length: number, isNullable = false) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'schedules',
        columns: [
          { name: 'id', type: uuid, isPrimary: true },
          { name: 'owner_id', type: uuid },
          varchar('name', 200),
          varchar('cron', 128),
          varchar('timezone', 64),
          { name: 'template', type: typeFor(queryRunner, 'json') },
          varchar('concurrency_policy', 16),
          { name: 'starting_deadline_seconds', type: 'integer', isNullable: true },
          { name: 'suspended', type: 'boolean' },
          { name: 'history_limit', type: 'integer' },
          { name: 'next_fire_at', type: timestamp, isNullable: true },
          { name: 'last_task_id', type: uuid, isNullable: true },
          { name: 'version', type: 'integer' },
          { name: 'created_at', type: timestamp, default: nowDefault(queryRunner) },
          { name: 'updated_at', type: timestamp, default: nowDefault(queryRunner) },
        ],
        indices: [
          { name: 'IDX_schedules_due', columnNames: ['suspended', 'next_fire_at'] },
          {
            name: 'IDX_schedules_owner_created',
            columnNames: ['owner_id', 'created_at', 'id'],
          },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'schedule_fires',
        columns: [
          { name: 'id', type: uuid, isPrimary: true },
          { name: 'schedule_id', type: uuid },
          { name: 'scheduled_at', type: timestamp },
          { name: 'fired_at', type: timestamp },
          varchar('kind', 16),
          varchar('outcome', 16),
          varchar('reason', 500, true),
          { name: 'task_id', type: uuid, isNullable: true },
        ],
        indices: [
          {
            name: 'UQ_schedule_fires_schedule_time',
            columnNames: ['schedule_id', 'scheduled_at'],
            isUnique: true,
          },
        ],
        foreignKeys: [
          {
            name: 'FK_schedule_fires_schedule',
            columnNames: ['schedule_id'],
            referencedTableName: 'schedules',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('schedule_fires', true);
    await queryRunner.dropTable('schedules', true);
  }
}
