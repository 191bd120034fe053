// The live task events as they arrive, for readers that must not miss one while a request
// is in flight (see readMissingNothing). The event stream publishes here; no imports, so
// the query functions can listen without a cycle through the stream's module.
import type { LiveTaskEvent } from '../api/types';

type Listener = (event: LiveTaskEvent) => void;

const listeners = new Set<Listener>();

export function publishTaskEvent(event: LiveTaskEvent): void {
  for (const listener of listeners) listener(event);
}

/**
 * Reads with `read` and folds into its answer every task event that arrived while it was
 * in flight. An event the stream delivers during a read finds no cached answer to update
 * (the query is still pending), and the answer may have been read before the change: so
 * without this, a task that ends while its list loads would show its old status for good.
 * Folding an event the answer already reflects changes nothing.
 */
export async function readMissingNothing<T>(
  read: () => Promise<T>,
  fold: (value: T, event: LiveTaskEvent) => T,
): Promise<T> {
  const arrived: LiveTaskEvent[] = [];
  const listener: Listener = (event) => arrived.push(event);
  listeners.add(listener);
  try {
    return arrived.reduce(fold, await read());
  } finally {
    listeners.delete(listener);
  }
}
