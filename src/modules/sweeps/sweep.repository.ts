// All SQL of sweeps and their trials.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, MoreThan, Repository } from 'typeorm';
import type { TimeIdKey } from '../../common/pagination/time-id-cursor';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { SweepStatus } from './sweep-status';
import { SweepTrial } from './sweep-trial.entity';
import { Sweep } from './sweep.entity';

@Injectable()
export class SweepRepository {
  constructor(
    @InjectRepository(Sweep) private readonly sweeps: Repository<Sweep>,
    @InjectRepository(SweepTrial) private readonly trials: Repository<SweepTrial>,
  ) {}

  async insert(sweep: Sweep): Promise<void> {
    await this.sweeps.insert(sweep as QueryDeepPartialEntity<Sweep>);
  }

  findById(id: string): Promise<Sweep | null> {
    return this.sweeps.findOneBy({ id });
  }

  /** Oldest first, after the sweep `after` names when given. */
  page(query: { ownerId?: string; limit: number; after?: TimeIdKey }): Promise<Sweep[]> {
    const select = this.sweeps
      .createQueryBuilder('s')
      .orderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(query.limit);
    if (query.ownerId) select.andWhere('s.owner_id = :owner', { owner: query.ownerId });
    if (query.after) {
      select.andWhere('(s.created_at > :at OR (s.created_at = :at AND s.id > :id))', query.after);
    }
    return select.getMany();
  }

  running(limit: number): Promise<Sweep[]> {
    return this.sweeps.find({
      where: { status: SweepStatus.Running },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  trialsOf(sweepId: string): Promise<SweepTrial[]> {
    return this.trials.find({ where: { sweepId }, order: { index: 'ASC' } });
  }

  /** Up to `limit` trials of a sweep by index, those after `afterIndex` when given. */
  trialsPage(sweepId: string, limit: number, afterIndex?: number): Promise<SweepTrial[]> {
    return this.trials.find({
      where: { sweepId, ...(afterIndex !== undefined ? { index: MoreThan(afterIndex) } : {}) },
      order: { index: 'ASC' },
      take: limit,
    });
  }

  /** The tasks of the trials of running sweeps, which retention must keep. */
  async runningTrialTaskIds(): Promise<string[]> {
    const running = await this.sweeps.find({
      where: { status: SweepStatus.Running },
      select: { id: true },
    });
    if (running.length === 0) return [];
    const trials = await this.trials.find({
      where: { sweepId: In(running.map((sweep) => sweep.id)) },
      select: { taskId: true },
    });
    return trials.map((trial) => trial.taskId);
  }

  /**
   * Inside the task's transaction: the trial's row (its key fails a second writer) and
   * the sweep's count moved on from exactly `index`, else throws; either way the
   * transaction rolls back whole.
   */
  async recordTrial(manager: EntityManager, trial: SweepTrial): Promise<void> {
    await manager.insert(SweepTrial, trial as QueryDeepPartialEntity<SweepTrial>);
    const result = await manager
      .createQueryBuilder()
      .update(Sweep)
      .set({ trialsSubmitted: trial.index + 1 })
      .where('id = :id AND trials_submitted = :index AND status = :running', {
        id: trial.sweepId,
        index: trial.index,
        running: SweepStatus.Running,
      })
      .execute();
    if (!result.affected) throw new SweepMovedError();
  }

  /** Moves a sweep out of `running`; false when it had already left it. */
  async finish(id: string, status: SweepStatus): Promise<boolean> {
    const result = await this.sweeps.update(
      { id, status: SweepStatus.Running },
      { status, updatedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }
}

/** Another writer submitted this trial, or the sweep ended, meanwhile. */
export class SweepMovedError extends Error {
  constructor() {
    super('the sweep moved on meanwhile');
  }
}
