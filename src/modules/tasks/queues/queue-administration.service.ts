// Run-time management of task queues: list with live figures, create, change, delete,
// pause, resume, drain. Every change re-reads the queues on every replica (QueueCatalog)
// so it counts at the next dispatch pass without a restart.
import { Inject, Injectable } from '@nestjs/common';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
} from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';
import { RuntimeRegistry } from '../../runtimes';
import { Requester, TaskLifecycle } from '../lifecycle/task-lifecycle';
import { TaskWakeups } from '../orchestration/task-wakeups';
import { QueueCatalog } from './queue-catalog';
import { noFigures, QueueFigures, QueueFiguresRepository } from './queue-figures.repository';
import { queueOfRow, rowOfQueue, TaskQueue } from './task-queue';
import { TaskQueueRepository } from './task-queue.repository';

export interface QueueView extends TaskQueue, QueueFigures {}

export type QueueDefinition = Omit<TaskQueue, 'paused'> & { paused?: boolean };

export type QueueChanges = Partial<Omit<TaskQueue, 'name'>>;

export interface Changed<T> {
  before: T;
  after: T;
}

/** Pending tasks cancelled per round of a drain. */
const DRAIN_BATCH = 200;

@Injectable()
export class QueueAdministration {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly rows: TaskQueueRepository,
    private readonly figures: QueueFiguresRepository,
    private readonly catalog: QueueCatalog,
    private readonly runtimes: RuntimeRegistry,
    private readonly lifecycle: TaskLifecycle,
    private readonly wakeups: TaskWakeups,
  ) {}

  async list(): Promise<QueueView[]> {
    const [rows, figures] = await Promise.all([this.rows.all(), this.figures.byQueue()]);
    return rows.map((row) => ({ ...queueOfRow(row), ...(figures.get(row.name) ?? noFigures()) }));
  }

  async get(name: string): Promise<QueueView> {
    const queue = await this.find(name);
    return { ...queue, ...(await this.figures.of(name)) };
  }

  async create(definition: QueueDefinition): Promise<QueueView> {
    this.assertRuntime(definition.runtime);
    assertBoundsInOrder(definition);
    const queue: TaskQueue = { ...definition, paused: definition.paused ?? false };
    if (!(await this.rows.insert(rowOfQueue(queue)))) {
      throw new ConflictError(`A queue named ${definition.name} exists already.`);
    }
    await this.catalog.changed();
    return this.get(definition.name);
  }

  async update(name: string, changes: QueueChanges): Promise<Changed<QueueView>> {
    const before = await this.get(name);
    if (changes.runtime !== undefined) this.assertRuntime(changes.runtime);
    assertBoundsInOrder({ ...before, ...changes });
    const merged = rowOfQueue({ ...before, ...changes, name });
    if (!(await this.rows.update(name, merged))) throw noSuchQueue(name);
    await this.catalog.changed();
    // more room or a resumed queue may let pending tasks start now
    this.wakeups.dispatch();
    return { before, after: await this.get(name) };
  }

  async delete(name: string): Promise<QueueView> {
    const queue = await this.get(name);
    if (name === this.config.tasks.defaultQueue) {
      throw new ConflictError(
        `Queue ${name} is the default queue (KILN_DEFAULT_QUEUE); it cannot be deleted.`,
      );
    }
    const live = queue.pending + queue.queued + queue.running;
    if (live > 0) {
      throw new ConflictError(
        `Queue ${name} has ${live} unfinished tasks; drain it and let its runs end first.`,
      );
    }
    if (!(await this.rows.delete(name))) throw noSuchQueue(name);
    await this.catalog.changed();
    return queue;
  }

  /** Cancels every pending task of the queue; returns how many it cancelled. */
  async drain(name: string, by: Requester): Promise<number> {
    await this.find(name);
    let cancelled = 0;
    for (;;) {
      const batch = await this.figures.pendingOf(name, DRAIN_BATCH);
      if (batch.length === 0) break;
      let movedThisRound = 0;
      for (const task of batch) {
        // a task dispatched meanwhile is no longer pending and stays as it is
        if (await this.lifecycle.requestCancel(task, by)) movedThisRound += 1;
      }
      cancelled += movedThisRound;
      if (movedThisRound === 0 && batch.length < DRAIN_BATCH) break;
    }
    this.wakeups.dispatch();
    return cancelled;
  }

  private async find(name: string): Promise<TaskQueue> {
    const row = await this.rows.one(name);
    if (!row) throw noSuchQueue(name);
    return queueOfRow(row);
  }

  private assertRuntime(runtime: string): void {
    if (this.runtimes.has(runtime)) return;
    throw new InvalidInputError(`This Kiln has no runtime named ${runtime}.`, [
      { field: 'runtime', message: `must be one of: ${this.runtimes.names().join(', ')}` },
    ]);
  }
}

function assertBoundsInOrder(queue: Pick<TaskQueue, 'minPriority' | 'maxPriority'>): void {
  const { minPriority, maxPriority } = queue;
  if (minPriority === undefined || maxPriority === undefined || minPriority <= maxPriority) return;
  throw new InvalidInputError('minPriority is above maxPriority.', [
    { field: 'minPriority', message: 'must not be above maxPriority' },
  ]);
}

function noSuchQueue(name: string): NotFoundError {
  return new NotFoundError(`There is no queue named ${name}.`);
}
