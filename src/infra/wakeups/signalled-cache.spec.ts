import { MemoryWakeups } from './memory-wakeups';
import { type Loaded, SignalledCache } from './signalled-cache';

const TOPIC = 'test.changed';

/** Two replicas' caches on one wakeups bus, as Redis pub/sub joins them. */
function replicas(maxAgeMs = 1000): [SignalledCache<string>, SignalledCache<string>] {
  const wakeups = new MemoryWakeups();
  return [
    new SignalledCache(wakeups, TOPIC, maxAgeMs),
    new SignalledCache(wakeups, TOPIC, maxAgeMs),
  ];
}

/** A load that counts its calls and answers `value` (then the next of `values`). */
function loader(...values: string[]) {
  let calls = 0;
  const load = async (): Promise<Loaded<string>> => ({
    value: values[Math.min(calls++, values.length - 1)],
  });
  return { load, calls: () => calls };
}

describe('SignalledCache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers what it read a moment ago without reading again, until its time is up', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const [cache] = replicas(1000);
    const source = loader('first', 'second');
    expect(await cache.read('k', source.load)).toBe('first');

    jest.setSystemTime(1_000_999);
    expect(await cache.read('k', source.load)).toBe('first');
    jest.setSystemTime(1_001_000);
    expect(await cache.read('k', source.load)).toBe('second');
    expect(source.calls()).toBe(2);
  });

  it('keeps a value no longer than the load said it lives', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const [cache] = replicas(1000);
    let calls = 0;
    const load = async () => ({ value: `v${++calls}`, expiresAt: 1_000_300 });
    await cache.read('k', load);

    jest.setSystemTime(1_000_300);
    expect(await cache.read('k', load)).toBe('v2');
  });

  it('reads again on every replica once one of them reports a change', async () => {
    const [here, there] = replicas();
    const source = loader('before', 'after');
    await here.read('k', source.load);
    await there.read('k', source.load);

    here.changed();

    expect(await here.read('k', source.load)).toBe('after');
    expect(await there.read('k', source.load)).toBe('after');
  });

  it('does not keep what a read found before a change that landed while it ran', async () => {
    const [here, there] = replicas();
    let calls = 0;
    const changedMeanwhile = async () => {
      calls++;
      if (calls === 1) there.changed();
      return { value: `read ${calls}` };
    };
    expect(await here.read('k', changedMeanwhile)).toBe('read 1');
    expect(await here.read('k', changedMeanwhile)).toBe('read 2');
  });

  it('keeps nothing when its age is 0', async () => {
    const [cache] = replicas(0);
    const source = loader('a');
    await cache.read('k', source.load);
    await cache.read('k', source.load);
    expect(source.calls()).toBe(2);
  });

  it('tells the listeners of every replica of a change', () => {
    const [here, there] = replicas();
    const heard: string[] = [];
    here.onChange(() => heard.push('here'));
    there.onChange(() => heard.push('there'));

    there.changed();

    expect(heard).toEqual(['here', 'there']);
  });
});
