// Turns tasks into API responses with what lives beside the row: their dependencies,
// and for a single pending task, where it stands and why it waits.
import { Injectable } from '@nestjs/common';
import { TaskResponse } from './dto/task.response';
import { Task } from './entities/task.entity';
import { TaskDependencies } from './task-dependencies.service';
import { toTaskResponse } from './task.mapper';
import { TasksQuery } from './tasks.query';

@Injectable()
export class TaskPresenter {
  constructor(
    private readonly dependencies: TaskDependencies,
    private readonly query: TasksQuery,
  ) {}

  async one(task: Task, { withWaiting = false } = {}): Promise<TaskResponse> {
    const dependsOn = (await this.dependencies.of([task.id])).get(task.id) ?? [];
    const waiting = withWaiting ? await this.query.waiting(task) : undefined;
    return toTaskResponse(task, dependsOn, waiting);
  }

  async many(tasks: Task[]): Promise<TaskResponse[]> {
    const dependsOn = await this.dependencies.of(tasks.map((task) => task.id));
    return tasks.map((task) => toTaskResponse(task, dependsOn.get(task.id) ?? []));
  }
}
