// Who the client is: an API token, or a login session whose access token expires and is
// renewed with its refresh token. Kiln rotates refresh tokens (each is good for one
// refresh), so the new pair is handed to `onRotate` at once for the caller to keep, and
// concurrent requests that meet an expired token share one refresh.
import createClient from 'openapi-fetch';
import type { paths } from './generated/schema';

export interface Credentials {
  accessToken: string;
  /** Absent for API tokens, which do not expire by refresh. */
  refreshToken?: string;
}

export type FetchLike = (request: Request) => Promise<Response>;

export interface TokenSessionOptions {
  baseUrl: string;
  credentials?: Credentials;
  /** Called with every rotated pair, so it outlives this process. */
  onRotate?: (credentials: Credentials) => void | Promise<void>;
  fetch?: FetchLike;
}

export class TokenSession {
  private credentials: Credentials | undefined;
  private refreshing: Promise<boolean> | undefined;
  private readonly baseFetch: FetchLike;

  constructor(private readonly options: TokenSessionOptions) {
    this.credentials = options.credentials;
    this.baseFetch = options.fetch ?? ((request) => fetch(request));
  }

  get current(): Credentials | undefined {
    return this.credentials;
  }

  async use(credentials: Credentials | undefined): Promise<void> {
    this.credentials = credentials;
    if (credentials) await this.options.onRotate?.(credentials);
  }

  /** A fetch that sends the access token and, on 401, refreshes once and retries. */
  readonly fetch: FetchLike = async (request) => {
    const usedToken = this.credentials?.accessToken;
    const replay = this.credentials?.refreshToken ? request.clone() : undefined;
    const response = await this.baseFetch(this.authorize(request));
    if (response.status !== 401 || !replay || !usedToken) return response;
    if (!(await this.refreshAfter(usedToken))) return response;
    await response.body?.cancel();
    return this.baseFetch(this.authorize(replay));
  };

  /** Renews the session unless another request already did since `usedToken` failed. */
  private refreshAfter(usedToken: string): Promise<boolean> {
    if (this.credentials?.accessToken !== usedToken) return Promise.resolve(true);
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = this.credentials?.refreshToken;
    if (!refreshToken) return false;
    const raw = createClient<paths>({ baseUrl: this.options.baseUrl, fetch: this.baseFetch });
    const { data } = await raw.POST('/api/v1/auth/refresh', { body: { refreshToken } });
    if (!data) return false;
    await this.use({ accessToken: data.accessToken, refreshToken: data.refreshToken });
    return true;
  }

  private authorize(request: Request): Request {
    if (this.credentials && !request.headers.has('authorization'))
      request.headers.set('authorization', `Bearer ${this.credentials.accessToken}`);
    return request;
  }
}
