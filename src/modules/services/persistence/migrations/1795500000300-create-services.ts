// Model services: services, their immutable revisions, and their status events.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { nowDefault, typeFor } from '../../../../infra/database/migration-helpers';

type Column = TableColumnOptions;

export class CreateServices1795500000300 implements MigrationInterface {
  name = 'CreateServices1795500000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const uuid = (name: string, extra: Partial<Column> = {}): Column => ({
      name,
      type: typeFor(queryRunner, 'uuid'),
      ...extra,
    });
    const json = (name: string, isNullable = false): Column => ({
      name,
      type: typeFor(queryRunner, 'json'),
      isNullable,
    });
    const time = (name: string, isNullable = true): Column => ({
      name,
      type: typeFor(queryRunner, 'timestamp'),
      isNullable,
    });
    const now = (name: string): Column => ({
      ...time(name, false),
      default: nowDefault(queryRunner),
    });
    const varchar = (name: string, length: number, isNullable = false): Column => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    const int = (name: string, isNullable = false): Column => ({
      name,
      type: 'integer',
      isNullable,
    });
    const text = (name: string): Column => ({ name, type: 'text', isNullable: true });

    await queryRunner.createTable(
      new Table({
        name: 'services',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('owner_id'),
          varchar('name', 63),
          text('description'),
          json('labels'),
          varchar('queue', 64),
          varchar('runtime', 32),
          varchar('status', 16),
          text('reason'),
          int('desired_replicas'),
          int('ready_replicas'),
          int('updated_replicas'),
          int('target_revision'),
          int('serving_revision', true),
          varchar('rollout_state', 16),
          time('rollout_started_at', false),
          int('rollout_timeout_seconds'),
          int('invoke_timeout_seconds'),
          json('handle', true),
          int('version'),
          now('created_at'),
          now('updated_at'),
        ],
        indices: [
          { name: 'UQ_services_name', columnNames: ['name'], isUnique: true },
          { name: 'IDX_services_owner_created', columnNames: ['owner_id', 'created_at', 'id'] },
        ],
      }),
      true,
    );

    await queryRunner.createTable(
      new Table({
        name: 'service_revisions',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('service_id'),
          int('number'),
          json('model', true),
          json('command'),
          varchar('image', 512, true),
          json('env'),
          int('cpu_millis'),
          int('memory_mib'),
          int('gpu'),
          int('port'),
          varchar('health_path', 512),
          varchar('created_by', 64),
          text('cause'),
          now('created_at'),
        ],
        indices: [
          {
            name: 'UQ_service_revisions_number',
            columnNames: ['service_id', 'number'],
            isUnique: true,
          },
        ],
        foreignKeys: [
          {
            name: 'FK_service_revisions_service',
            columnNames: ['service_id'],
            referencedTableName: 'services',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
      true,
    );

    await queryRunner.createTable(
      new Table({
        name: 'service_events',
        columns: [
          {
            name: 'id',
            type: typeFor(queryRunner, 'sequence'),
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          uuid('service_id'),
          uuid('owner_id'),
          varchar('from_status', 16, true),
          varchar('to_status', 16),
          int('revision'),
          varchar('actor', 64),
          text('reason'),
          now('occurred_at'),
        ],
        indices: [{ name: 'IDX_service_events_service', columnNames: ['service_id', 'id'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['service_events', 'service_revisions', 'services']) {
      await queryRunner.dropTable(table, true);
    }
  }
}
