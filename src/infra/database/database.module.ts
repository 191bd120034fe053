import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KilnConfig } from '../../config/kiln.config';
import { buildDataSourceOptions, connectDataSource, dialectOf } from './data-source.factory';
import { DatabaseSchema } from './database-schema';
import { DatabaseDialect } from './dialect';

@Module({})
export class DatabaseModule {
  /** `schema`: the entities and migrations the app collects from its modules. */
  static forRoot(config: KilnConfig, schema: DatabaseSchema): DynamicModule {
    const options = buildDataSourceOptions(config, schema);
    return {
      module: DatabaseModule,
      global: true,
      providers: [{ provide: DatabaseDialect, useValue: dialectOf(config) }],
      exports: [DatabaseDialect],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...options,
            // connectDataSource retries with backoff itself; TypeOrmModule's own
            // fixed-delay retry would multiply the attempts.
            retryAttempts: 0,
          }),
          dataSourceFactory: async () => connectDataSource(config, options),
        }),
      ],
    };
  }
}
