// The tasks table, with the labels and dependencies written together with a task.
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, LessThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConditionalTransition } from '../../../infra/database/conditional-transition';
import { DatabaseDialect } from '../../../infra/database/dialect';
import { inTransaction } from '../../../infra/database/transaction';
import { ACTIVE_STATUSES, TaskStatus } from '../lifecycle/task-status';
import { TaskEvent } from './entities/task-event.entity';
import { TaskLabel } from './entities/task-label.entity';
import { Task } from './entities/task.entity';
import { HAS_UNMET_DEPENDENCY, TaskDependencyRepository } from './task-dependency.repository';
import { TaskEventRepository, eventOf } from './task-event.repository';
import { TaskInsertStatement } from './task-insert-statement';

/** Columns a user may change on an existing task (the spec itself never changes). */
export type TaskDetails = Partial<Pick<Task, 'name' | 'description' | 'priority' | 'labels'>>;

/** Columns changed together with a status (the spec itself never changes). */
export type TaskPatch = Partial<Omit<Task, 'hyperparameters'>>;

export interface StatusMove {
  to: TaskStatus;
  /** The statuses the task may be in for the move to happen. */
  from: readonly TaskStatus[];
  /** Only when the task is still on this attempt: a late actor of an older attempt loses. */
  attempt?: number;
  actor: string;
  reason: string | null;
  patch: TaskPatch;
}

/** What the dispatcher needs of a pending task. */
export type DispatchCandidateRow = Pick<
  Task,
  'id' | 'ownerId' | 'queue' | 'priority' | 'gpu' | 'attempt'
>;

/** Active runs and their GPUs per queue and owner. */
export interface ActiveUsageRow {
  queue: string;
  ownerId: string;
  runs: number;
  gpus: number;
}

@Injectable()
export class TaskRepository {
  private readonly transition: ConditionalTransition<Task, TaskEvent>;
  /** On PostgreSQL: a new task in one statement (see its file). */
  private readonly oneStatementInsert?: TaskInsertStatement;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    dialect: DatabaseDialect,
    private readonly events: TaskEventRepository,
    private readonly dependencies: TaskDependencyRepository,
  ) {
    this.transition = new ConditionalTransition(dataSource, dialect, Task, TaskEvent);
    if (dialect.isPostgres) this.oneStatementInsert = new TaskInsertStatement(dataSource);
  }

  /**
   * Moves a task to `move.to` if it is in one of `move.from` (and on `move.attempt`),
   * with its status event; null when it was not.
   */
  async moveStatus(id: string, move: StatusMove): Promise<{ task: Task; event: TaskEvent } | null> {
    const moved = await this.transition.move({
      id,
      from: move.from,
      where: move.attempt === undefined ? {} : { attempt: move.attempt },
      set: { ...move.patch, status: move.to, updatedAt: new Date() },
      increment: ['version'],
      event: {
        taskId: { column: 'id' },
        ownerId: { column: 'ownerId' },
        kind: { value: 'status' },
        fromStatus: { previousStatus: true },
        toStatus: { column: 'status' },
        // attempt 0: the task never ran, so the event belongs to no attempt
        attempt: { column: 'attempt', nullIf: 0 },
        progressPermille: { value: null },
        actor: { value: move.actor },
        reason: { value: move.reason },
      },
    });
    return moved && { task: moved.row, event: moved.event };
  }

  findById(id: string): Promise<Task | null> {
    return this.tasks.findOneBy({ id });
  }

  findByIdempotencyKey(ownerId: string, idempotencyKey: string): Promise<Task | null> {
    return this.tasks.findOneBy({ ownerId, idempotencyKey });
  }

  /** Id and owner of each of `ids` that exists. */
  ownersOf(ids: readonly string[]): Promise<Array<Pick<Task, 'id' | 'ownerId'>>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.tasks.find({ where: { id: In([...ids]) }, select: { id: true, ownerId: true } });
  }

  /** Status and attempt only, for a quick check of where a task stands. */
  stateOf(id: string): Promise<Pick<Task, 'id' | 'status' | 'attempt'> | null> {
    return this.tasks.findOne({
      where: { id },
      select: { id: true, status: true, attempt: true },
    });
  }

  /** Status of each of `ids` that exists, in one query. */
  statesOf(ids: readonly string[]): Promise<Array<Pick<Task, 'id' | 'status'>>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.tasks.find({ where: { id: In([...ids]) }, select: { id: true, status: true } });
  }

  /** True while attempt `attempt` is the task's current one and is running. */
  isRunning(id: string, attempt: number): Promise<boolean> {
    return this.tasks.existsBy({ id, attempt, status: TaskStatus.Running });
  }

  /**
   * A new task with its labels, dependencies and first event, in one transaction.
   * `writeFirst` adds the caller's own rows to that transaction (a schedule's fire
   * record), before the task, so a row that must be unique decides whether the task
   * is made at all.
   */
  insert(
    task: Task,
    created: { actor: string; reason: string },
    writeFirst?: (manager: EntityManager) => Promise<void>,
  ): Promise<TaskEvent> {
    if (this.oneStatementInsert && !writeFirst)
      return this.oneStatementInsert.insert(task, eventOf(task, created));
    return inTransaction(this.dataSource, async (manager) => {
      if (writeFirst) await writeFirst(manager);
      await manager.insert(Task, task as QueryDeepPartialEntity<Task>);
      await this.insertLabels(manager, task.id, task.labels);
      await this.dependencies.insert(manager, task.id, task.dependsOn);
      return this.events.insert(task, created, manager);
    });
  }

  /**
   * Changes the details of a task still at `version` (and, when given, `status`);
   * null when it changed meanwhile.
   */
  updateDetails(
    id: string,
    expected: { version: number; status?: TaskStatus },
    details: TaskDetails,
  ): Promise<Task | null> {
    return inTransaction(this.dataSource, async (manager) => {
      const result = await manager.update(
        Task,
        { id, ...expected },
        { ...details, version: () => 'version + 1', updatedAt: new Date() },
      );
      if (!result.affected) return null;
      if (details.labels !== undefined) {
        await manager.delete(TaskLabel, { taskId: id });
        await this.insertLabels(manager, id, details.labels);
      }
      return manager.findOneByOrFail(Task, { id });
    });
  }

  /**
   * Deletes a task still in `status`; false when it moved meanwhile. Its labels,
   * attempts, events, dependencies and metric points go with it (ON DELETE CASCADE).
   */
  async delete(id: string, status: TaskStatus): Promise<boolean> {
    const result = await this.tasks.delete({ id, status });
    return Boolean(result.affected);
  }

  /**
   * Pending tasks of `queues` ready to dispatch (backoff over, dependencies met), best
   * first.
   */
  dispatchCandidates(limit: number, queues: readonly string[]): Promise<DispatchCandidateRow[]> {
    if (queues.length === 0) return Promise.resolve([]);
    return this.tasks
      .createQueryBuilder('t')
      .select(['t.id', 't.ownerId', 't.queue', 't.priority', 't.gpu', 't.attempt'])
      .where('t.status = :pending', { pending: TaskStatus.Pending })
      .andWhere('t.queue IN (:...queues)', { queues })
      .andWhere('(t.not_before IS NULL OR t.not_before <= :now)', { now: new Date() })
      .andWhere(`NOT ${HAS_UNMET_DEPENDENCY}`)
      .orderBy('t.priority', 'DESC')
      .addOrderBy('t.created_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  inStatuses(statuses: readonly TaskStatus[]): Promise<Task[]> {
    return this.tasks.findBy({ status: In([...statuses]) });
  }

  /** Tasks queued since before `before`, whose launch job may be gone. */
  queuedSince(before: Date, limit: number): Promise<Array<Pick<Task, 'id' | 'attempt'>>> {
    return this.tasks.find({
      where: { status: TaskStatus.Queued, queuedAt: LessThan(before) },
      select: { id: true, attempt: true },
      take: limit,
    });
  }

  /** Tasks in each queue ahead of a pending `task` (higher priority, or older). */
  countAhead(task: Pick<Task, 'queue' | 'priority' | 'createdAt'>): Promise<number> {
    return this.tasks
      .createQueryBuilder('t')
      .where('t.status = :pending AND t.queue = :queue', {
        pending: TaskStatus.Pending,
        queue: task.queue,
      })
      .andWhere(
        new Brackets((or) =>
          or
            .where('t.priority > :priority', { priority: task.priority })
            .orWhere('(t.priority = :priority AND t.created_at < :created)', {
              created: task.createdAt,
            }),
        ),
      )
      .getCount();
  }

  /** Saves a running attempt's progress; false when it no longer runs. */
  async saveProgress(id: string, attempt: number, permille: number): Promise<boolean> {
    const result = await this.tasks.update(
      { id, attempt, status: TaskStatus.Running },
      { progressPermille: permille },
    );
    return Boolean(result.affected);
  }

  async countByStatusAndQueue(): Promise<Array<{ status: string; queue: string; count: number }>> {
    const rows = await this.tasks
      .createQueryBuilder('t')
      .select('t.status', 'status')
      .addSelect('t.queue', 'queue')
      .addSelect('COUNT(*)', 'count')
      .groupBy('t.status')
      .addGroupBy('t.queue')
      .getRawMany<{ status: string; queue: string; count: string }>();
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }

  async activeUsage(): Promise<ActiveUsageRow[]> {
    const rows: Array<{ queue: string; ownerId: string; runs: string; gpus: string | null }> =
      await this.tasks
        .createQueryBuilder('t')
        .select('t.queue', 'queue')
        .addSelect('t.owner_id', 'ownerId')
        .addSelect('COUNT(*)', 'runs')
        .addSelect('SUM(t.gpu)', 'gpus')
        .where('t.status IN (:...active)', { active: ACTIVE_STATUSES })
        .groupBy('t.queue')
        .addGroupBy('t.owner_id')
        .getRawMany();
    return rows.map((row) => ({
      queue: row.queue,
      ownerId: row.ownerId,
      runs: Number(row.runs),
      gpus: Number(row.gpus ?? 0),
    }));
  }

  /** Pending tasks of `userId` and of everyone, in one query (one per submit). */
  async pendingCounts(userId: string): Promise<{ mine: number; total: number }> {
    const row = await this.tasks
      .createQueryBuilder('t')
      .select('COUNT(*)', 'total')
      .addSelect('COALESCE(SUM(CASE WHEN t.owner_id = :userId THEN 1 ELSE 0 END), 0)', 'mine')
      .where('t.status = :pending', { pending: TaskStatus.Pending, userId })
      .getRawOne<{ mine: number | string; total: number | string }>();
    return { mine: Number(row?.mine ?? 0), total: Number(row?.total ?? 0) };
  }

  private async insertLabels(
    manager: EntityManager,
    taskId: string,
    labels: Record<string, string>,
  ): Promise<void> {
    const rows = Object.entries(labels).map(([key, value]) => ({ taskId, key, value }));
    if (rows.length) await manager.insert(TaskLabel, rows);
  }
}
