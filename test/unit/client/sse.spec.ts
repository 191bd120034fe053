import { readSse } from '@kiln/client';

/** A stream that sends `frames` and then, unless `end`, drops the connection. */
function sseResponse(frames: string[], drop: boolean): Response {
  const encoder = new TextEncoder();
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent < frames.length) controller.enqueue(encoder.encode(frames[sent++]));
      else if (drop) controller.error(new TypeError('terminated'));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

describe('the client’s SSE reader', () => {
  it('reopens a dropped stream with the Last-Event-ID of the last event it yielded', async () => {
    const asked: Array<string | null> = [];
    const fetch = async (request: Request) => {
      asked.push(request.headers.get('last-event-id'));
      return asked.length === 1
        ? sseResponse(['id: 0\ndata: first\n\n', 'id: 1\ndata: second\n\n'], true)
        : sseResponse(['id: 2\ndata: third\n\n', 'event: end\ndata: {}\n\n'], false);
    };
    const seen: string[] = [];
    for await (const event of readSse(fetch, 'http://kiln.test/stream', {
      endEvent: 'end',
      reconnectDelayMs: 1,
    }))
      seen.push(`${event.event}:${event.data}`);
    expect(seen).toEqual(['message:first', 'message:second', 'message:third', 'end:{}']);
    expect(asked).toEqual([null, '1']);
  });

  it('throws the problem the server answers instead of a stream', async () => {
    const fetch = async () =>
      new Response(
        JSON.stringify({ title: 'Too Many Requests', status: 429, detail: 'slow down' }),
        {
          status: 429,
          headers: { 'content-type': 'application/problem+json' },
        },
      );
    const stream = readSse(fetch, 'http://kiln.test/stream');
    await expect(stream.next()).rejects.toMatchObject({ status: 429, detail: 'slow down' });
  });

  it('ends quietly when its reader aborts, without reopening', async () => {
    let opened = 0;
    const stop = new AbortController();
    const fetch = async (request: Request) => {
      opened++;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('id: 7\ndata: only\n\n'));
          request.signal.addEventListener('abort', () =>
            controller.error(new DOMException('aborted', 'AbortError')),
          );
        },
      });
      return new Response(body, { status: 200 });
    };
    const seen: string[] = [];
    for await (const event of readSse(fetch, 'http://kiln.test/stream', { signal: stop.signal })) {
      seen.push(event.data);
      stop.abort();
    }
    expect(seen).toEqual(['only']);
    expect(opened).toBe(1);
  });
});
