// The Kiln API as generated from its OpenAPI spec (`api`, typed by openapi-fetch), plus
// what generation does not give: the session that refreshes itself, the two event
// streams, cursor pagination, and problem+json answers thrown as KilnProblemError.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/schema';
import { paginate } from './pagination';
import { KilnProblemError, problemFrom } from './problem';
import { readSse, type SseEvent, type SseOptions } from './sse';
import { TokenSession, type Credentials, type FetchLike } from './token-session';
import type { LiveEvent, LiveEventKind, Session, Task, TaskListQuery } from './types';

export interface KilnClientOptions {
  /** Where Kiln listens, e.g. http://localhost:3000 (no /api/v1). */
  baseUrl: string;
  credentials?: Credentials;
  /** Called with every new token pair (login, refresh), so it can be stored. */
  onCredentials?: (credentials: Credentials) => void | Promise<void>;
  fetch?: FetchLike;
}

/** What openapi-fetch answers: data on success, error otherwise. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; a KilnProblemError for any other answer. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined)
    throw new KilnProblemError(problemFrom(response.status, error, response.statusText));
  return data as T;
}

export interface LogLine {
  /** 0-based line number in the attempt's log. */
  line: number;
  text: string;
}

/** The attempt a log stream follows, named before its first line. */
export interface LogAttempt {
  attempt: number;
}

/**
 * How a followed attempt ended: the task's status once it moved on from `attempt`. A
 * status that is not final means another attempt follows.
 */
export interface LogEnd {
  status: Task['status'];
  attempt: number;
}

/** A followed replica's log ended: the replica stopped (or was never there). */
export interface ReplicaLogEnd {
  replica: string;
}

export class KilnClient {
  readonly api: Client<paths>;
  readonly session: TokenSession;

  constructor(readonly options: KilnClientOptions) {
    this.session = new TokenSession({
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      onRotate: options.onCredentials,
      fetch: options.fetch,
    });
    this.api = createClient<paths>({ baseUrl: options.baseUrl, fetch: this.session.fetch });
  }

  /** Logs in with a password and uses the new session from then on. */
  async login(username: string, password: string): Promise<Session> {
    const session = await unwrap(
      this.api.POST('/api/v1/auth/login', { body: { username, password } }),
    );
    await this.session.use({
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
    });
    return session;
  }

  /** Revokes the session's refresh token, if it has one. */
  async logout(): Promise<void> {
    const refreshToken = this.session.current?.refreshToken;
    if (refreshToken)
      await unwrap(this.api.POST('/api/v1/auth/logout', { body: { refreshToken } }));
  }

  /** Every task the query matches, page after page. */
  tasks(query: Omit<TaskListQuery, 'cursor'> = {}): AsyncGenerator<Task> {
    return paginate((cursor) =>
      unwrap(this.api.GET('/api/v1/tasks', { params: { query: { ...query, cursor } } })),
    );
  }

  /**
   * One attempt's log as it is written (`attempt`, else the latest): which attempt it is,
   * its lines, then how it ended. Resumes after `afterLine` (a line number of that attempt
   * already seen) when given.
   */
  async *followLogs(
    taskId: string,
    options: { attempt?: number; afterLine?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<LogAttempt | LogLine | LogEnd> {
    const query = options.attempt === undefined ? '' : `?attempt=${options.attempt}`;
    const url = this.url(`/tasks/${encodeURIComponent(taskId)}/logs/stream${query}`);
    const stream = readSse(this.session.fetch, url, {
      lastEventId: options.afterLine === undefined ? undefined : String(options.afterLine),
      signal: options.signal,
      endEvent: 'end',
    });
    for await (const event of stream) {
      if (event.event === 'message') yield { line: Number(event.id), text: event.data };
      else if (event.event === 'attempt') yield JSON.parse(event.data) as LogAttempt;
      else if (event.event === 'end') yield JSON.parse(event.data) as LogEnd;
      else if (event.event === 'error') throw new Error(streamFailure(event));
    }
  }

  /**
   * A replica's log as it is written, from its first line (or after `afterLine`), until
   * the replica stops: its lines, then the end.
   */
  async *followReplicaLogs(
    service: string,
    replica: string,
    options: { afterLine?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<LogLine | ReplicaLogEnd> {
    const path = `/services/${encodeURIComponent(service)}/replicas/${encodeURIComponent(replica)}`;
    const stream = readSse(this.session.fetch, this.url(`${path}/logs/stream`), {
      lastEventId: options.afterLine === undefined ? undefined : String(options.afterLine),
      signal: options.signal,
      endEvent: 'end',
    });
    for await (const event of stream) {
      if (event.event === 'message') yield { line: Number(event.id), text: event.data };
      else if (event.event === 'end') yield JSON.parse(event.data) as ReplicaLogEnd;
      else if (event.event === 'error') throw new Error(streamFailure(event));
    }
  }

  /**
   * Tasks' status and progress changes and services' events as they happen, resuming
   * after `lastEventId` (an event id of this feed, or a task event's id).
   */
  async *events(
    options: {
      taskId?: string;
      serviceId?: string;
      kind?: LiveEventKind[];
      lastEventId?: string;
    } & Pick<SseOptions, 'signal'> = {},
  ): AsyncGenerator<LiveEvent> {
    const query = new URLSearchParams();
    if (options.taskId) query.set('taskId', options.taskId);
    if (options.serviceId) query.set('serviceId', options.serviceId);
    if (options.kind?.length) query.set('kind', options.kind.join(','));
    const search = query.toString();
    const url = this.url(search ? `/events?${search}` : '/events');
    const stream = readSse(this.session.fetch, url, options);
    for await (const event of stream) yield JSON.parse(event.data) as LiveEvent;
  }

  private url(path: string): string {
    return `${this.options.baseUrl.replace(/\/+$/, '')}/api/v1${path}`;
  }
}

export function createKilnClient(options: KilnClientOptions): KilnClient {
  return new KilnClient(options);
}

function streamFailure(event: SseEvent): string {
  try {
    return (JSON.parse(event.data) as { detail: string }).detail;
  } catch {
    return event.data;
  }
}
