// Reads a Server-Sent Events stream with fetch, for tests: collects events until a
// predicate holds or the stream ends.
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseReader {
  events: SseEvent[];
  /** Resolves once an event satisfies `predicate` (checked against all so far). */
  waitFor(
    predicate: (event: SseEvent, all: SseEvent[]) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<SseReader> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  if (response.status !== 200)
    throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseFrame(frame);
          if (event) {
            events.push(event);
            waiters.forEach((check) => check());
          }
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      waiters.forEach((check) => check());
    }
  })();
  let done = false;
  void ended.finally(() => (done = true));
  return {
    events,
    ended,
    close: () => abort.abort(),
    waitFor(predicate, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`SSE: condition not met in ${timeoutMs} ms; got ${JSON.stringify(events)}`),
          );
        }, timeoutMs);
        const check = () => {
          if (events.some((event) => predicate(event, events))) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (done) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`SSE stream ended first; got ${JSON.stringify(events)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function parseFrame(frame: string): SseEvent | undefined {
  const event: SseEvent = { event: 'message', data: '' };
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  event.data = data.join('\n');
  return event;
}
