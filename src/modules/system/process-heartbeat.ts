// This process's heartbeat: a row written at start and every few seconds with whether
// it leads, removed at a clean shutdown. A process that stops beating drops out of the
// system view after a few missed beats, and its row is pruned later.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { KilnConfig } from '../../config/kiln.config';
import { LEADER_LOCK, LeaderLock } from '../../infra/lock/leader-lock.port';
import { KilnProcessRow } from './kiln-process.entity';
import { ProcessRegistryRepository } from './process-registry.repository';
import { KILN_VERSION } from './kiln-version';

export const HEARTBEAT_MS = 5000;
/** Missed beats after which a process counts as gone. */
export const MISSED_BEATS = 3;
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class ProcessHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProcessHeartbeat.name);
  readonly id = randomUUID();
  private readonly startedAt = new Date();
  private timer?: NodeJS.Timeout;
  private stopWatchingLeadership?: () => void;

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
    private readonly registry: ProcessRegistryRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beatQuietly();
    await this.registry.prune(new Date(Date.now() - PRUNE_AFTER_MS)).catch(() => undefined);
    this.timer = setInterval(() => void this.beatQuietly(), HEARTBEAT_MS);
    this.timer.unref();
    // a change of leader shows at once, not at the next beat
    this.stopWatchingLeadership = this.lock.onChange(() => void this.beatQuietly());
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopWatchingLeadership?.();
    await this.registry.remove(this.id).catch(() => undefined);
  }

  private async beatQuietly(): Promise<void> {
    const row = Object.assign(new KilnProcessRow(), {
      id: this.id,
      role: this.config.process.role,
      host: hostname().slice(0, 255),
      pid: process.pid,
      version: KILN_VERSION,
      leader: this.lock.isLeader,
      startedAt: this.startedAt,
      heartbeatAt: new Date(),
    });
    await this.registry
      .beat(row)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not write the heartbeat'));
  }
}
