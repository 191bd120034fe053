import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { KilnConfig } from './kiln.config';

/** Warns once at boot about each renamed setting still used under its old name. */
@Injectable()
export class DeprecationsNotice implements OnModuleInit {
  private readonly logger = new Logger('Config');

  constructor(private readonly config: KilnConfig) {}

  onModuleInit(): void {
    for (const deprecation of this.config.deprecations ?? []) this.logger.warn(deprecation);
  }
}
