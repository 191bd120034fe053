// A service says whether an invocation whose connection broke before any answer is sent
// once more to another replica; on by default, as it was before the column.
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { booleanDefault } from '../../../../infra/database/migration-helpers';

export class AddServiceInvokeRetry1795600000410 implements MigrationInterface {
  name = 'AddServiceInvokeRetry1795600000410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'services',
      new TableColumn({
        name: 'invoke_retry',
        type: 'boolean',
        default: booleanDefault(queryRunner, true),
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('services', 'invoke_retry');
  }
}
