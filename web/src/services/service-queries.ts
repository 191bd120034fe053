// Query keys and fetchers of model services. Their pages read again on each service event
// of the live stream (live/apply-service-event.ts), after each change and on demand.
import { kiln, unwrap } from '../api/kiln';

export const serviceKeys = {
  all: ['services'] as const,
  list: () => ['services', 'list'] as const,
  detail: (name: string) => ['services', 'detail', name] as const,
  revisions: (name: string) => ['services', 'detail', name, 'revisions'] as const,
  events: (name: string) => ['services', 'detail', name, 'events'] as const,
};

const byName = (name: string) => ({ params: { path: { name } } });

export const fetchServices = () =>
  unwrap(kiln.api.GET('/api/v1/services', { params: { query: { limit: 100 } } }));
export const fetchService = (name: string) =>
  unwrap(kiln.api.GET('/api/v1/services/{name}', byName(name)));
export const fetchRevisions = (name: string) =>
  unwrap(kiln.api.GET('/api/v1/services/{name}/revisions', byName(name)));
export const fetchServiceEvents = (name: string) =>
  unwrap(kiln.api.GET('/api/v1/services/{name}/events', byName(name)));
