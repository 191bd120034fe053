// The event types a webhook hears, once schedules and services send events too. Webhooks
// made before keep hearing task status changes only, which is all they signed up for.
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { typeFor } from '../../../infra/database/migration-helpers';

export class AddWebhookEvents1795600000200 implements MigrationInterface {
  name = 'AddWebhookEvents1795600000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webhooks',
      new TableColumn({ name: 'events', type: typeFor(queryRunner, 'json'), isNullable: true }),
    );
    await queryRunner.query(`UPDATE webhooks SET events = '["task.status"]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webhooks', 'events');
  }
}
