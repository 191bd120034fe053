// Every live Kiln process writes a heartbeat row, for the admin system view.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { typeFor } from '../../../infra/database/migration-helpers';

export class CreateKilnProcesses1795600000000 implements MigrationInterface {
  name = 'CreateKilnProcesses1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = typeFor(queryRunner, 'timestamp');
    await queryRunner.createTable(
      new Table({
        name: 'kiln_processes',
        columns: [
          { name: 'id', type: typeFor(queryRunner, 'uuid'), isPrimary: true },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'pid', type: 'integer' },
          { name: 'version', type: 'varchar', length: '64' },
          { name: 'leader', type: 'boolean' },
          { name: 'started_at', type: timestamp },
          { name: 'heartbeat_at', type: timestamp },
        ],
        indices: [{ name: 'IDX_kiln_processes_heartbeat', columnNames: ['heartbeat_at'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('kiln_processes', true);
  }
}
