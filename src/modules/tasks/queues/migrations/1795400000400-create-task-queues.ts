// Task queues move from YAML read at boot to a table the admin API changes at run time.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { nowDefault, typeFor } from '../../../../infra/database/migration-helpers';

export class CreateTaskQueues1795400000400 implements MigrationInterface {
  name = 'CreateTaskQueues1795400000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    const json = typeFor(queryRunner, 'json');
    await queryRunner.createTable(
      new Table({
        name: 'task_queues',
        columns: [
          { name: 'name', type: 'varchar', length: '63', isPrimary: true },
          { name: 'runtime', type: 'varchar', length: '32' },
          { name: 'max_running', type: 'integer' },
          { name: 'max_gpus', type: 'integer' },
          { name: 'allowed_roles', type: json, isNullable: true },
          { name: 'allowed_users', type: json, isNullable: true },
          { name: 'default_resources', type: json },
          { name: 'paused', type: 'boolean' },
          { name: 'min_priority', type: 'integer', isNullable: true },
          { name: 'max_priority', type: 'integer', isNullable: true },
          {
            name: 'updated_at',
            type: typeFor(queryRunner, 'timestamp'),
            default: nowDefault(queryRunner),
          },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('task_queues', true);
  }
}
