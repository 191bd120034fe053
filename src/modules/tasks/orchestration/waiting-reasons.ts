// For a pending task: where it stands in its queue and why it waits.
import { Injectable } from '@nestjs/common';
import { WaitingResponse } from '../api/dto/task.response';
import { TaskStatus } from '../lifecycle/task-status';
import { Task } from '../persistence/entities/task.entity';
import { TaskDependencyRepository } from '../persistence/task-dependency.repository';
import { TaskRepository } from '../persistence/task.repository';
import { CapacityService } from './capacity.service';
import { blockerOf } from './dispatch-plan';

@Injectable()
export class WaitingReasons {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly capacity: CapacityService,
    private readonly dependencies: TaskDependencyRepository,
  ) {}

  async of(task: Task): Promise<WaitingResponse | undefined> {
    if (task.status !== TaskStatus.Pending) return undefined;
    const ahead = await this.tasks.countAhead(task);
    return { position: ahead + 1, reasons: await this.reasons(task) };
  }

  private async reasons(task: Task): Promise<string[]> {
    const reasons: string[] = [];
    const unmet = await this.dependencies.unmet(task.id);
    if (unmet.length) {
      reasons.push(
        `waiting for ${unmet.length === 1 ? 'a task' : 'tasks'} it depends on: ${unmet.map((d) => `${d.id} (${d.status})`).join(', ')}`,
      );
    }
    if (task.notBefore && task.notBefore > new Date()) {
      reasons.push(`retry backoff until ${task.notBefore.toISOString()}`);
    }
    const queue = this.capacity.queue(task.queue);
    if (queue.paused) reasons.push(`queue ${queue.name} is paused`);
    const [usage, limits] = await Promise.all([
      this.capacity.usage(),
      this.capacity.limitsFor([task.ownerId]),
    ]);
    const queueUsage = usage.byQueue.get(task.queue) ?? { runs: 0, gpus: 0 };
    const userUsage = usage.byUser.get(task.ownerId) ?? { runs: 0, gpus: 0 };
    const userLimits = limits.get(task.ownerId)!;
    const replicas = usage.replicasByUser.get(task.ownerId) ?? { runs: 0, gpus: 0 };
    const replicasRuns = replicas.runs ? `, ${replicas.runs} of them model service replicas` : '';
    const replicasGpus = replicas.gpus
      ? `, ${replicas.gpus} of them by model service replicas`
      : '';
    const blocker = blockerOf(task, queue, queueUsage, userLimits, userUsage);
    const explanations = {
      'queue-runs': `queue ${queue.name} is at capacity (${queueUsage.runs} of ${queue.maxRunning} runs)`,
      'queue-gpus': `queue ${queue.name} has ${queue.maxGpus - queueUsage.gpus} of ${queue.maxGpus} GPUs free; the task needs ${task.gpu}`,
      'user-runs': `the owner's quota is reached (${userUsage.runs} of ${userLimits.maxRunning} runs${replicasRuns})`,
      'user-gpus': `the owner's GPU quota is reached (${userUsage.gpus} of ${userLimits.maxGpus} GPUs in use${replicasGpus}; the task needs ${task.gpu})`,
    };
    if (blocker && !queue.paused) reasons.push(explanations[blocker]);
    if (reasons.length === 0)
      reasons.push('waiting for the dispatcher (tasks ahead in the queue go first)');
    return reasons;
  }
}
