import { CoalescingRunner } from './coalescing-runner';

describe('CoalescingRunner', () => {
  it('folds asks made during a pass into exactly one more pass', async () => {
    let passes = 0;
    let release!: () => void;
    const runner = new CoalescingRunner(async () => {
      passes++;
      if (passes === 1) await new Promise<void>((done) => (release = done));
    });
    const first = runner.run();
    const during = [runner.run(), runner.run(), runner.run()];
    release();
    await Promise.all([first, ...during]);
    expect(passes).toBe(2);
  });

  it('never runs two passes at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const runner = new CoalescingRunner(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight--;
    });
    await Promise.all(Array.from({ length: 20 }, () => runner.run()));
    expect(maxInFlight).toBe(1);
  });
});
