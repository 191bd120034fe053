// Server-Sent Events over fetch (Node has no EventSource), with the parsing left to
// eventsource-parser. A dropped connection is reopened with Last-Event-ID, which Kiln
// honours on both of its streams, so a reader sees every event once.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { problemOf } from './problem';
import type { FetchLike } from './token-session';

export interface SseEvent {
  id?: string;
  /** `message` when the server names none. */
  event: string;
  data: string;
}

export interface SseOptions {
  /** Resume after this event id. */
  lastEventId?: string;
  signal?: AbortSignal;
  /** Stop after yielding an event of this name (the server's "that was all"). */
  endEvent?: string;
  /** Reopen a dropped stream this many times in a row before giving up. */
  maxReconnects?: number;
  reconnectDelayMs?: number;
}

export async function* readSse(
  fetchFn: FetchLike,
  url: string,
  options: SseOptions = {},
): AsyncGenerator<SseEvent> {
  let lastEventId = options.lastEventId;
  let failures = 0;
  let delayMs = options.reconnectDelayMs ?? 1000;
  for (;;) {
    let received = false;
    try {
      for await (const event of openOnce(fetchFn, url, lastEventId, options.signal, (ms) => {
        delayMs = ms;
      })) {
        received = true;
        if (event.id !== undefined) lastEventId = event.id;
        yield event;
        if (options.endEvent !== undefined && event.event === options.endEvent) return;
      }
    } catch (error) {
      if (options.signal?.aborted) return; // the reader closed it
      if (!isNetworkError(error)) throw error;
    }
    if (options.signal?.aborted) return;
    failures = received ? 0 : failures + 1;
    if (failures > (options.maxReconnects ?? 10))
      throw new Error(`The event stream at ${url} kept closing`);
    await delay(delayMs, options.signal);
  }
}

async function* openOnce(
  fetchFn: FetchLike,
  url: string,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
  onRetry: (ms: number) => void,
): AsyncGenerator<SseEvent> {
  const headers = new Headers({ accept: 'text/event-stream' });
  if (lastEventId !== undefined) headers.set('last-event-id', lastEventId);
  const response = await fetchFn(new Request(url, { headers, signal }));
  if (!response.ok) throw await problemOf(response);
  if (!response.body) return;
  const pending: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => pending.push(toEvent(message)),
    onRetry,
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (pending.length) yield pending.shift()!;
  }
}

function toEvent(message: EventSourceMessage): SseEvent {
  return { id: message.id, event: message.event ?? 'message', data: message.data };
}

/** fetch rejects with a TypeError when the connection fails or drops mid-body. */
function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error as { code?: string })?.code === 'ECONNRESET';
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
