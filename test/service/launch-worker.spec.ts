// The launch worker: what a launch order does, depending on the task's state and on
// what the runtime answers.
import { TaskStatus } from '../../src/modules/tasks/lifecycle/task-status';
import { ServiceWorld, member } from '../support/service-world';
import { runtimeErrors } from '../support/scripted-runtime';

const alice = member('alice');

describe('launch worker', () => {
  let world: ServiceWorld;

  beforeEach(async () => {
    world = await ServiceWorld.start();
  });

  afterEach(() => world.close());

  /** A task dispatched but not launched yet: its launch order waits in the queue. */
  async function queued(spec: Parameters<ServiceWorld['submit']>[1] = {}) {
    await world.holdLaunches();
    const task = await world.submit(alice, spec);
    await world.dispatch();
    expect(await world.task(task.id)).toMatchObject({ status: 'queued', attempt: 1 });
    return task;
  }

  it('a launch order starts the run of its attempt and records the handle on the attempt', async () => {
    const task = await queued();

    await world.resumeLaunches();

    const run = world.runtime.run(task.id);
    expect(run.spec).toMatchObject({ taskId: task.id, attempt: 1, command: task.command });
    expect(await world.task(task.id)).toMatchObject({ status: 'running', attempt: 1 });
    const [attempt] = await world.attempts(task.id);
    expect(attempt).toMatchObject({ status: 'running', handle: run.handle });
  });

  it('a launch order for a task that is no longer queued starts nothing', async () => {
    const task = await queued();
    await world.tasks.cancel(alice, task.id);

    await world.resumeLaunches();
    await world.deliverLaunch({ taskId: task.id, attempt: 1 });

    expect(world.runtime.launchCalls).toHaveLength(0);
    expect((await world.task(task.id)).status).toBe('cancelled');
  });

  it('a launch order for an earlier attempt starts nothing', async () => {
    const task = await world.started(alice, { maxRetries: 1 });
    world.runtime.run(task.id).vanishes();
    await world.reconcile();
    await world.holdLaunches();
    await world.dispatch();
    expect(await world.task(task.id)).toMatchObject({ status: 'queued', attempt: 2 });

    await world.deliverLaunch({ taskId: task.id, attempt: 1 });

    expect(await world.task(task.id)).toMatchObject({ status: 'queued', attempt: 2 });
    expect(world.runtime.launchCalls.map((spec) => spec.attempt)).toEqual([1]);
  });

  it('the same attempt delivered twice is launched once', async () => {
    const task = await queued();

    await Promise.all([
      world.deliverLaunch({ taskId: task.id, attempt: 1 }),
      world.deliverLaunch({ taskId: task.id, attempt: 1 }),
    ]);
    await world.resumeLaunches();

    expect(world.runtime.launchCalls).toHaveLength(1);
    expect(await world.task(task.id)).toMatchObject({ status: 'running', attempt: 1 });
    const started = (await world.events(task.id)).filter(
      (event) => event.toStatus === TaskStatus.Running,
    );
    expect(started).toHaveLength(1);
  });

  it('a transient launch failure is retried, and the task runs', async () => {
    world.runtime.refusesLaunch(runtimeErrors.transient);
    const task = await world.submit(alice);

    await world.dispatch();
    await world.dispatch();

    expect(await world.task(task.id)).toMatchObject({ status: 'running', attempt: 2 });
    expect((await world.attempts(task.id))[0].reason).toContain('ECONNREFUSED');
  });

  it('a transient launch failure of a task with retries left does not spend one', async () => {
    world.runtime.refusesLaunch(runtimeErrors.transient);
    const task = await world.submit(alice, { maxRetries: 1 });

    await world.dispatch();

    expect(await world.task(task.id)).toMatchObject({ status: 'pending', retriesUsed: 0 });
  });

  it('a permanent launch failure fails the attempt, and the task when it has no retries left', async () => {
    world.runtime.refusesLaunch(runtimeErrors.permanent);
    const task = await world.submit(alice);

    await world.dispatch();

    const [attempt] = await world.attempts(task.id);
    expect(attempt.status).toBe('failed');
    expect(attempt.reason).toContain('does not exist');
    const failed = await world.task(task.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toContain('could not start the run');
  });

  it('a cancel that arrives while the run is starting stops the run once it has started', async () => {
    const task = await queued();
    const launch = world.runtime.launch.bind(world.runtime);
    jest.spyOn(world.runtime, 'launch').mockImplementationOnce(async (spec) => {
      await world.tasks.cancel(alice, task.id);
      await world.reconcile();
      return launch(spec);
    });

    await world.resumeLaunches();

    expect((await world.task(task.id)).status).toBe('cancelled');
    expect(world.runtime.run(task.id).stops).toBe(1);
  });
});
