// One GET /api/v1/events stream for the whole console while signed in. Each task event
// updates the cache (applyTaskEvent), each service event has the service's pages read
// again (applyServiceEvent); a dropped stream is reopened with Last-Event-ID, so nothing
// is missed, and the layout shows a banner while it is down. Nothing is polled.
import { readSse } from '@kiln/client';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { kiln } from '../api/kiln';
import { isTaskFeedEvent } from '@kiln/client';
import type { LiveEvent } from '../api/types';
import { taskKeys } from '../tasks/task-queries';
import { applyServiceEvent } from './apply-service-event';
import { applyTaskEvent } from './apply-task-event';
import { publishTaskEvent } from './task-event-feed';
import { watchedFetch } from './watched-fetch';

export type StreamState = 'connecting' | 'live' | 'down';

const StreamContext = createContext<StreamState>('connecting');
const RETRY_MS = 2000;

interface EventStreamProviderProps {
  children: ReactNode;
  /** Called when the stream is first up: data read from then on misses no change. */
  onLive?: () => void;
}

export function EventStreamProvider({ children, onLive }: EventStreamProviderProps) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    const abort = new AbortController();
    let dropped = false;
    let live = false;
    const fetchFn = watchedFetch(kiln.session.fetch, (connected) => {
      if (abort.signal.aborted) return;
      // Kiln replays what was missed after the last event seen; a stream dropped before
      // its first event has no such id, so what is on screen is read again once.
      if (connected && dropped) void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      if (connected && !live) {
        // What was read before the stream listened may have missed a change since.
        void queryClient.invalidateQueries({ queryKey: taskKeys.all });
        onLive?.();
      }
      live ||= connected;
      dropped = !connected;
      setState(connected ? 'live' : 'down');
    });
    void follow(fetchFn, abort.signal, (event) => {
      if (!isTaskFeedEvent(event)) return applyServiceEvent(queryClient, event);
      publishTaskEvent(event);
      applyTaskEvent(queryClient, event);
    });
    return () => abort.abort();
    // One stream per sign-in: a new callback identity is no reason to reopen it.
  }, [queryClient]);

  return <StreamContext.Provider value={state}>{children}</StreamContext.Provider>;
}

async function follow(
  fetchFn: ReturnType<typeof watchedFetch>,
  signal: AbortSignal,
  onEvent: (event: LiveEvent) => void,
): Promise<void> {
  let lastEventId: string | undefined;
  while (!signal.aborted) {
    try {
      const url = `${window.location.origin}/api/v1/events`;
      const options = { lastEventId, signal, reconnectDelayMs: RETRY_MS, maxReconnects: 1000 };
      for await (const event of readSse(fetchFn, url, options)) {
        if (event.id !== undefined) lastEventId = event.id;
        onEvent(JSON.parse(event.data) as LiveEvent);
      }
    } catch {
      // refused (e.g. too many streams) or gave up: try again after a pause
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

export function useStreamState(): StreamState {
  return useContext(StreamContext);
}
