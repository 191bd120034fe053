// The admin system view: this build, how Kiln runs, its live processes and the state of
// what it depends on. Each dependency is probed with a time limit, so a dead Redis makes
// the view say so instead of hanging it.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { messageOf } from '../../common/errors/message-of';
import { withTimeout } from '../../common/with-timeout';
import { KilnConfig } from '../../config/kiln.config';
import { DatabaseDialect } from '../../infra/database/dialect';
import { JOB_QUEUES, JobQueues } from '../../infra/jobs/job-queue.port';
import { REDIS } from '../../infra/redis/redis.module';
import { WAKEUPS, Wakeups } from '../../infra/wakeups/wakeups.port';
import { LAUNCH_JOB_QUEUE } from '../tasks';
import { WEBHOOK_JOB_QUEUE } from '../webhooks';
import {
  DependencyStateResponse,
  JobQueueCountsResponse,
  KilnProcessResponse,
  SystemResponse,
} from './dto/system.response';
import { HEARTBEAT_MS, MISSED_BEATS, ProcessHeartbeat } from './process-heartbeat';
import { ProcessRegistryRepository } from './process-registry.repository';
import { KILN_VERSION, readBuildInfo } from './kiln-version';

const JOB_QUEUE_NAMES = [LAUNCH_JOB_QUEUE, WEBHOOK_JOB_QUEUE];
/** Read once: the files of a running build do not change under it. */
const BUILD = readBuildInfo();

@Injectable()
export class SystemService {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(JOB_QUEUES) private readonly jobQueues: JobQueues,
    @Inject(WAKEUPS) private readonly wakeups: Wakeups,
    private readonly dialect: DatabaseDialect,
    private readonly registry: ProcessRegistryRepository,
    private readonly heartbeat: ProcessHeartbeat,
  ) {}

  async view(): Promise<SystemResponse> {
    const [processes, database, redis, jobQueues] = await Promise.all([
      this.processes(),
      this.probe(() => this.dataSource.query('SELECT 1')),
      this.redis ? this.probe(() => this.redis!.ping()) : notConfigured(),
      this.jobQueueCounts(),
    ]);
    return {
      version: KILN_VERSION,
      build: BUILD,
      node: process.version,
      mode: {
        database: this.dialect.name,
        jobQueue: this.jobQueues.driver,
        wakeups: this.wakeups.driver,
      },
      processes,
      database,
      redis,
      jobQueues,
    };
  }

  private async processes(): Promise<KilnProcessResponse[]> {
    const since = new Date(Date.now() - HEARTBEAT_MS * MISSED_BEATS);
    const rows = await this.registry.alive(since);
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      host: row.host,
      pid: row.pid,
      version: row.version,
      leader: row.leader,
      self: row.id === this.heartbeat.id,
      startedAt: row.startedAt.toISOString(),
      lastHeartbeatAt: row.heartbeatAt.toISOString(),
    }));
  }

  private async probe(call: () => Promise<unknown>): Promise<DependencyStateResponse> {
    const started = Date.now();
    try {
      await withTimeout(call(), this.config.lifecycle.healthCheckTimeoutMs);
      return { state: 'up', latencyMs: Date.now() - started, error: null };
    } catch (error) {
      return { state: 'down', latencyMs: null, error: messageOf(error) };
    }
  }

  private async jobQueueCounts(): Promise<JobQueueCountsResponse[]> {
    try {
      return await Promise.all(
        JOB_QUEUE_NAMES.map(async (name) => {
          const counts = await withTimeout(
            this.jobQueues.get(name).counts(),
            this.config.lifecycle.healthCheckTimeoutMs,
          );
          const { waiting, delayed, active, completed, failed } = counts;
          return { name, waiting, delayed, active, completed, failed };
        }),
      );
    } catch {
      return [];
    }
  }
}

function notConfigured(): Promise<DependencyStateResponse> {
  return Promise.resolve({ state: 'not-configured', latencyMs: null, error: null });
}
