// The database-is-the-truth rule (docs/architecture.md) on real PostgreSQL: every transition is one conditional UPDATE, so of
// many actors racing to move the same task, exactly one wins and one event is written.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TaskEvent } from '../../src/modules/tasks/persistence/entities/task-event.entity';
import { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { TaskTransitions } from '../../src/modules/tasks/lifecycle/task-transitions.service';
import { TaskStatus } from '../../src/modules/tasks/lifecycle/task-status';
import { startOnPostgresAndRedis } from '../support/production-app';
import type { TestApp } from '../support/test-app';

describe('task transitions racing on PostgreSQL', () => {
  let kiln: TestApp;
  let dataSource: DataSource;
  let transitions: TaskTransitions;

  beforeAll(async () => {
    kiln = await startOnPostgresAndRedis({}, 'kiln_transitions');
    dataSource = kiln.app.get(DataSource);
    transitions = kiln.app.get(TaskTransitions);
  });

  afterAll(async () => {
    await kiln?.close();
  });

  /** A queued task on attempt 1, written directly so no dispatcher touches it. */
  async function queuedTask(): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await dataSource.getRepository(Task).insert({
      id,
      ownerId: randomUUID(),
      name: 'raced',
      description: null,
      labels: {},
      queue: 'default',
      priority: 0,
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
      retryBackoffSeconds: 0,
      timeoutSeconds: null,
      noRetryExitCodes: [],
      dependsOn: [],
      status: TaskStatus.Queued,
      progressPermille: 0,
      attempt: 1,
      retriesUsed: 0,
      lostCount: 0,
      exitCode: 3, // left by an earlier attempt
      failureReason: null,
      notBefore: null,
      version: 1,
      idempotencyKey: null,
      idempotencyFingerprint: null,
      createdAt: now,
      updatedAt: now,
      queuedAt: now,
      startedAt: null,
      finishedAt: null,
    });
    return id;
  }

  it('lets exactly one of twenty concurrent launches of one attempt win', async () => {
    const id = await queuedTask();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        transitions.move(id, { to: TaskStatus.Running, attempt: 1, actor: 'test' }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const events = await dataSource.getRepository(TaskEvent).findBy({ taskId: id });
    expect(events.map((event) => `${event.fromStatus}>${event.toStatus}`)).toEqual([
      'queued>running',
    ]);
  });

  it('lets a cancel and a launch race with one winner, and never revives a final task', async () => {
    const id = await queuedTask();
    const [cancelled, launched] = await Promise.all([
      transitions.move(id, { to: TaskStatus.Cancelled, actor: 'user' }),
      transitions.move(id, { to: TaskStatus.Running, attempt: 1, actor: 'worker' }),
    ]);
    expect([cancelled, launched].filter(Boolean)).toHaveLength(1);
    if (cancelled) {
      expect(await transitions.move(id, { to: TaskStatus.Running, actor: 'late' })).toBeNull();
    }
    const finished = await queuedTask();
    await transitions.move(finished, { to: TaskStatus.Running, attempt: 1, actor: 'worker' });
    await transitions.move(finished, { to: TaskStatus.Succeeded, actor: 'reconciler' });
    for (const to of [TaskStatus.Pending, TaskStatus.Running, TaskStatus.Failed]) {
      expect(await transitions.move(finished, { to, actor: 'stale leader' })).toBeNull();
    }
  });

  it('returns the task and its event exactly as stored, patch and version included', async () => {
    const id = await queuedTask();
    const startedAt = new Date('2026-01-02T03:04:05.678Z');
    const task = await transitions.move(id, {
      to: TaskStatus.Running,
      from: [TaskStatus.Queued],
      attempt: 1,
      actor: 'worker',
      reason: 'attempt 1 started',
      patch: { startedAt, progressPermille: 0, failureReason: null, exitCode: undefined },
    });
    const stored = await dataSource.getRepository(Task).findOneByOrFail({ id });
    expect({ ...task }).toEqual({ ...stored });
    // an undefined patch value leaves the column alone, as TypeORM's update does
    expect(stored).toMatchObject({ status: 'running', version: 2, startedAt, exitCode: 3 });
    const [event] = await dataSource.getRepository(TaskEvent).findBy({ taskId: id });
    expect(event).toMatchObject({
      fromStatus: 'queued',
      toStatus: 'running',
      attempt: 1,
      actor: 'worker',
      reason: 'attempt 1 started',
      ownerId: stored.ownerId,
      kind: 'status',
      progressPermille: null,
    });
    expect(typeof event.id).toBe('number');
  });

  it('announces the same event row it wrote', async () => {
    const id = await queuedTask();
    const announced = new Promise<TaskEvent>((resolve) =>
      transitions.changes.once('change', (change) => resolve(change.event)),
    );
    await transitions.move(id, {
      to: TaskStatus.Cancelled,
      actor: 'user',
      reason: 'no longer needed',
    });
    const [stored] = await dataSource.getRepository(TaskEvent).findBy({ taskId: id });
    expect({ ...(await announced) }).toEqual({ ...stored });
  });

  it('ignores a late actor of an older attempt', async () => {
    const id = await queuedTask();
    await transitions.move(id, { to: TaskStatus.Running, attempt: 1, actor: 'worker' });
    expect(
      await transitions.move(id, { to: TaskStatus.Succeeded, attempt: 0, actor: 'stale' }),
    ).toBeNull();
    expect((await dataSource.getRepository(Task).findOneByOrFail({ id })).status).toBe('running');
  });
});
