import type { UsageSnapshot } from './capacity.service';
import { DispatchCandidate, fairOrder, planDispatch } from './dispatch-plan';

const task = (id: string, ownerId: string, priority = 0, gpu = 0): DispatchCandidate => ({
  id,
  ownerId,
  queue: 'default',
  priority,
  gpu,
});
const emptyUsage = (): UsageSnapshot => ({
  byQueue: new Map(),
  byUser: new Map(),
  replicasByUser: new Map(),
});
const limits = (maxRunning = 100, maxGpus = 100) =>
  new Map(['alice', 'bob', 'carol'].map((u) => [u, { maxRunning, maxGpus, maxPending: 100 }]));
const queues = (maxRunning: number, maxGpus = 0) => new Map([['default', { maxRunning, maxGpus }]]);

describe('planDispatch', () => {
  it('starts nothing of a paused queue, however much room it has', () => {
    const paused = new Map([['default', { maxRunning: 10, maxGpus: 0, paused: true }]]);
    expect(planDispatch([task('a', 'alice')], emptyUsage(), paused, limits())).toEqual([]);
  });

  it('starts higher priority first and stops at the queue capacity', () => {
    const plan = planDispatch(
      [task('high', 'alice', 5), task('mid', 'bob', 1), task('low', 'carol', 0)],
      emptyUsage(),
      queues(2),
      limits(),
    );
    expect(plan.map((t) => t.id)).toEqual(['high', 'mid']);
  });

  it('shares equal priority round-robin across users', () => {
    const sorted = [
      task('a1', 'alice'),
      task('a2', 'alice'),
      task('a3', 'alice'),
      task('b1', 'bob'),
      task('c1', 'carol'),
    ];
    expect(fairOrder(sorted).map((t) => t.id)).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
    expect(planDispatch(sorted, emptyUsage(), queues(3), limits()).map((t) => t.id)).toEqual([
      'a1',
      'b1',
      'c1',
    ]);
  });

  it('counts runs already active against the queue and the user', () => {
    const usage = emptyUsage();
    usage.byQueue.set('default', { runs: 3, gpus: 0 });
    usage.byUser.set('alice', { runs: 2, gpus: 0 });
    const plan = planDispatch(
      [task('a1', 'alice'), task('b1', 'bob'), task('b2', 'bob')],
      usage,
      queues(5),
      limits(2),
    );
    expect(plan.map((t) => t.id)).toEqual(['b1', 'b2']);
  });

  it('skips a task whose GPUs do not fit and starts smaller ones behind it', () => {
    const plan = planDispatch(
      [task('big', 'alice', 0, 4), task('small', 'bob', 0, 1)],
      emptyUsage(),
      queues(10, 2),
      limits(),
    );
    expect(plan.map((t) => t.id)).toEqual(['small']);
  });

  it('holds a user to their GPU quota', () => {
    const plan = planDispatch(
      [task('a1', 'alice', 0, 2), task('a2', 'alice', 0, 2)],
      emptyUsage(),
      queues(10, 8),
      limits(10, 3),
    );
    expect(plan.map((t) => t.id)).toEqual(['a1']);
  });
});
