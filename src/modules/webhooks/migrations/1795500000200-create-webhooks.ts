// Webhooks: subscriptions, their deliveries, each delivery's tries, and the outbox's
// position in the task event log.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { nowDefault, typeFor } from '../../../infra/database/migration-helpers';

type Column = TableColumnOptions;

export class CreateWebhooks1795500000200 implements MigrationInterface {
  name = 'CreateWebhooks1795500000200';

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
    const now = (name: string): Column => ({
      name,
      type: typeFor(queryRunner, 'timestamp'),
      default: nowDefault(queryRunner),
    });
    const varchar = (name: string, length: number): Column => ({
      name,
      type: 'varchar',
      length: String(length),
    });
    const int = (name: string, isNullable = false): Column => ({
      name,
      type: 'integer',
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'webhooks',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('owner_id'),
          varchar('url', 2048),
          varchar('secret', 128),
          { name: 'all_tasks', type: 'boolean' },
          json('statuses', true),
          { name: 'enabled', type: 'boolean' },
          { name: 'disabled_reason', type: 'text', isNullable: true },
          int('consecutive_failures'),
          now('created_at'),
          now('updated_at'),
        ],
        indices: [{ name: 'IDX_webhooks_owner_id', columnNames: ['owner_id'] }],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('webhook_id'),
          varchar('event', 64),
          uuid('task_id', { isNullable: true }),
          { name: 'event_id', type: 'bigint', isNullable: true },
          json('payload'),
          varchar('status', 16),
          int('attempts'),
          now('created_at'),
          now('updated_at'),
        ],
        indices: [
          { name: 'IDX_webhook_deliveries_webhook', columnNames: ['webhook_id', 'created_at'] },
          { name: 'IDX_webhook_deliveries_status', columnNames: ['status', 'updated_at'] },
          {
            name: 'IDX_webhook_deliveries_task',
            columnNames: ['webhook_id', 'task_id', 'event_id'],
          },
        ],
        foreignKeys: [
          {
            name: 'FK_webhook_deliveries_webhook',
            columnNames: ['webhook_id'],
            referencedTableName: 'webhooks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_attempts',
        columns: [
          {
            name: 'id',
            type: typeFor(queryRunner, 'sequence'),
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          uuid('delivery_id'),
          int('attempt'),
          int('status_code', true),
          int('duration_ms'),
          { name: 'error', type: 'text', isNullable: true },
          now('occurred_at'),
        ],
        indices: [
          { name: 'IDX_webhook_attempts_delivery', columnNames: ['delivery_id', 'attempt'] },
        ],
        foreignKeys: [
          {
            name: 'FK_webhook_attempts_delivery',
            columnNames: ['delivery_id'],
            referencedTableName: 'webhook_deliveries',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_outbox_position',
        columns: [
          { ...varchar('name', 32), isPrimary: true },
          { name: 'last_event_id', type: 'bigint' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_outbox_position',
      'webhook_attempts',
      'webhook_deliveries',
      'webhooks',
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
