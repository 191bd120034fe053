// The dispatcher's pass on a real (in-memory) SQLite database: which pending tasks it
// queues when some queues are full.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { KilnConfig } from '../../../config/kiln.config';
import type { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { DatabaseDialect } from '../../../infra/database/dialect';
import type { JobQueues } from '../../../infra/jobs/job-queue.port';
import type { LeaderLock } from '../../../infra/lock/leader-lock.port';
import { SCHEMA } from '../../../schema';
import type { OwnershipPolicy } from '../../auth';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { TaskStatus } from '../lifecycle/task-status';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { TaskDependency } from '../persistence/entities/task-dependency.entity';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import { UserQuota } from '../persistence/entities/user-quota.entity';
import { TaskAttemptRepository } from '../persistence/task-attempt.repository';
import { TaskDependencyRepository } from '../persistence/task-dependency.repository';
import { TaskEventRepository } from '../persistence/task-event.repository';
import { TaskRepository } from '../persistence/task.repository';
import { UserQuotaRepository } from '../persistence/user-quota.repository';
import { CapacityService } from './capacity.service';
import { Dispatcher } from './dispatcher.service';
import { TaskDependencies } from './task-dependencies.service';
import { MemoryWakeups } from '../../../infra/wakeups/memory-wakeups';
import { QueueCatalog } from '../queues/queue-catalog';
import { TaskQueueRepository } from '../queues/task-queue.repository';
import { TaskQueueRow } from '../queues/task-queue.entity';

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
  let dataSource: DataSource;
  let tasks: TaskRepository;
  let lifecycle: TaskLifecycle;
  let dispatcher: Dispatcher;
  let catalog: QueueCatalog;
  const launchOrders: unknown[] = [];
  let firstLaunchOrder: Promise<void>;

  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: SCHEMA.entities,
      synchronize: true,
    });
    await dataSource.initialize();
    const events = new TaskEventRepository(dataSource.getRepository(TaskEvent));
    const dependencies = new TaskDependencyRepository(
      dataSource.getRepository(Task),
      dataSource.getRepository(TaskDependency),
    );
    tasks = new TaskRepository(
      dataSource,
      dataSource.getRepository(Task),
      new DatabaseDialect('sqlite'),
      events,
      dependencies,
    );
    lifecycle = new TaskLifecycle(
      tasks,
      new TaskAttemptRepository(dataSource.getRepository(TaskAttempt)),
      events,
    );
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
    await dataSource.destroy();
  });

  async function pending(queue: string, priority: number, count: number): Promise<Task[]> {
    const rows = Array.from({ length: count }, () => newTask(queue, priority));
    for (let start = 0; start < rows.length; start += 100) {
      await dataSource.getRepository(Task).save(rows.slice(start, start + 100));
    }
    return rows;
  }

  it("starts a free queue's task although a full queue holds a larger backlog ahead of it", async () => {
    const [first] = await pending('busy', 10, 1);
    await lifecycle.queue(first, QUEUES[0]);
    await pending('busy', 10, 1100);
    const [waiting] = await pending('free', 0, 1);

    dispatcher.wake();
    await firstLaunchOrder;

    expect(await tasks.findById(waiting.id)).toMatchObject({ status: TaskStatus.Queued });
    expect(launchOrders).toEqual([{ taskId: waiting.id, attempt: 1 }]);
  });
});

function newTask(queue: string, priority: number): Task {
  const now = new Date();
  return Object.assign(new Task(), {
    id: randomUUID(),
    ownerId: OWNER,
    name: 'train',
    description: null,
    labels: {},
    queue,
    priority,
    command: ['true'],
    shell: false,
    image: null,
    workingDir: null,
    env: {},
    hyperparameters: {},
    cpuMillis: 1000,
    memoryMiB: 512,
    gpu: 0,
    maxRetries: 0,
    retryBackoffSeconds: 10,
    timeoutSeconds: null,
    noRetryExitCodes: [],
    dependsOn: [],
    status: TaskStatus.Pending,
    progressPermille: 0,
    attempt: 0,
    retriesUsed: 0,
    lostCount: 0,
    exitCode: null,
    failureReason: null,
    notBefore: null,
    version: 1,
    idempotencyKey: null,
    idempotencyFingerprint: null,
    createdAt: now,
    updatedAt: now,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
  });
}
