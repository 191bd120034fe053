// Which pending tasks the dispatcher starts: within each queue's capacity, by priority
// then age, and only once what they depend on has succeeded.
import { ServiceWorld, member } from '../support/service-world';

const alice = member('alice');

describe('dispatcher', () => {
  let world: ServiceWorld;

  beforeEach(async () => {
    world = await ServiceWorld.start({
      queues: [
        { name: 'default', maxRunning: 4 },
        { name: 'single', maxRunning: 1 },
        { name: 'pair', maxRunning: 2 },
      ],
    });
  });

  afterEach(() => world.close());

  async function statuses(ids: string[]) {
    return Promise.all(ids.map(async (id) => (await world.task(id)).status));
  }

  it("never runs more of a queue's tasks at once than its maxRunning", async () => {
    const tasks = [];
    for (let i = 0; i < 3; i++) {
      tasks.push(await world.submit(alice, { queue: 'pair' }));
      world.clock.advance(1); // submitted in this order
    }
    const elsewhere = await world.submit(alice, { queue: 'default' });
    const ids = tasks.map((task) => task.id);

    await world.dispatch();

    expect(await statuses(ids)).toEqual(['running', 'running', 'pending']);
    expect((await world.task(elsewhere.id)).status).toBe('running');

    await world.dispatch();
    expect((await world.task(ids[2])).status).toBe('pending');

    world.runtime.run(ids[0]).exits(0);
    await world.reconcile();
    await world.dispatch();

    expect(await statuses(ids)).toEqual(['succeeded', 'running', 'running']);
  });

  it('starts the highest priority first, then the oldest among equals', async () => {
    const low = await world.submit(alice, { queue: 'single', priority: 0 });
    world.clock.advance(1);
    const olderHigh = await world.submit(alice, { queue: 'single', priority: 5 });
    world.clock.advance(1);
    const newerHigh = await world.submit(alice, { queue: 'single', priority: 5 });
    const order: string[] = [];

    for (let slot = 0; slot < 3; slot++) {
      await world.dispatch();
      const [run] = world.runtime.activeRuns();
      order.push(run.taskId);
      run.exits(0);
      await world.reconcile();
    }

    expect(order).toEqual([olderHigh.id, newerHigh.id, low.id]);
  });

  it('a task whose dependencies have not all succeeded stays pending', async () => {
    const first = await world.submit(alice);
    const second = await world.submit(alice);
    const dependent = await world.submit(alice, { dependsOn: [first.id, second.id] });

    await world.dispatch();
    expect(await statuses([first.id, second.id, dependent.id])).toEqual([
      'running',
      'running',
      'pending',
    ]);

    world.runtime.run(first.id).exits(0);
    await world.reconcile();
    await world.dispatch();
    expect((await world.task(dependent.id)).status).toBe('pending');

    world.runtime.run(second.id).exits(0);
    await world.reconcile();
    await world.dispatch();
    expect((await world.task(dependent.id)).status).toBe('running');
  });

  it('a task whose dependency failed for good fails instead of waiting forever', async () => {
    const first = await world.started(alice);
    const dependent = await world.submit(alice, { dependsOn: [first.id] });
    world.runtime.run(first.id).exits(1);
    await world.reconcile();

    await world.dispatch();

    const failed = await world.task(dependent.id);
    expect(failed.status).toBe('failed');
    expect(world.runtime.runsOf(dependent.id)).toHaveLength(0);
  });

  it('a task retried with backoff is not started before its time, and others go first', async () => {
    const retried = await world.started(alice, {
      queue: 'single',
      maxRetries: 1,
      retryBackoffSeconds: 100,
    });
    world.runtime.run(retried.id).exits(1);
    await world.reconcile();
    const other = await world.submit(alice, { queue: 'single' });

    await world.dispatch();

    expect(await statuses([retried.id, other.id])).toEqual(['pending', 'running']);
  });
});

describe('dispatcher with a limit of 2 running tasks per user', () => {
  let world: ServiceWorld;

  beforeEach(async () => {
    world = await ServiceWorld.start({ env: { KILN_USER_MAX_RUNNING: '2' } });
  });

  afterEach(() => world.close());

  it("never runs more of one user's tasks at once than the limit, while others' still start", async () => {
    const bob = member('bob');
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push((await world.submit(alice)).id);
    const bobs = await world.submit(bob);

    await world.dispatch();

    const running = world.runtime.activeRuns().map((run) => run.taskId);
    expect(running.filter((id) => mine.includes(id))).toHaveLength(2);
    expect(running).toContain(bobs.id);
  });
});
