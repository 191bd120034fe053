// Commands on tasks from the REST API: submit, change, cancel, retry, clone, delete.
// Reads of single tasks live here too because each one checks ownership first.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
} from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';
import { isUniqueViolation } from '../../../infra/database/sql-helpers';
import { OwnershipPolicy, Principal } from '../../auth';
import { RuntimeRegistry } from '../../runtimes';
import { CapacityService } from '../orchestration/capacity.service';
import { QueueAccessPolicy } from '../orchestration/queue-access.policy';
import { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { CreateTaskDto } from './dto/create-task.dto';
import { UpdateTaskDto } from './dto/update-task.dto';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { TaskDependency } from '../persistence/entities/task-dependency.entity';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { TaskLabel } from '../persistence/entities/task-label.entity';
import { Task } from '../persistence/entities/task.entity';
import { TaskMetricsService } from '../training-metrics/task-metrics.service';
import { TaskDependencies } from '../orchestration/task-dependencies.service';
import { TaskSpec } from '../task-spec';
import { TaskPatch, TaskTransitions } from '../lifecycle/task-transitions.service';
import { TaskStatus, assertTransition, isFinal } from '../lifecycle/task-status';
import { IdempotencyKeyReusedError, StaleVersionError } from '../tasks.errors';
import { TaskWakeups } from '../orchestration/task-wakeups';
import { inTransaction } from '../../../infra/database/transaction';

export interface SubmitResult {
  task: Task;
  /** True when an Idempotency-Key matched an earlier submit and nothing new was made. */
  replayed: boolean;
}

@Injectable()
export class TasksService {
  private readonly logger = new Logger(TasksService.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: OwnershipPolicy,
    private readonly capacity: CapacityService,
    private readonly transitions: TaskTransitions,
    private readonly wakeups: TaskWakeups,
    private readonly executors: RuntimeRegistry,
    private readonly metrics: TaskMetricsService,
    private readonly dependencies: TaskDependencies,
    private readonly queueAccess: QueueAccessPolicy,
  ) {}

  async submit(
    principal: Principal,
    dto: CreateTaskDto,
    idempotencyKey?: string,
  ): Promise<SubmitResult> {
    this.policy.assertCanCreate(principal);
    const fingerprint = idempotencyKey ? fingerprintOf(dto) : null;
    if (idempotencyKey) {
      const earlier = await this.replay(principal.userId, idempotencyKey, fingerprint!);
      if (earlier) return { task: earlier, replayed: true };
    }
    const queue = this.submittableQueue(principal, dto.queue ?? this.config.tasks.defaultQueue);
    const task = this.newTask(principal, TaskSpec.fromRequest(dto, queue), queue);
    task.idempotencyKey = idempotencyKey ?? null;
    task.idempotencyFingerprint = fingerprint;
    await this.dependencies.check(principal, task.dependsOn);
    await this.capacity.assertBacklogRoom(principal.userId);
    try {
      await this.insert(task, principal.userId, 'submitted');
    } catch (error) {
      // two retries of one submit raced: the unique key let exactly one in
      const earlier =
        idempotencyKey && isUniqueViolation(error)
          ? await this.replay(principal.userId, idempotencyKey, fingerprint!)
          : null;
      if (earlier) return { task: earlier, replayed: true };
      throw error;
    }
    return { task, replayed: false };
  }

  async get(principal: Principal, id: string): Promise<Task> {
    const task = await this.dataSource.getRepository(Task).findOneBy({ id });
    if (!task) throw new NotFoundError('Task not found.');
    this.policy.assertCanRead(principal, task.ownerId, 'Task');
    return task;
  }

  async update(principal: Principal, id: string, dto: UpdateTaskDto, ifMatch?: number) {
    const task = await this.get(principal, id);
    this.policy.assertCanChange(principal, task.ownerId, 'Task');
    if (ifMatch !== undefined && ifMatch !== task.version)
      throw new StaleVersionError(task.version);
    if (
      dto.priority !== undefined &&
      dto.priority !== task.priority &&
      task.status !== TaskStatus.Pending
    ) {
      throw new InvalidInputError(
        `The priority can change only while the task is pending; it is ${task.status}.`,
        [{ field: 'priority', message: 'can change only while the task is pending' }],
      );
    }
    const patch: TaskPatch = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.priority !== undefined) patch.priority = dto.priority;
    if (dto.labels !== undefined) patch.labels = dto.labels;
    const updated = await inTransaction(this.dataSource, async (manager) => {
      const where = {
        id,
        version: task.version,
        ...(dto.priority !== undefined ? { status: task.status } : {}),
      };
      const result = await manager.update(Task, where, {
        ...patch,
        version: () => 'version + 1',
        updatedAt: new Date(),
      });
      if (!result.affected) return null;
      if (dto.labels !== undefined) await this.replaceLabels(manager, id, dto.labels);
      return manager.findOneByOrFail(Task, { id });
    });
    if (!updated) {
      const current = await this.get(principal, id);
      throw new StaleVersionError(current.version);
    }
    if (dto.priority !== undefined) this.wakeups.dispatch();
    return updated;
  }

  async cancel(principal: Principal, id: string): Promise<Task> {
    const task = await this.get(principal, id);
    this.policy.assertCanChange(principal, task.ownerId, 'Task');
    if (task.status === TaskStatus.Cancelling || task.status === TaskStatus.Cancelled) return task;
    const running = task.status === TaskStatus.Running;
    const to = running ? TaskStatus.Cancelling : TaskStatus.Cancelled;
    assertTransition(task.status, to);
    const moved = await this.transitions.move(id, {
      to,
      from: [task.status],
      actor: principal.userId,
      reason: `cancelled by ${principal.username}`,
      patch: running ? {} : { finishedAt: new Date() },
    });
    if (!moved) return this.cancel(principal, id); // it moved meanwhile: decide again
    if (running) this.wakeups.reconcile();
    else this.wakeups.dispatch();
    return moved;
  }

  /** A new attempt for a failed, timed-out or cancelled task, with its retries restored. */
  async retry(principal: Principal, id: string): Promise<Task> {
    const task = await this.get(principal, id);
    this.policy.assertCanChange(principal, task.ownerId, 'Task');
    this.queueAccess.assertCanSubmit(principal, this.capacity.queue(task.queue));
    assertTransition(task.status, TaskStatus.Pending);
    // A retried task is pending again, so it counts against the owner's backlog like a submit.
    await this.capacity.assertBacklogRoom(task.ownerId);
    const moved = await this.transitions.move(id, {
      to: TaskStatus.Pending,
      from: [TaskStatus.Failed, TaskStatus.TimedOut, TaskStatus.Cancelled],
      actor: principal.userId,
      reason: `retried by ${principal.username}`,
      patch: {
        retriesUsed: 0,
        lostCount: 0,
        notBefore: null,
        exitCode: null,
        failureReason: null,
        finishedAt: null,
        progressPermille: 0,
      },
    });
    if (!moved) throw new StaleVersionError((await this.get(principal, id)).version);
    this.wakeups.dispatch();
    return moved;
  }

  async clone(principal: Principal, id: string): Promise<Task> {
    const source = await this.get(principal, id);
    this.policy.assertCanCreate(principal);
    await this.capacity.assertBacklogRoom(principal.userId);
    const spec = TaskSpec.clone(TaskSpec.ofTask(source));
    // the queue is looked up again: the config may have dropped it or changed who may use it
    const task = this.newTask(principal, spec, this.submittableQueue(principal, spec.queue));
    await this.insert(task, principal.userId, `cloned from ${source.id}`);
    return task;
  }

  /** Only final tasks; removes their rows, logs, metrics and artifacts. */
  async delete(principal: Principal, id: string): Promise<void> {
    const task = await this.get(principal, id);
    this.policy.assertCanChange(principal, task.ownerId, 'Task');
    if (!isFinal(task.status)) {
      throw new InvalidInputError(
        `Only a finished task can be deleted; this one is ${task.status}. Cancel it first.`,
      );
    }
    if (await this.dependencies.hasWaitingDependents(id)) {
      throw new ConflictError('Pending tasks depend on this task; cancel or delete them first.');
    }
    const attempts = await this.dataSource.getRepository(TaskAttempt).findBy({ taskId: id });
    const deleted = await inTransaction(this.dataSource, async (manager) => {
      const result = await manager.delete(Task, { id, status: task.status });
      if (!result.affected) return false;
      await manager.delete(TaskLabel, { taskId: id });
      await manager.delete(TaskAttempt, { taskId: id });
      await manager.delete(TaskEvent, { taskId: id });
      await manager.delete(TaskDependency, { taskId: id });
      return true;
    });
    if (!deleted) throw new StaleVersionError((await this.get(principal, id)).version);
    await this.metrics.deleteForTask(id);
    for (const attempt of attempts) {
      if (!attempt.handle) continue;
      const executor = this.executors.get(attempt.executor);
      await executor
        .discard?.(attempt.handle)
        .catch((error: unknown) =>
          this.logger.warn(
            { err: error, taskId: id },
            'could not remove the files of a deleted task',
          ),
        );
    }
  }

  async attempts(principal: Principal, id: string): Promise<TaskAttempt[]> {
    await this.get(principal, id);
    return this.dataSource
      .getRepository(TaskAttempt)
      .find({ where: { taskId: id }, order: { number: 'ASC' } });
  }

  async attempt(principal: Principal, id: string, number?: number): Promise<TaskAttempt | null> {
    return this.attemptOf(await this.get(principal, id), number);
  }

  /** Attempt `number` of a task the caller has already read, by default its latest. */
  async attemptOf(task: Task, number?: number): Promise<TaskAttempt | null> {
    const wanted = number ?? task.attempt;
    if (wanted < 1) return null;
    return this.dataSource
      .getRepository(TaskAttempt)
      .findOneBy({ taskId: task.id, number: wanted });
  }

  async events(principal: Principal, id: string): Promise<TaskEvent[]> {
    await this.get(principal, id);
    return this.dataSource
      .getRepository(TaskEvent)
      .find({ where: { taskId: id }, order: { id: 'ASC' } });
  }

  /** The named queue, if it exists and the caller may submit to it. */
  private submittableQueue(principal: Principal, name: string): TaskQueueConfig {
    const queue = this.capacity.queue(name);
    this.queueAccess.assertCanSubmit(principal, queue);
    return queue;
  }

  private newTask(principal: Principal, spec: TaskSpec, queue: TaskQueueConfig): Task {
    this.checkSpec(spec, queue.maxGpus);
    this.executors.assertRunnable(queue.runtime, {
      ...spec,
      image: spec.image ?? undefined,
      workingDir: spec.workingDir ?? undefined,
    });
    const now = new Date();
    return this.dataSource.getRepository(Task).create({
      id: randomUUID(),
      ownerId: principal.userId,
      ...TaskSpec.toColumns(spec),
      status: TaskStatus.Pending,
      progressPermille: 0,
      attempt: 0,
      retriesUsed: 0,
      lostCount: 0,
      exitCode: null,
      failureReason: null,
      notBefore: null,
      version: 1,
      // set here, not by the database, so keyset cursors (millisecond ISO) match exactly
      createdAt: now,
      updatedAt: now,
      queuedAt: null,
      startedAt: null,
      finishedAt: null,
    });
  }

  /** Rules that depend on config or on several fields at once. */
  private checkSpec(spec: TaskSpec, queueGpus: number): void {
    const problems: Array<{ field: string; message: string }> = [];
    const tasks = this.config.tasks;
    if (spec.shell && spec.command.length !== 1) {
      problems.push({ field: 'command', message: 'must be exactly one string when shell is true' });
    }
    const reserved = Object.keys(spec.env).filter((name) => name.toUpperCase().startsWith('KILN_'));
    if (reserved.length) {
      problems.push({
        field: 'env',
        message: `names starting with KILN_ are reserved (${reserved.join(', ')})`,
      });
    }
    if (jsonBytes(spec.env) > tasks.maxEnvBytes) {
      problems.push({
        field: 'env',
        message: `must be at most ${tasks.maxEnvBytes} bytes as JSON`,
      });
    }
    if (jsonBytes(spec.hyperparameters) > tasks.maxHyperparametersBytes) {
      problems.push({
        field: 'hyperparameters',
        message: `must be at most ${tasks.maxHyperparametersBytes} bytes as JSON`,
      });
    }
    if (spec.resources.gpu > queueGpus) {
      problems.push({
        field: 'resources.gpu',
        message: `must be at most ${queueGpus}, the GPUs of the queue`,
      });
    }
    if (problems.length) throw new InvalidInputError('The task is not valid.', problems);
  }

  private async insert(task: Task, actor: string, reason: string): Promise<void> {
    const event = await inTransaction(this.dataSource, async (manager) => {
      await manager.insert(Task, task as QueryDeepPartialEntity<Task>);
      await this.insertLabels(manager, task.id, task.labels);
      await this.dependencies.record(manager, task.id, task.dependsOn);
      return this.transitions.recordCreated(manager, task, actor, reason);
    });
    this.transitions.announce({ task, event });
    this.wakeups.dispatch();
  }

  private async replaceLabels(
    manager: EntityManager,
    taskId: string,
    labels: Record<string, string>,
  ) {
    await manager.delete(TaskLabel, { taskId });
    await this.insertLabels(manager, taskId, labels);
  }

  private async insertLabels(
    manager: EntityManager,
    taskId: string,
    labels: Record<string, string>,
  ) {
    const rows = Object.entries(labels).map(([key, value]) => ({ taskId, key, value }));
    if (rows.length) await manager.insert(TaskLabel, rows);
  }

  private async replay(ownerId: string, key: string, fingerprint: string): Promise<Task | null> {
    const earlier = await this.dataSource
      .getRepository(Task)
      .findOneBy({ ownerId, idempotencyKey: key });
    if (earlier && earlier.idempotencyFingerprint !== fingerprint)
      throw new IdempotencyKeyReusedError();
    return earlier;
  }
}

function jsonBytes(value: object): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function fingerprintOf(dto: CreateTaskDto): string {
  return createHash('sha256').update(canonicalJson(dto)).digest('hex');
}

/** JSON with sorted keys, so the same request hashes the same whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
