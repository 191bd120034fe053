// The task_queues table.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TaskQueueRow } from './task-queue.entity';

@Injectable()
export class TaskQueueRepository {
  constructor(@InjectRepository(TaskQueueRow) private readonly rows: Repository<TaskQueueRow>) {}

  all(): Promise<TaskQueueRow[]> {
    return this.rows.find({ order: { name: 'ASC' } });
  }

  one(name: string): Promise<TaskQueueRow | null> {
    return this.rows.findOneBy({ name });
  }

  count(): Promise<number> {
    return this.rows.count();
  }

  /** Inserts rows whose names are free; a replica seeding at the same time is no error. */
  async insertMissing(rows: TaskQueueRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.rows.createQueryBuilder().insert().values(rows).orIgnore().execute();
  }

  /** False when the name is taken. */
  async insert(row: TaskQueueRow): Promise<boolean> {
    try {
      await this.rows.insert(row);
      return true;
    } catch (error) {
      if (await this.one(row.name)) return false;
      throw error;
    }
  }

  async update(name: string, patch: Partial<TaskQueueRow>): Promise<boolean> {
    const result = await this.rows.update(
      { name },
      {
        ...patch,
        updatedAt: new Date(),
      },
    );
    return (result.affected ?? 0) > 0;
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.rows.delete({ name });
    return (result.affected ?? 0) > 0;
  }
}
