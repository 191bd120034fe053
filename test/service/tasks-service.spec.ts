// The tasks service's commands as a user issues them: submit, cancel, retry, clone, and
// who may see what.
import { NotFoundError } from '../../src/common/errors/domain-error';
import type { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { ServiceWorld, member } from '../support/service-world';

const alice = member('alice');
const bob = member('bob');

const spec = {
  name: 'resnet',
  description: 'baseline',
  labels: { team: 'vision' },
  priority: 3,
  command: ['python', 'train.py', '--epochs', '3'],
  env: { DATASET: 'imagenet' },
  hyperparameters: { lr: 0.1, layers: [64, 128] },
  resources: { cpu: 2, memoryMiB: 4096, gpu: 0 },
  maxRetries: 2,
  retryBackoffSeconds: 30,
  timeoutSeconds: 3600,
  noRetryExitCodes: [2],
};

/** The fields of a task that make up what the user asked for. */
const SPEC_FIELDS = [
  'name',
  'description',
  'labels',
  'queue',
  'priority',
  'command',
  'shell',
  'image',
  'workingDir',
  'env',
  'hyperparameters',
  'cpuMillis',
  'memoryMiB',
  'gpu',
  'maxRetries',
  'retryBackoffSeconds',
  'timeoutSeconds',
  'noRetryExitCodes',
  'dependsOn',
] as const satisfies ReadonlyArray<keyof Task>;

function specOf(task: Task): Pick<Task, (typeof SPEC_FIELDS)[number]> {
  return Object.fromEntries(SPEC_FIELDS.map((field) => [field, task[field]])) as Pick<
    Task,
    (typeof SPEC_FIELDS)[number]
  >;
}

describe('tasks service', () => {
  let world: ServiceWorld;

  beforeEach(async () => {
    world = await ServiceWorld.start();
  });

  afterEach(() => world.close());

  it('submit stores a pending task with its spec and asks for a dispatch', async () => {
    const { task } = await world.tasks.submit(alice, spec);

    const stored = await world.tasks.get(alice, task.id);
    const { resources, ...rest } = spec;
    expect(stored).toMatchObject({
      ...rest,
      cpuMillis: resources.cpu * 1000,
      memoryMiB: resources.memoryMiB,
      gpu: resources.gpu,
      ownerId: alice.userId,
      queue: 'default',
      status: 'pending',
      attempt: 0,
      retriesUsed: 0,
    });
    const events = await world.tasks.events(alice, task.id);
    expect(events).toEqual([
      expect.objectContaining({ toStatus: 'pending', actor: alice.userId, reason: 'submitted' }),
    ]);
    expect(world.wakes.dispatch).toBe(1);
  });

  it('submit leaves out nothing the run needs: the run gets the stored spec', async () => {
    const { task } = await world.tasks.submit(alice, spec);
    await world.dispatch();

    expect(world.runtime.run(task.id).spec).toMatchObject({
      command: spec.command,
      hyperparameters: spec.hyperparameters,
      resources: spec.resources,
      timeoutSeconds: spec.timeoutSeconds,
      env: expect.objectContaining(spec.env),
    });
  });

  it('submit with an Idempotency-Key already used returns the first task and makes no other', async () => {
    const first = await world.tasks.submit(alice, spec, 'key-1');
    const again = await world.tasks.submit(alice, spec, 'key-1');

    expect(again).toEqual({ task: expect.objectContaining({ id: first.task.id }), replayed: true });
  });

  it("submit of a spec the queue's runtime could never run is refused, and nothing is stored", async () => {
    world.runtime.refusesSpecs({ field: 'image', message: 'is required on this runtime' });
    await expect(world.tasks.submit(alice, spec, 'key-1')).rejects.toMatchObject({
      status: 400,
      fieldProblems: [{ field: 'image', message: 'is required on this runtime' }],
    });
    expect(world.wakes.dispatch).toBe(0);

    // the refused submit kept nothing, not even its Idempotency-Key
    world.runtime.refusesSpecs();
    const { task } = await world.tasks.submit(alice, spec, 'key-1');
    expect(await world.task(task.id)).toMatchObject({ name: 'resnet', status: 'pending' });
  });

  it('cancel of a pending task is immediate and final', async () => {
    const task = await world.submit(alice);

    const cancelled = await world.tasks.cancel(alice, task.id);

    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.finishedAt).toEqual(world.clock.now());
    await world.dispatch();
    expect(world.runtime.launchCalls).toHaveLength(0);
    expect((await world.task(task.id)).status).toBe('cancelled');
  });

  it('cancel of a cancelled task changes nothing', async () => {
    const task = await world.submit(alice);
    const cancelled = await world.tasks.cancel(alice, task.id);

    const again = await world.tasks.cancel(alice, task.id);

    expect(again).toEqual(cancelled);
  });

  it('retry of a failed task makes a new attempt with its retries restored', async () => {
    const task = await world.started(alice);
    world.runtime.run(task.id).exits(1);
    await world.reconcile();
    expect((await world.task(task.id)).status).toBe('failed');

    const retried = await world.tasks.retry(alice, task.id);
    expect(retried).toMatchObject({
      status: 'pending',
      retriesUsed: 0,
      exitCode: null,
      failureReason: null,
      finishedAt: null,
    });
    await world.dispatch();

    expect(await world.task(task.id)).toMatchObject({ status: 'running', attempt: 2 });
    expect(world.runtime.runsOf(task.id).map((run) => run.attempt)).toEqual([1, 2]);
    const attempts = await world.attempts(task.id);
    expect(attempts.map((attempt) => [attempt.number, attempt.status])).toEqual([
      [1, 'failed'],
      [2, 'running'],
    ]);
  });

  it('retry of a task that is still running is refused', async () => {
    const task = await world.started(alice);

    await expect(world.tasks.retry(alice, task.id)).rejects.toThrow();

    expect(await world.task(task.id)).toMatchObject({ status: 'running', attempt: 1 });
  });

  it('clone copies the spec into a new pending task of the caller', async () => {
    const { task: source } = await world.tasks.submit(alice, spec);
    await world.dispatch();

    await expect(world.tasks.clone(bob, source.id)).rejects.toThrow(NotFoundError);
    const copy = await world.tasks.clone(alice, source.id);

    expect(copy.id).not.toBe(source.id);
    expect(copy).toMatchObject({ status: 'pending', attempt: 0, ownerId: alice.userId });
    expect(specOf(await world.tasks.get(alice, copy.id))).toEqual(
      specOf(await world.tasks.get(alice, source.id)),
    );
    const [created] = await world.tasks.events(alice, copy.id);
    expect(created.reason).toBe(`cloned from ${source.id}`);
  });

  it("a user cannot see, cancel or retry another user's task", async () => {
    const task = await world.submit(alice);

    await expect(world.tasks.get(bob, task.id)).rejects.toThrow(NotFoundError);
    await expect(world.tasks.cancel(bob, task.id)).rejects.toThrow(NotFoundError);
    await expect(world.tasks.retry(bob, task.id)).rejects.toThrow(NotFoundError);
    await expect(world.tasks.events(bob, task.id)).rejects.toThrow(NotFoundError);

    expect((await world.task(task.id)).status).toBe('pending');
  });
});
