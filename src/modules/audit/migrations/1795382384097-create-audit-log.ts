// The audit log: logins, token changes and admin changes.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { nowDefault, typeFor } from '../../../infra/database/migration-helpers';

export class CreateAuditLog1795382384097 implements MigrationInterface {
  name = 'CreateAuditLog1795382384097';

  async up(queryRunner: QueryRunner): Promise<void> {
    const varchar = (name: string, length: number, isNullable = true) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'id', type: typeFor(queryRunner, 'uuid'), isPrimary: true },
          {
            name: 'occurred_at',
            type: typeFor(queryRunner, 'timestamp'),
            default: nowDefault(queryRunner),
          },
          { name: 'actor_id', type: typeFor(queryRunner, 'uuid'), isNullable: true },
          varchar('actor_username', 64),
          varchar('action', 64, false),
          varchar('target_type', 32),
          varchar('target_id', 64),
          varchar('ip', 64),
          varchar('request_id', 128),
          { name: 'details', type: typeFor(queryRunner, 'json'), isNullable: true },
        ],
        indices: [
          { name: 'IDX_audit_log_occurred_at', columnNames: ['occurred_at'] },
          { name: 'IDX_audit_log_actor_id', columnNames: ['actor_id'] },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log', true);
  }
}
