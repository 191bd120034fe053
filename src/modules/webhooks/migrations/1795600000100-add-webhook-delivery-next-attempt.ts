// When a delivery waiting for its retry is tried again, for the delivery log.
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { typeFor } from '../../../infra/database/migration-helpers';

export class AddWebhookDeliveryNextAttempt1795600000100 implements MigrationInterface {
  name = 'AddWebhookDeliveryNextAttempt1795600000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webhook_deliveries',
      new TableColumn({
        name: 'next_attempt_at',
        type: typeFor(queryRunner, 'timestamp'),
        isNullable: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webhook_deliveries', 'next_attempt_at');
  }
}
