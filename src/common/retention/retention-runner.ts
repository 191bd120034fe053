// The hourly retention run, on the leader only: every registered rule, batch after batch
// until it has nothing left or leadership ends. Each batch is a few short statements,
// so no table is held for long, and other work interleaves between batches.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { KilnConfig } from '../../config/kiln.config';
import { LeaderOnly } from '../scheduling/leader-only.decorator';
import { RetentionRegistry, RetentionRule } from './retention-registry';
import { RetentionPrometheus } from './retention.prometheus';

/** What one run removed per rule, and its longest batch, which the logs report. */
export interface RetentionSummary {
  removed: Record<string, number>;
  longestBatchMs: number;
}

@Injectable()
export class RetentionRunner {
  private readonly logger = new Logger(RetentionRunner.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly registry: RetentionRegistry,
    private readonly prometheus: RetentionPrometheus,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'retention' })
  @LeaderOnly('retention')
  async hourly(signal?: AbortSignal): Promise<void> {
    await this.runNow(signal);
  }

  /** One run of every rule now; the hourly job calls it, and so may a test or an admin tool. */
  async runNow(signal?: AbortSignal): Promise<RetentionSummary> {
    const summary: RetentionSummary = { removed: {}, longestBatchMs: 0 };
    for (const rule of this.registry.rules) {
      if (signal?.aborted) break;
      await this.runRule(rule, summary, signal).catch((error: unknown) =>
        this.logger.error(
          { err: error, rule: rule.name },
          'a retention rule failed; the next run tries again',
        ),
      );
    }
    this.logger.log(summary, 'retention run finished');
    return summary;
  }

  private async runRule(
    rule: RetentionRule,
    summary: RetentionSummary,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const limit = this.config.retention.batchSize;
    summary.removed[rule.name] = 0;
    for (;;) {
      const started = performance.now();
      const removed = await rule.purgeBatch(limit);
      const elapsedMs = performance.now() - started;
      summary.removed[rule.name] += removed;
      summary.longestBatchMs = Math.max(summary.longestBatchMs, Math.round(elapsedMs));
      this.prometheus.batch(rule.name, removed, elapsedMs / 1000);
      if (removed < limit || signal?.aborted) return;
    }
  }
}
