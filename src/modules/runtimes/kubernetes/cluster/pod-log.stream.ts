// Streams one container's log from the pod log API as lines, ending when the server
// ends the stream, the connection drops, the consumer stops, or the signal aborts.
import { PassThrough, type Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { KubeApiGateway, PodLogReadOptions } from './kube-api.gateway';

export interface PodLogTarget {
  namespace: string;
  pod: string;
  container: string;
}

export async function* podLogLines(
  api: KubeApiGateway,
  target: PodLogTarget,
  options: PodLogReadOptions & { signal?: AbortSignal },
): AsyncGenerator<string> {
  const { signal, ...read } = options;
  if (signal?.aborted) return;
  const sink = new PassThrough();
  const detach = endWhenSourceCloses(sink);
  const controller = await api.openLog(target, sink, read);
  const stop = () => {
    controller.abort();
    detach(); // a chunk still in flight must not be written after the end
    sink.end();
  };
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop(); // aborted while the request was being opened
  try {
    yield* createInterface({ input: sink, crlfDelay: Infinity });
  } finally {
    signal?.removeEventListener('abort', stop);
    controller.abort();
    sink.destroy();
  }
}

/**
 * pipe() ends the sink only when the response ends cleanly; a dropped connection
 * destroys the response body instead, which would leave the reader waiting forever.
 * Returns what detaches the response from the sink.
 */
function endWhenSourceCloses(sink: PassThrough): () => void {
  let piped: Readable | undefined;
  sink.once('pipe', (source: Readable) => {
    piped = source;
    source.once('close', () => {
      if (!sink.writableEnded) sink.end();
    });
  });
  return () => piped?.unpipe(sink);
}
