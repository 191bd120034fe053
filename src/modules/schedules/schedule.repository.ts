// All SQL of the schedules and their fire records.
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual, Not, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { TimeIdKey } from '../../common/pagination/time-id-cursor';
import { inTransaction } from '../../infra/database/transaction';
import { FireOutcome } from './fire-outcome';
import { ScheduleFire } from './schedule-fire.entity';
import { Schedule } from './schedule.entity';

/** What moves a schedule on once a fire is recorded. */
export interface Advance {
  /** The time the fire handled; the schedule moves only if it still waits for it. */
  from: Date | null;
  /** The next time to wait for; left as it is when undefined. */
  to?: Date | null;
  lastTaskId?: string;
}

export interface SchedulePageQuery {
  ownerId?: string;
  /** Rows to read: a page and one more, which says whether another page follows. */
  limit: number;
  /** The last schedule of the previous page. */
  after?: TimeIdKey;
}

@Injectable()
export class ScheduleRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    @InjectRepository(ScheduleFire) private readonly fires: Repository<ScheduleFire>,
  ) {}

  async insert(schedule: Schedule): Promise<void> {
    await this.schedules.insert(schedule as QueryDeepPartialEntity<Schedule>);
  }

  findById(id: string): Promise<Schedule | null> {
    return this.schedules.findOneBy({ id });
  }

  /** Oldest first. */
  page(query: SchedulePageQuery): Promise<Schedule[]> {
    const select = this.schedules
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

  /** Live schedules whose next time has come, the longest waiting first. */
  due(now: Date, limit: number): Promise<Schedule[]> {
    return this.schedules.find({
      where: { suspended: false, nextFireAt: LessThanOrEqual(now) },
      order: { nextFireAt: 'ASC' },
      take: limit,
    });
  }

  /** The latest task of each live schedule, which its concurrency policy still reads. */
  async liveLastTaskIds(): Promise<string[]> {
    const rows = await this.schedules.find({
      where: { suspended: false, lastTaskId: Not(IsNull()) },
      select: { lastTaskId: true },
    });
    return rows.map((row) => row.lastTaskId!);
  }

  /** Saves changes made at `version`; false when the schedule changed meanwhile. */
  async update(id: string, version: number, changes: Partial<Schedule>): Promise<boolean> {
    const result = await this.schedules.update({ id, version }, {
      ...changes,
      version: version + 1,
      updatedAt: new Date(),
    } as QueryDeepPartialEntity<Schedule>);
    return (result.affected ?? 0) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.schedules.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Fires with one of `outcomes` recorded after `after` up to `until`, oldest first, with
   * their schedule (for its owner and name).
   */
  firesBetween(
    after: Date,
    until: Date,
    outcomes: readonly FireOutcome[],
    limit: number,
  ): Promise<Array<{ fire: ScheduleFire; schedule: Schedule }>> {
    return this.fires
      .createQueryBuilder('fire')
      .innerJoinAndMapOne('fire.scheduleRow', Schedule, 'schedule', 'schedule.id = fire.scheduleId')
      .where('fire.firedAt > :after AND fire.firedAt <= :until', { after, until })
      .andWhere({ outcome: In([...outcomes]) })
      .orderBy('fire.firedAt', 'ASC')
      .addOrderBy('fire.id', 'ASC')
      .take(limit)
      .getMany()
      .then((rows) =>
        rows.map((row) => ({
          fire: row,
          schedule: (row as ScheduleFire & { scheduleRow: Schedule }).scheduleRow,
        })),
      );
  }

  /** The newest fire records first. */
  history(scheduleId: string, limit: number): Promise<ScheduleFire[]> {
    return this.fires.find({
      where: { scheduleId },
      order: { scheduledAt: 'DESC' },
      take: limit,
    });
  }

  /** A page of a schedule's fire records, newest first, after `after` when given. */
  firesPage(scheduleId: string, limit: number, after?: TimeIdKey): Promise<ScheduleFire[]> {
    const select = this.fires
      .createQueryBuilder('f')
      .where('f.schedule_id = :scheduleId', { scheduleId })
      .orderBy('f.scheduled_at', 'DESC')
      .addOrderBy('f.id', 'DESC')
      .limit(limit);
    if (after) {
      select.andWhere('(f.scheduled_at < :at OR (f.scheduled_at = :at AND f.id < :id))', after);
    }
    return select.getMany();
  }

  /** Records fires and moves the schedule on, in a transaction of its own. */
  record(scheduleId: string, fires: ScheduleFire[], advance: Advance): Promise<void> {
    return inTransaction(this.dataSource, (manager) =>
      this.recordWith(manager, scheduleId, fires, advance),
    );
  }

  /**
   * Inside the caller's transaction: inserts the fire records, which fails on a time
   * already recorded, and moves the schedule on only if it still waits for
   * `advance.from`, else throws; either way the transaction rolls back whole.
   */
  async recordWith(
    manager: EntityManager,
    scheduleId: string,
    fires: ScheduleFire[],
    advance: Advance,
  ): Promise<void> {
    if (fires.length) {
      await manager.insert(ScheduleFire, fires);
    }
    const changes: QueryDeepPartialEntity<Schedule> = {};
    if (advance.to !== undefined) changes.nextFireAt = advance.to;
    if (advance.lastTaskId) changes.lastTaskId = advance.lastTaskId;
    if (Object.keys(changes).length === 0) return;
    const builder = manager
      .createQueryBuilder()
      .update(Schedule)
      .set(changes)
      .where('id = :scheduleId', { scheduleId });
    if (advance.from) builder.andWhere('next_fire_at = :from', { from: advance.from });
    const result = await builder.execute();
    if (!result.affected) throw new ScheduleMovedError();
  }

  /** Keeps the newest `keep` fire records of a schedule, removing the rest. */
  async trimHistory(scheduleId: string, keep: number): Promise<void> {
    const boundary = await this.fires.find({
      where: { scheduleId },
      order: { scheduledAt: 'DESC' },
      skip: keep - 1,
      take: 1,
      select: { scheduledAt: true },
    });
    if (!boundary.length) return;
    await this.fires
      .createQueryBuilder()
      .delete()
      .where('schedule_id = :scheduleId', { scheduleId })
      .andWhere('scheduled_at < :before', { before: boundary[0].scheduledAt })
      .execute();
  }
}

/** The schedule was changed, deleted or fired by someone else while this fire was written. */
export class ScheduleMovedError extends Error {
  constructor() {
    super('the schedule moved on meanwhile');
  }
}
