// What the reconciler does with active runs it asks the runtime about: lost runs, runs
// past their timeout, cancel requests, and runs whose end is reported more than once.
import { TaskStatus } from '../../src/modules/tasks/lifecycle/task-status';
import { ServiceWorld, member } from '../support/service-world';

const alice = member('alice');

describe('reconciler', () => {
  let world: ServiceWorld;

  beforeEach(async () => {
    world = await ServiceWorld.start();
  });

  afterEach(() => world.close());

  /** Where the task went each time it left `running`. */
  async function endsOf(taskId: string) {
    const events = await world.events(taskId);
    return events
      .filter((event) => event.kind === 'status' && event.fromStatus === TaskStatus.Running)
      .map((event) => event.toStatus);
  }

  it('a run the runtime no longer knows is retried at once without spending a retry', async () => {
    const task = await world.started(alice, { maxRetries: 0 });
    world.runtime.run(task.id).vanishes();

    await world.reconcile();

    const retried = await world.task(task.id);
    expect(retried).toMatchObject({ status: 'pending', retriesUsed: 0, lostCount: 1 });
    expect(retried.notBefore).toEqual(world.clock.now());
    expect((await world.attempts(task.id))[0].status).toBe('lost');
    // an orphan the runtime might still hold is stopped before the retry
    expect(world.runtime.run(task.id, 1).stops).toBe(1);

    await world.dispatch();

    expect(await world.task(task.id)).toMatchObject({ status: 'running', attempt: 2 });
  });

  it('a run still going past its timeout is stopped and the task marked timed out', async () => {
    const task = await world.started(alice, { timeoutSeconds: 60, maxRetries: 3 });
    const run = world.runtime.run(task.id);

    world.clock.advanceSeconds(59);
    await world.reconcile();
    expect((await world.task(task.id)).status).toBe('running');
    expect(run.stops).toBe(0);

    world.clock.advanceSeconds(2);
    await world.reconcile();

    expect(run.stops).toBe(1);
    const timedOut = await world.task(task.id);
    expect(timedOut).toMatchObject({ status: 'timed_out', retriesUsed: 0 });
    expect(timedOut.failureReason).toContain('timeout of 60 s');
    expect((await world.attempts(task.id))[0].status).toBe('timed_out');
  });

  it('a run stopped for its timeout ends timed out even when its exit is settled first', async () => {
    const task = await world.started(alice, { timeoutSeconds: 60 });
    const run = world.runtime.run(task.id);
    // the process that saw the run exit settles it before the stop call returns
    run.whenEndedByStop(() => world.reconciler.reconcileEnded({ taskId: task.id, attempt: 1 }));

    world.clock.advanceSeconds(61);
    await world.reconcile();

    expect(await world.task(task.id)).toMatchObject({ status: 'timed_out', exitCode: null });
    expect((await world.attempts(task.id))[0].status).toBe('timed_out');
  });

  it('a cancel request stops the run, and the task ends cancelled', async () => {
    const task = await world.started(alice);
    await world.tasks.cancel(alice, task.id);

    await world.reconcile();

    expect(world.runtime.run(task.id).stops).toBe(1);
    expect((await world.task(task.id)).status).toBe('cancelled');
  });

  it('a cancelled run is stopped once, however many passes follow', async () => {
    const task = await world.started(alice);
    world.runtime.run(task.id).ignoresStop();
    await world.tasks.cancel(alice, task.id);

    await world.reconcile();
    await world.reconcile();

    expect(world.runtime.run(task.id).stops).toBe(1);
    expect((await world.task(task.id)).status).toBe('cancelled');
  });

  it('a cancel whose stop the runtime could not deliver stays cancelling until a later pass stops the run', async () => {
    const task = await world.started(alice);
    const run = world.runtime.run(task.id);
    run.failsToStop(1);
    await world.tasks.cancel(alice, task.id);

    await world.reconcile();
    expect((await world.task(task.id)).status).toBe('cancelling');
    expect(run.status.state).toBe('running');
    expect(world.logs.lines).toContainEqual({
      level: 'error',
      message: expect.stringContaining('ECONNREFUSED'),
    });

    await world.reconcile();
    expect((await world.task(task.id)).status).toBe('cancelled');
    expect(run.status.state).not.toBe('running');
  });

  it("a finished run's outcome is recorded once when its end is reported twice while a pass runs", async () => {
    const task = await world.started(alice, { maxRetries: 3 });
    const run = world.runtime.run(task.id);
    run.exits(1);
    const settling = jest.spyOn(world.reconciler, 'reconcileEnded');
    run.announcesEnd();
    run.announcesEnd();

    await world.reconcile();
    await Promise.all(settling.mock.results.map((result) => result.value as Promise<boolean>));

    expect(settling).toHaveBeenCalledTimes(2);
    expect(await world.task(task.id)).toMatchObject({ status: 'pending', retriesUsed: 1 });
    expect(await endsOf(task.id)).toEqual(['pending']);
  });

  it('a reported end settles the run without waiting for a reconcile pass', async () => {
    const task = await world.started(alice);
    const run = world.runtime.run(task.id);
    run.exits(0);
    const settling = jest.spyOn(world.reconciler, 'reconcileEnded');
    run.announcesEnd();

    expect(await settling.mock.results[0].value).toBe(true);
    expect(await world.task(task.id)).toMatchObject({ status: 'succeeded' });
  });

  it('two deliveries of one outcome racing each other move the task once', async () => {
    const task = await world.started(alice, { maxRetries: 3 });
    const outcome = { state: 'failed', exitCode: 1, reason: 'exited 1' } as const;

    await Promise.all([
      world.outcomes.settle(task, 1, outcome),
      world.outcomes.settle(task, 1, outcome),
    ]);

    expect(await world.task(task.id)).toMatchObject({ status: 'pending', retriesUsed: 1 });
    expect(await endsOf(task.id)).toEqual(['pending']);
  });

  it('a run whose launch was never recorded (the worker died) is adopted, not launched again', async () => {
    await world.holdLaunches();
    const task = await world.submit(alice);
    await world.dispatch();
    world.runtime.hangsOnLaunch({ afterStart: true });
    const started = world.runtime.started(task.id);
    void world.deliverLaunch({ taskId: task.id, attempt: 1 });
    const run = await started;

    await world.reconcile();

    expect((await world.attempts(task.id))[0].handle).toEqual(run.handle);
    run.exits(0);
    await world.reconcile();
    expect((await world.task(task.id)).status).toBe('succeeded');
    expect(world.runtime.launchCalls).toHaveLength(1);
  });

  it('a launch that never started a run is given up after the launch grace and retried without spending a retry', async () => {
    await world.holdLaunches();
    const task = await world.submit(alice);
    await world.dispatch();
    world.runtime.hangsOnLaunch({ afterStart: false });
    const running = world.nextEvent(task.id, 'status');
    void world.deliverLaunch({ taskId: task.id, attempt: 1 });
    await running; // queued → running, then the launch hangs

    world.clock.advanceSeconds(59);
    await world.reconcile();
    expect((await world.task(task.id)).status).toBe('running');

    world.clock.advanceSeconds(2);
    await world.reconcile();

    expect(await world.task(task.id)).toMatchObject({
      status: 'pending',
      retriesUsed: 0,
      lostCount: 1,
    });
  });

  it('a run that is still going is left alone', async () => {
    const task = await world.started(alice);
    const before = await world.task(task.id);

    await world.reconcile();

    expect(await world.task(task.id)).toEqual(before);
    expect(world.runtime.run(task.id).stops).toBe(0);
  });
});

describe('reconciler with one free retry for lost runs', () => {
  let world: ServiceWorld;

  beforeEach(async () => {
    world = await ServiceWorld.start({ env: { KILN_MAX_LOST_RETRIES: '1' } });
  });

  afterEach(() => world.close());

  it('a lost run past the cap of free retries spends a retry of the task, and fails it when none is left', async () => {
    const task = await world.started(alice, { maxRetries: 0 });
    world.runtime.run(task.id).vanishes();
    await world.reconcile();
    await world.dispatch();

    world.runtime.run(task.id, 2).vanishes();
    await world.reconcile();

    const failed = await world.task(task.id);
    expect(failed).toMatchObject({ status: 'failed', attempt: 2, lostCount: 1 });
    expect(failed.failureReason).toMatch(/^lost: /);
  });
});
