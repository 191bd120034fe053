// Live figures of every queue, read from the tasks table in one grouped query.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ACTIVE_STATUSES, TaskStatus } from '../lifecycle/task-status';
import { Task } from '../persistence/entities/task.entity';

export interface QueueFigures {
  pending: number;
  queued: number;
  /** Running and cancelling: runs that still hold their slot. */
  running: number;
  gpusInUse: number;
  /** Submit time of the oldest pending task. */
  oldestPendingSince: Date | null;
}

const NO_FIGURES: QueueFigures = {
  pending: 0,
  queued: 0,
  running: 0,
  gpusInUse: 0,
  oldestPendingSince: null,
};

type FiguresRow = Record<'queue' | 'pending' | 'queued' | 'running' | 'gpus', string | number> & {
  oldest: string | Date | null;
};

@Injectable()
export class QueueFiguresRepository {
  constructor(@InjectRepository(Task) private readonly tasks: Repository<Task>) {}

  async byQueue(): Promise<Map<string, QueueFigures>> {
    const rows = await this.tasks
      .createQueryBuilder('t')
      .select('t.queue', 'queue')
      .addSelect(countOf('t.status = :pending'), 'pending')
      .addSelect(countOf('t.status = :queued'), 'queued')
      .addSelect(countOf('t.status IN (:...holding)'), 'running')
      .addSelect(
        'COALESCE(SUM(CASE WHEN t.status IN (:...active) THEN t.gpu ELSE 0 END), 0)',
        'gpus',
      )
      .addSelect('MIN(CASE WHEN t.status = :pending THEN t.created_at END)', 'oldest')
      .where('t.status IN (:...live)', { live: [TaskStatus.Pending, ...ACTIVE_STATUSES] })
      .setParameters({
        pending: TaskStatus.Pending,
        queued: TaskStatus.Queued,
        holding: [TaskStatus.Running, TaskStatus.Cancelling],
        active: ACTIVE_STATUSES,
      })
      .groupBy('t.queue')
      .getRawMany<FiguresRow>();
    return new Map(rows.map((row) => [row.queue as string, figuresOf(row)]));
  }

  async of(queue: string): Promise<QueueFigures> {
    return (await this.byQueue()).get(queue) ?? NO_FIGURES;
  }

  /** Pending tasks of a queue, oldest first, at most `limit`. */
  pendingOf(queue: string, limit: number): Promise<Task[]> {
    return this.tasks.find({
      where: { queue, status: TaskStatus.Pending },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }
}

export function noFigures(): QueueFigures {
  return { ...NO_FIGURES };
}

function countOf(condition: string): string {
  return `COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
}

function figuresOf(row: FiguresRow): QueueFigures {
  return {
    pending: Number(row.pending),
    queued: Number(row.queued),
    running: Number(row.running),
    gpusInUse: Number(row.gpus),
    oldestPendingSince: row.oldest === null ? null : asDate(row.oldest),
  };
}

/** SQLite hands back the stored UTC text, PostgreSQL a Date. */
function asDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
