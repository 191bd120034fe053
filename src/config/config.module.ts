import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { instanceToPlain } from 'class-transformer';
import { DeprecationsNotice } from './deprecations-notice';
import { KilnConfig } from './kiln.config';

/**
 * Provides the validated KilnConfig (inject it by its class) and, for libraries that
 * expect it, @nestjs/config's ConfigService over the same values.
 */
@Global()
@Module({})
export class KilnConfigModule {
  static forRoot(config: KilnConfig): DynamicModule {
    return {
      module: KilnConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          load: [() => instanceToPlain(config)],
        }),
      ],
      providers: [{ provide: KilnConfig, useValue: config }, DeprecationsNotice],
      exports: [KilnConfig, ConfigModule],
    };
  }
}
