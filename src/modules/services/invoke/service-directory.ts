// The services the invoke path looks up by name, kept for a moment so a steady stream of
// invocations does not cost a database read each. A change reaches the invoke path
// within CACHE_MS; the replicas themselves are asked of the runtime on every call.
import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../../common/errors/domain-error';
import type { Service } from '../persistence/service.entity';
import { ServicesRepository } from '../persistence/services.repository';

const CACHE_MS = 1000;
const MAX_CACHED = 1000;

@Injectable()
export class ServiceDirectory {
  private readonly cache = new Map<string, { service: Service | null; until: number }>();

  constructor(private readonly services: ServicesRepository) {}

  async byName(name: string): Promise<Service> {
    const now = Date.now();
    let entry = this.cache.get(name);
    if (!entry || entry.until <= now) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      entry = { service: await this.services.findByName(name), until: now + CACHE_MS };
      this.cache.set(name, entry);
    }
    if (!entry.service) throw new NotFoundError('Service not found.');
    return entry.service;
  }
}
