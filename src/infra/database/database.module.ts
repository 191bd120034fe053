import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KilnConfig } from '../../config/kiln.config';
import { buildDataSourceOptions, connectDataSource } from './data-source.factory';

@Module({})
export class DatabaseModule {
  static forRoot(config: KilnConfig): DynamicModule {
    return {
      module: DatabaseModule,
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
