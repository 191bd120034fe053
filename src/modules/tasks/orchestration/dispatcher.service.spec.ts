// The dispatcher's pass on a real (in-memory) SQLite database: which pending tasks it
// queues when some queues are full.
import { randomUUID } from 'node:crypto';
import type { KilnConfig } from '../../../config/kiln.config';
import type { TaskQueueConfig } from '../../../config/sections/tasks.config';
import type { JobQueues } from '../../../infra/jobs/job-queue.port';
import type { LeaderLock } from '../../../infra/lock/leader-lock.port';
import type { OwnershipPolicy } from '../../auth';
import { Task } from '../persistence/entities/task.entity';
import { UserQuota } from '../persistence/entities/user-quota.entity';
import { UserQuotaRepository } from '../persistence/user-quota.repository';
import { ReplicaUsagePort } from '../quotas/replica-usage-port';
import { CapacityService } from './capacity.service';
import { Dispatcher } from './dispatcher.service';
import { TaskDependencies } from './task-dependencies.service';
import { MemoryWakeups } from '../../../infra/wakeups/memory-wakeups';
import { QueueCatalog } from '../queues/queue-catalog';
import { TaskQueueRepository } from '../queues/task-queue.repository';
import { TaskQueueRow } from '../queues/task-queue.entity';
import { TaskStatus } from '../lifecycle/task-status';
import { pendingTaskRow } from '../../../../test/support/task-row';
import { openTaskStore, TaskStore } from '../../../../test/support/task-store';

const OWNER = randomUUID();
const RESOURCES = { cpu: 1, memoryMiB: 512, gpu: 0 };
const QUEUES = [
  { name: 'busy', runtime: 'local', maxRunning: 1, maxGpus: 0, defaultResources: RESOURCES },
  { name: 'free', runtime: 'local', maxRunning: 4, maxGpus: 0, defaultResources: RESOURCES },
] as TaskQueueConfig[];
const CONFIG = {
  tasks: {
    queues: QUEUES,
    userLimits: { maxRunning: 100, maxGpus: 0, maxPending: 100_000 },
    maxPendingTotal: 100_000,
  },
} as unknown as KilnConfig;

describe('the dispatcher', () => {
  let store: TaskStore;
  let dispatcher: Dispatcher;
  let catalog: QueueCatalog;
  const launchOrders: unknown[] = [];
  let firstLaunchOrder: Promise<void>;
  let replicaUsage: ReplicaUsagePort;

  beforeEach(async () => {
    store = await openTaskStore();
    const { dataSource, tasks, dependencies, lifecycle } = store;
    catalog = new QueueCatalog(
      CONFIG,
      new MemoryWakeups(),
      new TaskQueueRepository(dataSource.getRepository(TaskQueueRow)),
    );
    await catalog.onModuleInit();
    const capacity = new CapacityService(
      CONFIG,
      tasks,
      new UserQuotaRepository(dataSource.getRepository(UserQuota)),
      catalog,
      (replicaUsage = new ReplicaUsagePort()),
      new MemoryWakeups(),
    );
    let launched: () => void;
    firstLaunchOrder = new Promise((resolve) => (launched = resolve));
    const jobQueues = {
      get: () => ({
        add: (_name: string, order: unknown) => {
          launchOrders.push(order);
          launched();
          return Promise.resolve();
        },
      }),
    } as unknown as JobQueues;
    dispatcher = new Dispatcher(
      tasks,
      jobQueues,
      { isLeader: true } as LeaderLock,
      capacity,
      lifecycle,
      new TaskDependencies(tasks, dependencies, {} as OwnershipPolicy, lifecycle),
      catalog,
    );
  });

  afterEach(async () => {
    catalog.onModuleDestroy();
    launchOrders.length = 0;
    await store.close();
  });

  async function pending(
    queue: string,
    priority: number,
    count: number,
    ownerId = OWNER,
  ): Promise<Task[]> {
    const rows = Array.from({ length: count }, () =>
      pendingTaskRow({ ownerId, name: 'train', queue, priority, retryBackoffSeconds: 10 }),
    );
    for (let start = 0; start < rows.length; start += 100) {
      await store.dataSource.getRepository(Task).save(rows.slice(start, start + 100));
    }
    return rows;
  }

  it("starts a free queue's task although a full queue holds a larger backlog ahead of it", async () => {
    const [first] = await pending('busy', 10, 1);
    await store.lifecycle.queue(first, QUEUES[0]);
    await pending('busy', 10, 1100);
    const [waiting] = await pending('free', 0, 1);

    dispatcher.wake();
    await firstLaunchOrder;

    expect(await store.tasks.findById(waiting.id)).toMatchObject({ status: TaskStatus.Queued });
    expect(launchOrders).toEqual([{ taskId: waiting.id, attempt: 1 }]);
  });

  it("holds back a task whose owner's model service replicas fill the running quota", async () => {
    const other = randomUUID();
    replicaUsage.register({
      byOwner: () => Promise.resolve(new Map([[OWNER, { replicas: 100, gpus: 0 }]])),
    });
    const [held] = await pending('free', 10, 1);
    const [started] = await pending('free', 0, 1, other);

    dispatcher.wake();
    await firstLaunchOrder;

    expect(launchOrders).toEqual([{ taskId: started.id, attempt: 1 }]);
    expect(await store.tasks.findById(held.id)).toMatchObject({ status: TaskStatus.Pending });
  });
});
