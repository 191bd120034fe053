import { MemoryWakeups } from './memory-wakeups';

describe('MemoryWakeups', () => {
  it('calls every listener of the woken topic at once, and no other', () => {
    const wakeups = new MemoryWakeups();
    const heard: string[] = [];
    wakeups.on('dispatch', () => heard.push('dispatch 1'));
    wakeups.on('dispatch', () => heard.push('dispatch 2'));
    wakeups.on('reconcile', () => heard.push('reconcile'));

    wakeups.wake('dispatch');

    expect(heard).toEqual(['dispatch 1', 'dispatch 2']);
  });

  it('ignores a wake nobody listens to', () => {
    expect(() => new MemoryWakeups().wake('nobody')).not.toThrow();
  });
});
