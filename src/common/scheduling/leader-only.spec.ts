import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { Interval, SchedulerRegistry, Timeout } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { MemoryLeaderLock } from '../../infra/lock/drivers/memory-leader-lock';
import { LEADER_LOCK } from '../../infra/lock/leader-lock.port';
import { waitUntil } from '../wait-until';
import { bindLeaderOnlyRunner, LeaderOnly } from './leader-only.decorator';
import { LeaderOnlyRunner } from './leader-only.runner';
import { ScheduledRunsPrometheus } from './scheduled-runs.prometheus';
import { SchedulingModule } from './scheduling.module';

class Dispatcher {
  readonly signals: AbortSignal[] = [];
  release?: () => void;
  failWith?: Error;

  @LeaderOnly('dispatch')
  async tick(signal?: AbortSignal): Promise<void> {
    this.signals.push(signal!);
    if (this.failWith) throw this.failWith;
    await new Promise<void>((resolve) => (this.release = resolve));
  }
}

async function runsOf(registry: Registry, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric('kiln_scheduled_runs_total')!.get();
  return metric.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

describe('@LeaderOnly', () => {
  let lock: MemoryLeaderLock;
  let registry: Registry;
  let dispatcher: Dispatcher;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    lock = new MemoryLeaderLock();
    registry = new Registry();
    dispatcher = new Dispatcher();
    bindLeaderOnlyRunner(
      dispatcher,
      new LeaderOnlyRunner(lock, new ScheduledRunsPrometheus(registry)),
    );
  });

  afterEach(() => jest.restoreAllMocks());

  it('does nothing on a process that is not leader', async () => {
    await dispatcher.tick();
    expect(dispatcher.signals).toEqual([]);
  });

  it("runs on the leader with the term's signal as first argument", async () => {
    lock.start();
    const run = dispatcher.tick();
    expect(dispatcher.signals).toEqual([lock.term!.signal]);
    dispatcher.release!();
    await run;
    expect(await runsOf(registry, 'success')).toBe(1);
  });

  it('skips a tick while its previous run is still going, and counts it', async () => {
    lock.start();
    const first = dispatcher.tick();
    await dispatcher.tick();
    expect(dispatcher.signals).toHaveLength(1);
    expect(await runsOf(registry, 'skipped')).toBe(1);
    dispatcher.release!();
    await first;
    const third = dispatcher.tick();
    expect(dispatcher.signals).toHaveLength(2);
    dispatcher.release!();
    await third;
  });

  it('aborts the signal when leadership ends mid-run', async () => {
    lock.start();
    const run = dispatcher.tick();
    await lock.stop();
    expect(dispatcher.signals[0].aborted).toBe(true);
    dispatcher.release!();
    await run;
  });

  it('logs and counts a failing run without throwing', async () => {
    lock.start();
    dispatcher.failWith = new Error('database down');
    await expect(dispatcher.tick()).resolves.toBeUndefined();
    expect(await runsOf(registry, 'error')).toBe(1);
    expect(Logger.prototype.error).toHaveBeenCalled();
  });

  it('fails closed on an instance no runner is bound to', async () => {
    lock.start();
    const unbound = new Dispatcher();
    await unbound.tick();
    expect(unbound.signals).toEqual([]);
  });
});

describe('@LeaderOnly with @nestjs/schedule', () => {
  @Injectable()
  class Jobs {
    runs: string[] = [];

    @LeaderOnly()
    @Timeout('leader-only-below', 1)
    below(signal: AbortSignal): void {
      this.runs.push(`below:${signal instanceof AbortSignal}`);
    }

    @Interval('leader-only-above', 60_000)
    @LeaderOnly()
    above(): void {
      this.runs.push('above');
    }
  }

  @Global()
  @Module({
    providers: [
      { provide: LEADER_LOCK, useFactory: () => new MemoryLeaderLock() },
      { provide: Registry, useFactory: () => new Registry() },
    ],
    exports: [LEADER_LOCK, Registry],
  })
  class LockForTest {}

  it('keeps the schedule of either decorator order and binds the runner before the first tick', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LockForTest, SchedulingModule],
      providers: [Jobs],
    }).compile();
    moduleRef.useLogger(false);
    moduleRef.get<MemoryLeaderLock>(LEADER_LOCK).start();
    await moduleRef.init();
    try {
      const schedules = moduleRef.get(SchedulerRegistry);
      expect(schedules.getTimeouts()).toContain('leader-only-below');
      expect(schedules.getIntervals()).toContain('leader-only-above');
      const jobs = moduleRef.get(Jobs);
      await waitUntil(() => jobs.runs.length > 0, { timeoutMs: 5_000, intervalMs: 5 });
      expect(jobs.runs).toEqual(['below:true']);
    } finally {
      await moduleRef.close();
    }
  });
});
