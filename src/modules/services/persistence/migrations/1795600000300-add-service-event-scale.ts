// Service events record a change of the wanted replicas too, beside status changes.
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

export class AddServiceEventScale1795600000300 implements MigrationInterface {
  name = 'AddServiceEventScale1795600000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('service_events', [
      new TableColumn({ name: 'kind', type: 'varchar', length: '16', default: "'status'" }),
      new TableColumn({ name: 'replicas', type: 'integer', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('service_events', ['replicas', 'kind']);
  }
}
