// A live service event has the service list and that service's pages read again: a
// service's figures (ready replicas, the serving revision) are more than its event says.
import type { ServiceFeedEvent } from '@kiln/client';
import type { QueryClient } from '@tanstack/react-query';
import { serviceKeys } from '../services/service-queries';

export function applyServiceEvent(queryClient: QueryClient, event: ServiceFeedEvent): void {
  void queryClient.invalidateQueries({ queryKey: serviceKeys.list() });
  if (event.serviceName !== null)
    void queryClient.invalidateQueries({ queryKey: serviceKeys.detail(event.serviceName) });
}
