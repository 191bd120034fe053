// How a task moves on when its run ends, driven through the reconciler and the run
// outcomes service with scripted runs on a real database.
import { ServiceWorld, member } from '../support/service-world';

const alice = member('alice');

describe('run outcomes', () => {
  let world: ServiceWorld;

  beforeEach(async () => {
    world = await ServiceWorld.start();
  });

  afterEach(() => world.close());

  it('a run that exits 0 ends the task succeeded, with exit code 0 on the task and its attempt', async () => {
    const task = await world.started(alice);
    world.runtime.run(task.id).exits(0);

    await world.reconcile();

    const done = await world.task(task.id);
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, progressPermille: 1000 });
    expect(done.finishedAt).toEqual(world.clock.now());
    const [attempt] = await world.attempts(task.id);
    expect(attempt).toMatchObject({ number: 1, status: 'succeeded', exitCode: 0 });
  });

  it('a non-zero exit with retries left spends a retry and waits out the backoff before the next attempt', async () => {
    const task = await world.started(alice, { maxRetries: 2, retryBackoffSeconds: 10 });
    world.runtime.run(task.id).exits(3);

    await world.reconcile();

    const waiting = await world.task(task.id);
    expect(waiting).toMatchObject({ status: 'pending', retriesUsed: 1, exitCode: 3 });
    // the first retry waits between half and all of the base backoff (jitter)
    const delayMs = waiting.notBefore!.getTime() - world.clock.now().getTime();
    expect(delayMs).toBeGreaterThanOrEqual(5_000);
    expect(delayMs).toBeLessThanOrEqual(10_000);
    expect((await world.attempts(task.id))[0]).toMatchObject({ status: 'failed', exitCode: 3 });

    world.clock.advanceSeconds(4);
    await world.dispatch();
    expect((await world.task(task.id)).status).toBe('pending');
    expect(world.runtime.runsOf(task.id)).toHaveLength(1);

    world.clock.advanceSeconds(6);
    await world.dispatch();
    expect(await world.task(task.id)).toMatchObject({ status: 'running', attempt: 2 });
    expect(world.runtime.run(task.id).attempt).toBe(2);
  });

  it('a non-zero exit with no retries left fails the task with the exit code and the reason', async () => {
    const task = await world.started(alice, { maxRetries: 1 });
    world.runtime.run(task.id).exits(1);
    await world.reconcile();
    world.clock.advanceSeconds(60);
    await world.dispatch();
    world.runtime.run(task.id, 2).exits(7);

    await world.reconcile();

    const failed = await world.task(task.id);
    expect(failed).toMatchObject({ status: 'failed', exitCode: 7, retriesUsed: 1 });
    expect(failed.failureReason).toContain('code 7');
    expect(failed.finishedAt).not.toBeNull();
  });

  it('an exit code the task lists as not retried fails it at once, retries left or not', async () => {
    const task = await world.started(alice, { maxRetries: 3, noRetryExitCodes: [42] });
    world.runtime.run(task.id).exits(42);

    await world.reconcile();

    expect(await world.task(task.id)).toMatchObject({
      status: 'failed',
      exitCode: 42,
      retriesUsed: 0,
    });
  });

  it("a run's progress report shows on its task", async () => {
    const task = await world.started(alice);
    const progressEvent = world.nextEvent(task.id, 'progress');

    world.runtime.run(task.id).reportsProgress(0.25);

    await progressEvent;
    expect((await world.task(task.id)).progressPermille).toBe(250);
  });

  it("a run's metric points are kept as its attempt's series", async () => {
    const task = await world.started(alice);
    const run = world.runtime.run(task.id);

    run.reportsMetric({ name: 'loss', step: 1, value: 0.9 });
    run.reportsMetric({ name: 'loss', step: 2, value: 0.5 });

    const series = await world.metrics.series(task.id, { maxPoints: 100 });
    expect(series).toEqual([
      {
        name: 'loss',
        attempt: 1,
        points: [
          expect.objectContaining({ step: 1, value: 0.9 }),
          expect.objectContaining({ step: 2, value: 0.5 }),
        ],
      },
    ]);
  });

  it('progress reported by an earlier attempt does not touch the current one', async () => {
    const task = await world.started(alice, { maxRetries: 1 });
    const firstRun = world.runtime.run(task.id);
    firstRun.vanishes();
    await world.reconcile();
    await world.dispatch();
    const progressEvent = world.nextEvent(task.id, 'progress');
    world.runtime.run(task.id, 2).reportsProgress(0.1);
    await progressEvent;

    await world.reporter.saveProgress(firstRun.spec, 0.9);

    expect((await world.task(task.id)).progressPermille).toBe(100);
  });

  it('an outcome reported for an earlier attempt leaves the task and its current attempt alone', async () => {
    const firstAttempt = await world.started(alice, { maxRetries: 1 });
    world.runtime.run(firstAttempt.id).vanishes();
    await world.reconcile();
    await world.dispatch();
    const secondAttempt = await world.task(firstAttempt.id);
    expect(secondAttempt).toMatchObject({ status: 'running', attempt: 2 });

    await world.outcomes.settle(firstAttempt, 1, { state: 'succeeded', exitCode: 0 });
    await world.outcomes.settle(firstAttempt, 1, {
      state: 'failed',
      exitCode: 1,
      reason: 'late',
    });

    expect(await world.task(firstAttempt.id)).toMatchObject({
      status: 'running',
      attempt: 2,
      retriesUsed: 0,
      version: secondAttempt.version,
    });
    const attempts = await world.attempts(firstAttempt.id);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['lost', 'running']);
  });

  it('a cancel requested while the run is going ends the task cancelled once the run is stopped', async () => {
    const task = await world.started(alice);

    const cancelling = await world.tasks.cancel(alice, task.id);
    expect(cancelling.status).toBe('cancelling');
    expect(world.wakes.reconcile).toBeGreaterThan(0);
    expect(world.runtime.run(task.id).stops).toBe(0);

    await world.reconcile();

    expect(world.runtime.run(task.id).stops).toBe(1);
    const cancelled = await world.task(task.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.finishedAt).not.toBeNull();
    expect((await world.attempts(task.id))[0].status).toBe('cancelled');
  });
});
