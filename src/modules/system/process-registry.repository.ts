// The kiln_processes table: one heartbeat row per live process.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { KilnProcessRow } from './kiln-process.entity';

@Injectable()
export class ProcessRegistryRepository {
  constructor(
    @InjectRepository(KilnProcessRow) private readonly rows: Repository<KilnProcessRow>,
  ) {}

  async beat(row: KilnProcessRow): Promise<void> {
    await this.rows.upsert(row, ['id']);
  }

  /** Processes whose heartbeat is not older than `since`, oldest start first. */
  alive(since: Date): Promise<KilnProcessRow[]> {
    return this.rows.find({
      where: { heartbeatAt: MoreThanOrEqual(since) },
      order: { startedAt: 'ASC', id: 'ASC' },
    });
  }

  async remove(id: string): Promise<void> {
    await this.rows.delete({ id });
  }

  /** Forgets processes silent since `before` (crashed without removing their row). */
  async prune(before: Date): Promise<void> {
    await this.rows.delete({ heartbeatAt: LessThan(before) });
  }
}
