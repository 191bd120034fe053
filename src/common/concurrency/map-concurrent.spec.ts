import { mapConcurrent } from './map-concurrent';

/** A call whose completion the test controls, to hold calls in flight. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('mapConcurrent', () => {
  it('never has more than `limit` calls in flight, and runs them all', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const items = Array.from({ length: 50 }, (_, index) => index);
    const results = await mapConcurrent(items, 4, async (item) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Finish out of order, so a lane frees up at unpredictable times.
      for (let tick = 0; tick < (item * 7) % 5; tick++) await Promise.resolve();
      inFlight--;
      return item * 2;
    });
    expect(maxInFlight).toBe(4);
    expect(results).toEqual(items.map((item) => item * 2));
  });

  it('returns results in the order of the items, not of completion', async () => {
    const gates = [gate(), gate(), gate()];
    const results = mapConcurrent([0, 1, 2], 3, async (index) => {
      await gates[index].opened;
      return `item ${index}`;
    });
    gates[2].open();
    gates[0].open();
    gates[1].open();
    await expect(results).resolves.toEqual(['item 0', 'item 1', 'item 2']);
  });

  it('starts the next call only when one in flight finishes', async () => {
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const results = mapConcurrent([0, 1, 2], 2, async (index) => {
      started.push(index);
      await gates[index].opened;
      return index;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[0].open();
    gates[2].open();
    await expect(results).resolves.toEqual([0, 1, 2]);
  });

  it('rejects with the first error and starts no further calls', async () => {
    const started: number[] = [];
    const failure = new Error('executor down');
    const results = mapConcurrent([0, 1, 2, 3, 4], 1, async (index) => {
      started.push(index);
      if (index === 1) throw failure;
      return index;
    });
    await expect(results).rejects.toBe(failure);
    expect(started).toEqual([0, 1]);
  });

  it('handles an empty list and refuses a limit below 1', async () => {
    await expect(mapConcurrent([], 3, () => Promise.resolve(1))).resolves.toEqual([]);
    await expect(mapConcurrent([1], 0, () => Promise.resolve(1))).rejects.toThrow(RangeError);
  });
});
