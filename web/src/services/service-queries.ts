// Query keys and fetchers of model services. Services are not on the task event stream,
// so their pages read again after each change the user makes and on demand.
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
