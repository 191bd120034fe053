// The database-is-the-truth rule (docs/architecture.md) on real PostgreSQL: every transition is one conditional UPDATE, so of
// many actors racing to move the same task, exactly one wins and one event is written.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TaskEvent } from '../../src/modules/tasks/persistence/entities/task-event.entity';
import { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { TaskAttempt } from '../../src/modules/tasks/persistence/entities/task-attempt.entity';
import { TaskAttemptRepository } from '../../src/modules/tasks/persistence/task-attempt.repository';
import { TaskRepository } from '../../src/modules/tasks/persistence/task.repository';
import { taskRow } from '../support/task-row';
import { AttemptStatus } from '../../src/modules/tasks/lifecycle/attempt-status';
import { EndedRun, TaskLifecycle } from '../../src/modules/tasks/lifecycle/task-lifecycle';
import { TaskStatus } from '../../src/modules/tasks/lifecycle/task-status';
import { startOnPostgresAndRedis } from '../support/production-app';
import type { TestApp } from '../support/test-app';
import { insertTaskRow } from '../support/task-row';

describe('task transitions racing on PostgreSQL', () => {
  let kiln: TestApp;
  let dataSource: DataSource;
  let lifecycle: TaskLifecycle;

  beforeAll(async () => {
    kiln = await startOnPostgresAndRedis({}, 'kiln_transitions');
    dataSource = kiln.app.get(DataSource);
    lifecycle = kiln.app.get(TaskLifecycle);
  });

  afterAll(async () => {
    await kiln?.close();
  });

  /** A queued task on attempt 1, written directly so no dispatcher touches it. */
  async function queuedTask(): Promise<string> {
    const task = await insertTaskRow(dataSource, {
      name: 'raced',
      status: TaskStatus.Queued,
      progressPermille: 0,
      exitCode: 3, // left by an earlier attempt
      startedAt: null,
      finishedAt: null,
    });
    return task.id;
  }

  const user = { userId: randomUUID(), username: 'user' };

  function start(id: string, attempt = 1) {
    return lifecycle.start(id, attempt, 'token-hash', () => 'local');
  }

  async function succeededRun(id: string, attempt = 1): Promise<EndedRun> {
    const task = await dataSource.getRepository(Task).findOneByOrFail({ id });
    return {
      task,
      attempt,
      from: TaskStatus.Running,
      ended: { status: AttemptStatus.Succeeded, reason: null, exitCode: 0 },
    };
  }

  it('lets exactly one of twenty concurrent launches of one attempt win', async () => {
    const id = await queuedTask();
    const results = await Promise.all(Array.from({ length: 20 }, () => start(id)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const events = await dataSource.getRepository(TaskEvent).findBy({ taskId: id });
    expect(events.map((event) => `${event.fromStatus}>${event.toStatus}`)).toEqual([
      'queued>running',
    ]);
    const attempts = await dataSource.getRepository(TaskAttempt).findBy({ taskId: id });
    expect(attempts.map((attempt) => attempt.status)).toEqual([AttemptStatus.Running]);
  });

  it('lets a cancel and a launch race with one winner, and never revives a final task', async () => {
    const id = await queuedTask();
    const queued = await dataSource.getRepository(Task).findOneByOrFail({ id });
    const [cancelled, launched] = await Promise.all([
      lifecycle.requestCancel(queued, user),
      start(id),
    ]);
    expect([cancelled, launched].filter(Boolean)).toHaveLength(1);
    if (cancelled) expect(await start(id)).toBeNull();
    const finished = await queuedTask();
    await start(finished);
    expect(await lifecycle.succeed(await succeededRun(finished))).not.toBeNull();
    const late = await succeededRun(finished);
    expect(await lifecycle.restart(finished, user)).toBeNull();
    expect(await start(finished)).toBeNull();
    expect(await lifecycle.fail(late, 'stale leader', 1)).toBeNull();
    expect(await lifecycle.markLost(late, 'stale leader')).toBeNull();
  });

  it('returns the task and its event exactly as stored, version included', async () => {
    const id = await queuedTask();
    const started = await start(id);
    const stored = await dataSource.getRepository(Task).findOneByOrFail({ id });
    expect({ ...started?.task }).toEqual({ ...stored });
    // columns the move does not set are left as they were
    expect(stored).toMatchObject({ status: 'running', version: 2, exitCode: 3 });
    const [event] = await dataSource.getRepository(TaskEvent).findBy({ taskId: id });
    expect(event).toMatchObject({
      fromStatus: 'queued',
      toStatus: 'running',
      attempt: 1,
      actor: 'system',
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
      lifecycle.changes.once('change', (change) => resolve(change.event)),
    );
    await lifecycle.requestCancel(
      await dataSource.getRepository(Task).findOneByOrFail({ id }),
      user,
    );
    const [stored] = await dataSource.getRepository(TaskEvent).findBy({ taskId: id });
    expect({ ...(await announced) }).toEqual({ ...stored });
  });

  it('starts the attempt row the dispatcher wrote, returning it as stored', async () => {
    const id = await queuedTask();
    const attempts = dataSource.getRepository(TaskAttempt);
    await attempts.insert({
      id: randomUUID(),
      taskId: id,
      number: 1,
      executor: 'kubernetes', // the queue's runtime when it was queued, whatever it is now
      status: AttemptStatus.Queued,
      handle: null,
      runTokenHash: null,
      queuedAt: new Date('2026-01-02T03:04:05.678Z'),
    });
    const started = await start(id);
    const stored = await attempts.findOneByOrFail({ taskId: id, number: 1 });
    expect({ ...started?.attempt }).toEqual({ ...stored });
    expect(stored).toMatchObject({
      executor: 'kubernetes',
      status: 'running',
      runTokenHash: 'token-hash',
      queuedAt: new Date('2026-01-02T03:04:05.678Z'),
    });
  });

  it('creates the attempt row a crash left unwritten when the task starts', async () => {
    const id = await queuedTask();
    const started = await start(id);
    expect(started?.attempt).toMatchObject({ executor: 'local', status: 'running', number: 1 });
    const stored = await dataSource.getRepository(TaskAttempt).findBy({ taskId: id });
    expect(stored.map(({ status, executor }) => ({ status, executor }))).toEqual([
      { status: 'running', executor: 'local' },
    ]);
  });

  it('reads the task as it stands when the handle is written: a cancel that came first is seen', async () => {
    const attempts = kiln.app.get(TaskAttemptRepository);
    const handle = { id: 'run-1', executor: 'local' };
    const id = await queuedTask();
    await start(id);
    expect(await attempts.recordHandleReadingTask(id, 1, handle)).toEqual({
      status: 'running',
      attempt: 1,
    });
    await lifecycle.requestCancel(
      await dataSource.getRepository(Task).findOneByOrFail({ id }),
      user,
    );
    expect(await attempts.recordHandleReadingTask(id, 1, handle)).toEqual({
      status: 'cancelling',
      attempt: 1,
    });
    expect(
      (await dataSource.getRepository(TaskAttempt).findOneByOrFail({ taskId: id })).handle,
    ).toEqual(handle);
    expect(await attempts.recordHandleReadingTask(randomUUID(), 1, handle)).toBeUndefined();
  });

  it('writes a new task with its labels, dependencies and first event in one statement', async () => {
    const tasks = kiln.app.get(TaskRepository);
    const first = taskRow();
    await tasks.insert(first, { actor: user.userId, reason: 'submitted' });
    const second = taskRow({
      status: TaskStatus.Pending,
      labels: { team: 'vision', run: 'a' },
      dependsOn: [first.id],
    });
    const event = await tasks.insert(second, { actor: user.userId, reason: 'submitted' });
    const [stored] = await dataSource.getRepository(TaskEvent).findBy({ taskId: second.id });
    expect({ ...event }).toEqual({ ...stored });
    expect(stored).toMatchObject({ kind: 'status', toStatus: 'pending', actor: user.userId });
    expect({
      ...(await dataSource.getRepository(Task).findOneByOrFail({ id: second.id })),
    }).toEqual({
      ...second,
    });
    const labels = await dataSource.query(
      'SELECT key, value FROM task_labels WHERE task_id = $1 ORDER BY key',
      [second.id],
    );
    expect(labels).toEqual([
      { key: 'run', value: 'a' },
      { key: 'team', value: 'vision' },
    ]);
    const dependencies = await dataSource.query(
      'SELECT depends_on_id FROM task_dependencies WHERE task_id = $1',
      [second.id],
    );
    expect(dependencies).toEqual([{ depends_on_id: first.id }]);
  });

  it('writes nothing of a new task whose dependency is gone', async () => {
    const tasks = kiln.app.get(TaskRepository);
    const orphan = taskRow({
      status: TaskStatus.Pending,
      labels: { a: 'b' },
      dependsOn: [randomUUID()],
    });
    const failure = await tasks
      .insert(orphan, { actor: user.userId, reason: 'submitted' })
      .catch((e: unknown) => e);
    expect((failure as { driverError?: { code?: string } }).driverError?.code).toBe('23503');
    expect(await dataSource.getRepository(Task).countBy({ id: orphan.id })).toBe(0);
    expect(await dataSource.getRepository(TaskEvent).countBy({ taskId: orphan.id })).toBe(0);
  });

  it('ignores a late actor of an older attempt', async () => {
    const id = await queuedTask();
    await start(id);
    expect(await lifecycle.succeed({ ...(await succeededRun(id)), attempt: 0 })).toBeNull();
    expect((await dataSource.getRepository(Task).findOneByOrFail({ id })).status).toBe('running');
  });
});
