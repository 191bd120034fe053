import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { bindScheduledJobRunner, leaderOnlyJobOf } from './leader-only.decorator';
import { ScheduledJobRunner } from './scheduled-job.runner';

/** Binds the runner to every provider with @LeaderOnly methods (see leader-only.decorator.ts). */
@Injectable()
export class LeaderOnlyBinder implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly runner: ScheduledJobRunner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      const methods = this.scanner.getAllMethodNames(prototype);
      const hasJobs = methods.some(
        (method) => leaderOnlyJobOf((instance as Record<string, unknown>)[method]) !== undefined,
      );
      if (hasJobs) bindScheduledJobRunner(instance, this.runner);
    }
  }
}
