import { LocalListeners } from './local-listeners';
import { Wakeups } from './wakeups.port';

/** Wakes within this process only: the embedded mode, where it is the only one. */
export class MemoryWakeups implements Wakeups {
  readonly driver = 'memory';
  private readonly listeners = new LocalListeners();

  on(topic: string, listener: () => void): void {
    this.listeners.add(topic, listener);
  }

  wake(topic: string): void {
    this.listeners.call(topic);
  }
}
