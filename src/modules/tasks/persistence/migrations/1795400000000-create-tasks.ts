// Training tasks: tasks, their labels, attempts, events and per-user quotas.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { nowDefault, typeFor } from '../../../../infra/database/migration-helpers';

type Column = TableColumnOptions;

export class CreateTasks1795400000000 implements MigrationInterface {
  name = 'CreateTasks1795400000000';

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
        name: 'tasks',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('owner_id'),
          varchar('name', 200),
          text('description'),
          json('labels'),
          varchar('queue', 64),
          int('priority'),
          json('command'),
          { name: 'shell', type: 'boolean' },
          varchar('image', 512, true),
          varchar('working_dir', 1024, true),
          json('env'),
          json('hyperparameters'),
          int('cpu_millis'),
          int('memory_mib'),
          int('gpu'),
          int('max_retries'),
          int('retry_backoff_seconds'),
          int('timeout_seconds', true),
          json('depends_on'),
          json('no_retry_exit_codes'),
          varchar('status', 16),
          int('progress_permille'),
          int('attempt'),
          int('retries_used'),
          int('lost_count'),
          int('exit_code', true),
          text('failure_reason'),
          time('not_before'),
          int('version'),
          varchar('idempotency_key', 128, true),
          varchar('idempotency_fingerprint', 64, true),
          now('created_at'),
          now('updated_at'),
          time('queued_at'),
          time('started_at'),
          time('finished_at'),
        ],
        indices: [
          {
            name: 'IDX_tasks_dispatch',
            columnNames: ['status', 'queue', 'priority', 'created_at'],
          },
          { name: 'IDX_tasks_created', columnNames: ['created_at', 'id'] },
          { name: 'IDX_tasks_owner_created', columnNames: ['owner_id', 'created_at', 'id'] },
          {
            name: 'UQ_tasks_owner_idempotency_key',
            columnNames: ['owner_id', 'idempotency_key'],
            isUnique: true,
          },
        ],
      }),
      true,
    );

    await queryRunner.createTable(
      new Table({
        name: 'task_labels',
        columns: [
          uuid('task_id', { isPrimary: true }),
          { ...varchar('key', 63), isPrimary: true },
          varchar('value', 255),
        ],
        indices: [{ name: 'IDX_task_labels_key_value', columnNames: ['key', 'value'] }],
      }),
      true,
    );

    await queryRunner.createTable(
      new Table({
        name: 'task_attempts',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('task_id'),
          int('number'),
          varchar('executor', 32),
          varchar('status', 16),
          json('handle', true),
          varchar('run_token_hash', 64, true),
          time('queued_at', false),
          time('started_at'),
          time('finished_at'),
          int('exit_code', true),
          text('reason'),
        ],
        indices: [
          {
            name: 'UQ_task_attempts_task_number',
            columnNames: ['task_id', 'number'],
            isUnique: true,
          },
          { name: 'IDX_task_attempts_run_token', columnNames: ['run_token_hash'] },
        ],
      }),
      true,
    );

    await queryRunner.createTable(
      new Table({
        name: 'task_events',
        columns: [
          {
            name: 'id',
            type: typeFor(queryRunner, 'sequence'),
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          uuid('task_id'),
          uuid('owner_id'),
          varchar('kind', 16),
          varchar('from_status', 16, true),
          varchar('to_status', 16),
          int('attempt', true),
          int('progress_permille', true),
          varchar('actor', 64),
          text('reason'),
          now('occurred_at'),
        ],
        indices: [{ name: 'IDX_task_events_task', columnNames: ['task_id', 'id'] }],
      }),
      true,
    );

    await queryRunner.createTable(
      new Table({
        name: 'user_quotas',
        columns: [
          uuid('user_id', { isPrimary: true }),
          int('max_running', true),
          int('max_gpus', true),
          int('max_pending', true),
          now('updated_at'),
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['user_quotas', 'task_events', 'task_attempts', 'task_labels', 'tasks']) {
      await queryRunner.dropTable(table, true);
    }
  }
}
