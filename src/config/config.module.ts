import { DynamicModule, Global, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { instanceToPlain } from 'class-transformer';
import { KilnConfig } from './kiln.config';

/**
 * Provides the validated KilnConfig (inject it by its class) and, for libraries that
 * expect it, @nestjs/config's ConfigService over the same values.
 */
@Global()
@Module({})
export class KilnConfigModule implements OnModuleInit {
  private readonly logger = new Logger('Config');

  constructor(@Inject(KilnConfig) private readonly config: KilnConfig) {}

  /** Once at boot: each former key the config files still use, and what to call it now. */
  onModuleInit(): void {
    for (const notice of this.config.deprecations ?? []) this.logger.warn(notice);
  }

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
      providers: [{ provide: KilnConfig, useValue: config }],
      exports: [KilnConfig, ConfigModule],
    };
  }
}
