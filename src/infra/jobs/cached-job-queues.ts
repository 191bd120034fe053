import { JobQueue, JobQueues } from './job-queue.port';

/** One JobQueue per name, made on first use by the driver's factory, all closable at once. */
export class CachedJobQueues implements JobQueues {
  private readonly queues = new Map<string, JobQueue>();

  constructor(
    readonly driver: JobQueues['driver'],
    private readonly create: (name: string) => JobQueue,
  ) {}

  get(name: string): JobQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.create(name);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Stops every queue taking jobs and waits for the running ones (graceful shutdown). */
  async closeAll(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
