// Values read from the database and kept for a moment on a hot path, with a change
// signal over the wakeups bus: whoever changes what they were read from calls `changed`
// once the change is committed, and every replica's cache of that topic empties
// (synchronously in the replica that changed it, over Redis pub/sub in the others). A
// read that began before a change does not store what it found. `maxAgeMs` bounds how
// long a value can outlive a change whose message was lost (pub/sub is best effort).
import type { Wakeups } from './wakeups.port';

/** Entries kept at most; past it the cache starts over rather than track recency. */
const MAX_ENTRIES = 10_000;

/** What a read found, and until when (ms since the epoch) it may be kept at most. */
export interface Loaded<V> {
  value: V;
  expiresAt?: number;
}

interface Entry<V> {
  value: V;
  until: number;
}

export class SignalledCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;

  /** `maxAgeMs` 0 keeps nothing: every read loads. */
  constructor(
    private readonly wakeups: Wakeups,
    private readonly topic: string,
    private readonly maxAgeMs: number,
  ) {
    wakeups.on(topic, () => {
      this.generation++;
      this.entries.clear();
    });
  }

  /** The value of `key` kept from a moment ago, else what `load` finds now (kept in turn). */
  async read(key: string, load: () => Promise<Loaded<V>>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.until > Date.now()) return entry.value;
    const generation = this.generation;
    const { value, expiresAt } = await load();
    // a change landed while the load ran: what it found may be what changed
    if (this.maxAgeMs > 0 && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      const until = Math.min(Date.now() + this.maxAgeMs, expiresAt ?? Infinity);
      this.entries.set(key, { value, until });
    }
    return value;
  }

  /** To be called once a change to what the values were read from is committed. */
  changed(): void {
    // the local listener runs synchronously, before this returns
    this.wakeups.wake(this.topic);
  }

  /** Calls `listener` after each change, on every replica, once the cache is empty. */
  onChange(listener: () => void): void {
    this.wakeups.on(this.topic, listener);
  }
}
