import { Logger } from '@nestjs/common';
import { LeaderLoop } from './leader-loop';

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
