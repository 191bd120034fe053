// `npm run migration:run`: applies pending migrations and exits, for deployments that
// set KILN_DATABASE_MIGRATE_ON_BOOT=false and migrate as a separate step. It lives at
// the app root because it needs the app's schema, which infra may not import.
import { Logger } from '@nestjs/common';
import { runOrExit } from './bootstrap';
import { loadConfig } from './config/config.loader';
import {
  buildDataSourceOptions,
  connectDataSource,
  describeTarget,
} from './infra/database/data-source.factory';
import { migrateExclusively } from './infra/database/migrate-exclusively';
import { SCHEMA } from './schema';

async function migrate(): Promise<void> {
  const logger = new Logger('Migrations');
  const config = loadConfig();
  const dataSource = await connectDataSource(config, buildDataSourceOptions(config, SCHEMA), false);
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
