import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { MemoryLeaderLock } from '../../infra/lock/drivers/memory-leader-lock';
import { LEADER_LOCK } from '../../infra/lock/leader-lock.port';
import { waitUntil } from '../wait-until';
import { LeaderInterval, LeaderLoop } from './leader-loop';
import { SchedulingModule } from './scheduling.module';

/** A loop whose passes wait until released, to act while one is under way. */
function gatedLoop() {
  const state = { leader: true, passes: 0, failNext: false };
  const gates: Array<() => void> = [];
  let passStarted: () => void = () => undefined;
  const loop = new LeaderLoop({
    name: 'test',
    isLeader: () => state.leader,
    pass: async () => {
      state.passes++;
      passStarted();
      await new Promise<void>((release) => gates.push(release));
      if (state.failNext) {
        state.failNext = false;
        throw new Error('database down');
      }
    },
  });
  const nextPass = () => new Promise<void>((started) => (passStarted = started));
  const releaseAll = () => gates.splice(0).forEach((release) => release());
  return { loop, state, nextPass, releaseAll };
}

describe('LeaderLoop', () => {
  let errors: jest.SpyInstance;

  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('folds wakes and ticks made during a pass into exactly one more pass', async () => {
    const { loop, state, nextPass, releaseAll } = gatedLoop();
    const first = nextPass();
    loop.wake();
    await first;
    const second = nextPass();
    loop.wake();
    loop.wake();
    const tick = loop.tick();
    releaseAll();
    await second;
    releaseAll();
    await tick;
    expect(state.passes).toBe(2);
  });

  it('logs a failed woken pass and runs again at the next wake', async () => {
    const outcomes = ['database down', 'ok'];
    const passed: string[] = [];
    let passDone: () => void = () => undefined;
    const loop = new LeaderLoop({
      name: 'test',
      isLeader: () => true,
      pass: async () => {
        const outcome = outcomes.shift()!;
        if (outcome !== 'ok') throw new Error(outcome);
        passed.push(outcome);
        passDone();
      },
    });
    const logged = new Promise<void>((done) => errors.mockImplementation(() => done()));
    loop.wake();
    await logged;
    expect(errors).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error) }),
      'test pass failed; the next tick tries again',
    );

    const second = new Promise<void>((done) => (passDone = done));
    loop.wake();
    await second;
    expect(passed).toEqual(['ok']);
  });

  it('rejects a failed tick, for the leader-only runner to count and log', async () => {
    const { loop, state, nextPass, releaseAll } = gatedLoop();
    state.failNext = true;
    const started = nextPass();
    const tick = loop.tick();
    await started;
    releaseAll();
    await expect(tick).rejects.toThrow('database down');
  });

  it('does not wake on a process that is not leader', async () => {
    const { loop, state } = gatedLoop();
    state.leader = false;
    loop.wake();
    await new Promise(setImmediate);
    expect(state.passes).toBe(0);
  });

  it('drops the pass folded in once leadership is lost during a pass', async () => {
    const { loop, state, nextPass, releaseAll } = gatedLoop();
    const first = nextPass();
    const tick = loop.tick();
    await first;
    loop.wake();
    state.leader = false;
    releaseAll();
    await tick;
    expect(state.passes).toBe(1);
  });
});

describe('@LeaderInterval', () => {
  @Injectable()
  class Ticking {
    ticks = 0;

    @LeaderInterval('leader-interval-test', 10)
    tick(): Promise<void> {
      this.ticks++;
      return Promise.resolve();
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

  it('schedules the tick under its name and runs it on the leader only', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LockForTest, SchedulingModule],
      providers: [Ticking],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    try {
      expect(moduleRef.get(SchedulerRegistry).getIntervals()).toContain('leader-interval-test');
      const ticking = moduleRef.get(Ticking);
      await ticking.tick();
      expect(ticking.ticks).toBe(0);

      moduleRef.get<MemoryLeaderLock>(LEADER_LOCK).start();
      const ticked = await waitUntil(() => ticking.ticks > 0, { timeoutMs: 5_000, intervalMs: 5 });
      expect(ticked.satisfied).toBe(true);
    } finally {
      await moduleRef.close();
    }
  });
});
