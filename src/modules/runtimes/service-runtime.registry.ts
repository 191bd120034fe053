// Finds the service runtime a queue names, so the services module never depends on a driver.
import { Inject, Injectable } from '@nestjs/common';
import { UnknownRuntimeError } from './runtime.registry';
import { SERVICE_RUNTIMES, ServiceRuntime } from './service-runtime.port';

@Injectable()
export class ServiceRuntimeRegistry {
  constructor(
    @Inject(SERVICE_RUNTIMES) private readonly runtimes: ReadonlyMap<string, ServiceRuntime>,
  ) {}

  /** The service runtime called `name`; throws UnknownRuntimeError for any other name. */
  get(name: string): ServiceRuntime {
    const runtime = this.runtimes.get(name);
    if (!runtime) throw new UnknownRuntimeError(name, this.names());
    return runtime;
  }

  has(name: string): boolean {
    return this.runtimes.has(name);
  }

  names(): string[] {
    return [...this.runtimes.keys()];
  }
}
