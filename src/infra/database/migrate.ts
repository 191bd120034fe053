// `npm run migration:run`: applies pending migrations and exits, for deployments that
// set KILN_DATABASE_MIGRATE_ON_BOOT=false and migrate as a separate step.
import { Logger } from '@nestjs/common';
import { runOrExit } from '../../bootstrap';
import { loadConfig } from '../../config/config.loader';
import { buildDataSourceOptions, connectDataSource, describeTarget } from './data-source.factory';
import { migrateExclusively } from './migrate-exclusively';

async function migrate(): Promise<void> {
  const logger = new Logger('Migrations');
  const config = loadConfig();
  const dataSource = await connectDataSource(config, buildDataSourceOptions(config), false);
  try {
    const applied = await migrateExclusively(dataSource);
    const names = applied.map((migration) => migration.name).join(', ');
    logger.log(
      `${describeTarget(config)}: ${applied.length} migration(s) applied${names ? `: ${names}` : ''}`,
    );
  } finally {
    await dataSource.destroy();
  }
}

runOrExit(migrate);
