import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { bindLeaderOnlyRunner, leaderOnlyNameOf } from './leader-only.decorator';
import { LeaderOnlyRunner } from './leader-only.runner';

/** Binds the runner to every provider with @LeaderOnly methods (see leader-only.decorator.ts). */
@Injectable()
export class LeaderOnlyBinder implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly runner: LeaderOnlyRunner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      const methods = this.scanner.getAllMethodNames(prototype);
      const hasLeaderOnly = methods.some(
        (method) => leaderOnlyNameOf((instance as Record<string, unknown>)[method]) !== undefined,
      );
      if (hasLeaderOnly) bindLeaderOnlyRunner(instance, this.runner);
    }
  }
}
