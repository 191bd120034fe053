import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KilnConfig } from '../../config/kiln.config';
import { buildDataSourceOptions, connectDataSource, dialectOf } from './data-source.factory';
import { DatabaseDialect } from './dialect';

@Module({})
export class DatabaseModule {
  static forRoot(config: KilnConfig): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [{ provide: DatabaseDialect, useValue: new DatabaseDialect(dialectOf(config)) }],
      exports: [DatabaseDialect],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildDataSourceOptions(config),
            // connectDataSource retries with backoff itself; TypeOrmModule's own
            // fixed-delay retry would multiply the attempts.
            retryAttempts: 0,
          }),
          dataSourceFactory: async (options) => connectDataSource(config, options),
        }),
      ],
    };
  }
}
