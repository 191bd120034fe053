// Commands on tasks from the REST API: submit, change, cancel, retry, clone, delete.
// Reads of single tasks live here too because each one checks ownership first.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
} from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';
import { isForeignKeyViolation, isUniqueViolation } from '../../../infra/database/sql-helpers';
import { OwnershipPolicy, Principal } from '../../auth';
import { RuntimeRegistry } from '../../runtimes';
import { CapacityService } from '../orchestration/capacity.service';
import { assertPriorityWithin, TaskQueue } from '../queues/task-queue';
import { QueueAccessPolicy } from '../orchestration/queue-access.policy';
import { CreateTaskDto } from './dto/create-task.dto';
import { UpdateTaskDto } from './dto/update-task.dto';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import { TaskAttemptRepository } from '../persistence/task-attempt.repository';
import { TaskDependencyRepository } from '../persistence/task-dependency.repository';
import { TaskEventRepository } from '../persistence/task-event.repository';
import { TaskDetails, TaskRepository } from '../persistence/task.repository';
import { TaskMetricsService } from '../training-metrics/task-metrics.service';
import { TaskDependencies } from '../orchestration/task-dependencies.service';
import { TaskSpec } from '../task-spec';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { TaskStatus, assertTransition, isFinal } from '../lifecycle/task-status';
import { IdempotencyKeyReusedError, StaleVersionError } from '../tasks.errors';
import { TaskWakeups } from '../orchestration/task-wakeups';

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
    private readonly tasks: TaskRepository,
    private readonly taskAttempts: TaskAttemptRepository,
    private readonly taskEvents: TaskEventRepository,
    private readonly taskDependencies: TaskDependencyRepository,
    private readonly policy: OwnershipPolicy,
    private readonly capacity: CapacityService,
    private readonly lifecycle: TaskLifecycle,
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

  /**
   * A submit checked in full (who may create, the queue, the spec, the runtime) without
   * storing anything: the spec a later `submitSpec` will run, e.g. a schedule's template.
   */
  specOf(principal: Principal, dto: CreateTaskDto): TaskSpec {
    this.policy.assertCanCreate(principal);
    const queue = this.submittableQueue(principal, dto.queue ?? this.config.tasks.defaultQueue);
    const spec = TaskSpec.fromRequest(dto, queue);
    this.newTask(principal, spec, queue);
    return spec;
  }

  /**
   * Submits a spec made earlier, checked again as a submit is. `writeFirst` writes the
   * caller's rows in the task's transaction, before it; when it throws, no task is made.
   */
  async submitSpec(
    principal: Principal,
    spec: TaskSpec,
    options: {
      reason: string;
      writeFirst?: (manager: EntityManager, taskId: string) => Promise<void>;
    },
  ): Promise<Task> {
    this.policy.assertCanCreate(principal);
    const task = this.newTask(principal, spec, this.submittableQueue(principal, spec.queue));
    await this.dependencies.check(principal, task.dependsOn);
    await this.capacity.assertBacklogRoom(principal.userId);
    const writeFirst = options.writeFirst;
    await this.insert(
      task,
      principal.userId,
      options.reason,
      writeFirst && ((manager) => writeFirst(manager, task.id)),
    );
    return task;
  }

  /** Where a task stands, or null when it no longer exists; no ownership check. */
  async stateOf(id: string): Promise<{ status: TaskStatus; final: boolean } | null> {
    const task = await this.tasks.stateOf(id);
    return task && { status: task.status, final: isFinal(task.status) };
  }

  /** Where each of `ids` stands; ids of tasks that no longer exist are left out. */
  async statesOf(ids: readonly string[]): Promise<Map<string, TaskStatus>> {
    const rows = await this.tasks.statesOf(ids);
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  /**
   * One value of training metric `name` per task of `taskIds` that reported it, among
   * its points up to `maxStep` when given.
   */
  metricValues(
    taskIds: readonly string[],
    name: string,
    pick: 'last' | 'min' | 'max',
    maxStep?: number,
  ) {
    return this.metrics.valuePerTask(taskIds, name, pick, maxStep);
  }

  async get(principal: Principal, id: string): Promise<Task> {
    const task = await this.tasks.findById(id);
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
    if (dto.priority !== undefined)
      assertPriorityWithin(this.capacity.queue(task.queue), dto.priority);
    const patch: TaskDetails = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.priority !== undefined) patch.priority = dto.priority;
    if (dto.labels !== undefined) patch.labels = dto.labels;
    // a priority change also needs the task still pending
    const expected = {
      version: task.version,
      ...(dto.priority !== undefined ? { status: task.status } : {}),
    };
    const updated = await this.tasks.updateDetails(id, expected, patch);
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
    assertTransition(task.status, running ? TaskStatus.Cancelling : TaskStatus.Cancelled);
    const moved = await this.lifecycle.requestCancel(task, principal);
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
    const moved = await this.lifecycle.restart(id, principal);
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
    if (await this.taskDependencies.hasPendingDependents(id)) {
      throw new ConflictError('Pending tasks depend on this task; cancel or delete them first.');
    }
    const attempts = await this.taskAttempts.forTask(id);
    if (!(await this.tasks.delete(id, task.status)))
      throw new StaleVersionError((await this.get(principal, id)).version);
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
    return this.taskAttempts.forTask(id);
  }

  async attempt(principal: Principal, id: string, number?: number): Promise<TaskAttempt | null> {
    return this.attemptOf(await this.get(principal, id), number);
  }

  /** Attempt `number` of a task the caller has already read, by default its latest. */
  async attemptOf(task: Task, number?: number): Promise<TaskAttempt | null> {
    const wanted = number ?? task.attempt;
    if (wanted < 1) return null;
    return this.taskAttempts.one(task.id, wanted);
  }

  async events(principal: Principal, id: string): Promise<TaskEvent[]> {
    await this.get(principal, id);
    return this.taskEvents.forTask(id);
  }

  /** The named queue, if it exists and the caller may submit to it. */
  private submittableQueue(principal: Principal, name: string): TaskQueue {
    const queue = this.capacity.queue(name);
    this.queueAccess.assertCanSubmit(principal, queue);
    return queue;
  }

  private newTask(principal: Principal, spec: TaskSpec, queue: TaskQueue): Task {
    this.checkSpec(spec, queue.maxGpus);
    assertPriorityWithin(queue, spec.priority);
    this.executors.assertRunnable(queue.runtime, {
      ...spec,
      image: spec.image ?? undefined,
      workingDir: spec.workingDir ?? undefined,
    });
    const now = new Date();
    return Object.assign(new Task(), {
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

  private async insert(
    task: Task,
    actor: string,
    reason: string,
    writeFirst?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    const event = await this.tasks
      .insert(task, { actor, reason }, writeFirst)
      .catch((error: unknown) => {
        // a task it depends on was deleted between the check and the insert
        if (isForeignKeyViolation(error)) throw unknownDependency(task.dependsOn);
        throw error;
      });
    this.lifecycle.created({ task, event });
    this.wakeups.dispatch();
  }

  private async replay(ownerId: string, key: string, fingerprint: string): Promise<Task | null> {
    const earlier = await this.tasks.findByIdempotencyKey(ownerId, key);
    if (earlier && earlier.idempotencyFingerprint !== fingerprint)
      throw new IdempotencyKeyReusedError();
    return earlier;
  }
}

function unknownDependency(ids: readonly string[]): InvalidInputError {
  return new InvalidInputError('A task this one depends on does not exist.', [
    { field: 'dependsOn', message: `unknown task among ${ids.join(', ')}` },
  ]);
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
