// The retention run, on the leader only, at the times KILN_RETENTION_CRON names: every
// registered rule, batch after batch until it has nothing left or leadership ends. Each
// batch is a few short statements, so no table is held for long, and other work
// interleaves between batches. Every statement is timed: a line per rule names each
// table with its rows and milliseconds, and one slower than a second is a warning.
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Cron } from 'croner';
import { cronModeOf } from '../../config/is-cron-expression';
import { KilnConfig } from '../../config/kiln.config';
import { LeaderOnly } from '../scheduling/leader-only.decorator';
import { RetentionRegistry, RetentionRule } from './retention-registry';
import { RetentionReport, RetentionSummary } from './retention-report';
import { RetentionStatement, RetentionStatements } from './retention-statements';
import { RetentionPrometheus } from './retention.prometheus';

export type { RetentionSummary } from './retention-report';

/** A statement this slow holds its table longer than retention means to. */
const SLOW_STATEMENT_MS = 1000;

@Injectable()
export class RetentionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionRunner.name);
  private schedule?: Cron;

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly registry: RetentionRegistry,
    private readonly prometheus: RetentionPrometheus,
  ) {}

  // croner rather than @Cron: a decorator's expression is fixed when the class loads,
  // before the config is read. The expression was checked by the same parser at boot.
  onApplicationBootstrap(): void {
    const expression = this.config.retention.cron;
    this.schedule = new Cron(
      expression,
      // unref: the schedule alone never keeps a process (or a test run) alive. No name:
      // croner keeps named jobs in a process-wide list, where two apps in one process clash.
      { timezone: 'UTC', mode: cronModeOf(expression), unref: true },
      () => this.scheduled(),
    );
  }

  onApplicationShutdown(): void {
    this.schedule?.stop();
  }

  /** When the next scheduled run starts (on whichever replica leads then). */
  nextRunAt(): Date | null {
    return this.schedule?.nextRun() ?? null;
  }

  @LeaderOnly('retention')
  async scheduled(signal?: AbortSignal): Promise<void> {
    await this.runNow(signal);
  }

  /** One run of every rule now; the schedule calls it, and so may a test or an admin tool. */
  async runNow(signal?: AbortSignal): Promise<RetentionSummary> {
    const report = new RetentionReport();
    for (const rule of this.registry.rules) {
      if (signal?.aborted) break;
      await this.runRule(rule, report, signal).catch((error: unknown) =>
        this.logger.error(
          { err: error, rule: rule.name },
          'a retention rule failed; the next run tries again',
        ),
      );
      this.logger.log(
        { rule: rule.name, tables: report.statementsOf(rule.name) },
        `retention rule ${rule.name} finished`,
      );
    }
    const summary = report.summary();
    this.logger.log(summary, 'retention run finished');
    return summary;
  }

  private async runRule(
    rule: RetentionRule,
    report: RetentionReport,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const limit = this.config.retention.batchSize;
    const statements = new RetentionStatements((statement) =>
      this.recordStatement(rule.name, statement, report),
    );
    report.ruleStarted(rule.name);
    for (;;) {
      const started = performance.now();
      const removed = await rule.purgeBatch(limit, statements);
      const elapsedMs = performance.now() - started;
      report.batch(rule.name, removed, elapsedMs);
      this.prometheus.batch(rule.name, removed, elapsedMs / 1000);
      if (removed < limit || signal?.aborted) return;
    }
  }

  private recordStatement(rule: string, statement: RetentionStatement, report: RetentionReport) {
    report.statement(rule, statement);
    this.prometheus.statement(rule, statement);
    if (statement.ms > SLOW_STATEMENT_MS) {
      this.logger.warn(
        { rule, ...statement },
        `a retention ${statement.kind} on ${statement.table} took ${Math.round(statement.ms)} ms`,
      );
    } else {
      this.logger.debug({ rule, ...statement }, 'retention statement');
    }
  }
}
