// A fetch that reports whether the event stream is connected: up when Kiln answers, down
// when the request fails or the response body ends or breaks. The client's SSE reader
// reconnects on its own; this only lets the console say so.
import type { FetchLike } from '@kiln/client';

export function watchedFetch(inner: FetchLike, onChange: (connected: boolean) => void): FetchLike {
  return async (request) => {
    let response: Response;
    try {
      response = await inner(request);
    } catch (error) {
      onChange(false);
      throw error;
    }
    if (!response.ok || !response.body) {
      onChange(false);
      return response;
    }
    onChange(true);
    return new Response(
      watchBody(response.body, () => onChange(false)),
      {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      },
    );
  };
}

function watchBody(
  body: ReadableStream<Uint8Array>,
  onEnd: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          onEnd();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        onEnd();
        controller.error(error);
      }
    },
    cancel(reason) {
      onEnd();
      return reader.cancel(reason);
    },
  });
}
