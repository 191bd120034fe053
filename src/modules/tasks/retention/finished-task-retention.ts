// The tasks module's retention rule: finished tasks older than KILN_RETENTION_TASK_DAYS
// go with their events, attempts, labels, metric points (the foreign keys cascade), and
// their run directories and artifacts (the runtime discards them). Tasks another module
// holds (a live schedule's latest task) and tasks an unfinished task depends on stay.
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../../../common/retention/retention-registry';
import type { RetentionStatements } from '../../../common/retention/retention-statements';
import { KilnConfig } from '../../../config/kiln.config';
import { RuntimeRegistry } from '../../runtimes';
import { LaunchedAttempt, TaskRetentionRepository } from '../persistence/task-retention.repository';

/** The subject other modules name when they hold tasks (RetentionRegistry.hold). */
export const TASKS_RETENTION_SUBJECT = 'tasks';
const DAY_MS = 86_400_000;

@Injectable()
export class FinishedTaskRetention implements OnModuleInit {
  private readonly logger = new Logger(FinishedTaskRetention.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly registry: RetentionRegistry,
    private readonly tasks: TaskRetentionRepository,
    private readonly runtimes: RuntimeRegistry,
  ) {}

  onModuleInit(): void {
    if (this.config.retention.taskDays === 0) return;
    this.registry.register({
      name: 'tasks',
      purgeBatch: (limit, statements) => this.purgeBatch(limit, statements),
    });
  }

  private async purgeBatch(limit: number, statements: RetentionStatements): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.retention.taskDays * DAY_MS);
    const held = await this.registry.held(TASKS_RETENTION_SUBJECT);
    const ids = await statements.select('tasks', () => this.tasks.expired(cutoff, held, limit));
    if (ids.length === 0) return 0;
    const attempts = await statements.select('task_attempts', () =>
      this.tasks.launchedAttempts(ids),
    );
    // the foreign keys cascade to events, attempts, labels, logs and metric points
    const removed = await statements.delete('tasks', () => this.tasks.delete(ids));
    // rows first: a crash here leaves files without a task, never a task without files
    await Promise.all(attempts.map((attempt) => this.discardFiles(attempt)));
    return removed;
  }

  private async discardFiles(attempt: LaunchedAttempt): Promise<void> {
    if (!attempt.handle) return;
    await this.runtimes
      .get(attempt.executor)
      .discard?.(attempt.handle)
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, taskId: attempt.taskId },
          'could not remove the files of an expired task',
        ),
      );
  }
}
