// Every task queue, held in memory for the submit and dispatch paths and re-read from
// the database: at once when any replica changes a queue (a wake-up on the Wakeups
// port), at the start of every dispatch pass, and every few seconds in case a wake was
// lost. The YAML queues seed the table on the first boot only; after that the database
// wins.
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { KilnConfig } from '../../../config/kiln.config';
import { WAKEUPS, Wakeups } from '../../../infra/wakeups/wakeups.port';
import { TaskQueueRepository } from './task-queue.repository';
import { queueOfRow, rowOfQueue, TaskQueue } from './task-queue';

const QUEUES_CHANGED = 'tasks.queues-changed';
/** How stale a replica's copy may get when a wake is lost. */
const REREAD_EVERY_MS = 5000;

@Injectable()
export class QueueCatalog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(QueueCatalog.name);
  private byName: ReadonlyMap<string, TaskQueue> = new Map();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @Inject(WAKEUPS) private readonly wakeups: Wakeups,
    private readonly rows: TaskQueueRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seedOnFirstBoot();
    await this.reload();
    this.wakeups.on(QUEUES_CHANGED, () => void this.reloadQuietly());
    this.timer = setInterval(() => void this.reloadQuietly(), REREAD_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  get queues(): ReadonlyMap<string, TaskQueue> {
    return this.byName;
  }

  async reload(): Promise<void> {
    const rows = await this.rows.all();
    this.byName = new Map(rows.map((row) => [row.name, queueOfRow(row)]));
  }

  /** Re-reads here now and tells every other replica to. */
  async changed(): Promise<void> {
    await this.reload();
    this.wakeups.wake(QUEUES_CHANGED);
  }

  private async seedOnFirstBoot(): Promise<void> {
    if ((await this.rows.count()) > 0) return;
    await this.rows.insertMissing(
      this.config.tasks.queues.map((queue) => rowOfQueue({ ...queue, paused: false })),
    );
    this.logger.log('Task queues seeded from the configuration; the database holds them now');
  }

  private async reloadQuietly(): Promise<void> {
    await this.reload().catch((error: unknown) =>
      this.logger.warn({ err: error }, 'could not re-read the task queues; keeping the last copy'),
    );
  }
}
