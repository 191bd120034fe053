import { KilnClient, type Credentials } from '@kiln/client';

const BASE = 'http://kiln.test';

/** A server that takes one access token at a time and rotates the pair on refresh. */
function rotatingServer() {
  let generation = 1;
  const refreshes: string[] = [];
  const seen: string[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/api/v1/auth/refresh') {
      const { refreshToken } = (await request.json()) as { refreshToken: string };
      refreshes.push(refreshToken);
      if (refreshToken !== `refresh-${generation}`) return problem(401);
      generation++;
      return json(200, {
        accessToken: `access-${generation}`,
        refreshToken: `refresh-${generation}`,
        expiresIn: 900,
        tokenType: 'Bearer',
        user: {},
      });
    }
    const auth = request.headers.get('authorization') ?? '';
    seen.push(auth);
    if (auth !== `Bearer access-${generation}`) return problem(401);
    return json(200, { id: 'me', body: request.method === 'POST' ? await request.text() : null });
  };
  return {
    fetch,
    refreshes,
    seen,
    expire: () => generation++,
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number) =>
  new Response(
    JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status, detail: 'no' }),
    {
      status,
      headers: { 'content-type': 'application/problem+json' },
    },
  );

describe('the client’s token session', () => {
  it('leaves the 401 to the caller when its refresh token was already rotated away', async () => {
    const server = rotatingServer();
    const rotated: Credentials[] = [];
    const client = new KilnClient({
      baseUrl: BASE,
      credentials: { accessToken: 'access-1', refreshToken: 'refresh-1' },
      onCredentials: (pair) => void rotated.push(pair),
      fetch: server.fetch,
    });
    server.expire(); // another client refreshed: access-1 and refresh-1 are both spent
    const { data, response } = await client.api.POST('/api/v1/auth/logout', {
      body: { refreshToken: 'x' },
    });
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(server.refreshes).toEqual(['refresh-1']);
    expect(rotated).toEqual([]);
  });

  it('retries with the new token after a refresh, body included, and stores the rotated pair', async () => {
    const server = rotatingServer();
    const rotated: Credentials[] = [];
    const client = new KilnClient({
      baseUrl: BASE,
      credentials: { accessToken: 'stale', refreshToken: 'refresh-1' },
      onCredentials: (pair) => void rotated.push(pair),
      fetch: server.fetch,
    });
    const { response, data } = await client.api.POST('/api/v1/auth/logout', {
      body: { refreshToken: 'kept' },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ body: '{"refreshToken":"kept"}' });
    expect(rotated).toEqual([{ accessToken: 'access-2', refreshToken: 'refresh-2' }]);
    expect(client.session.current).toEqual(rotated[0]);
  });

  it('shares one refresh among requests that meet the same expired token', async () => {
    const server = rotatingServer();
    const client = new KilnClient({
      baseUrl: BASE,
      credentials: { accessToken: 'stale', refreshToken: 'refresh-1' },
      fetch: server.fetch,
    });
    const answers = await Promise.all([1, 2, 3].map(() => client.api.GET('/api/v1/auth/me')));
    expect(answers.map((answer) => answer.response.status)).toEqual([200, 200, 200]);
    expect(server.refreshes).toEqual(['refresh-1']);
  });

  it('leaves the 401 to the caller for an API token, which has nothing to refresh', async () => {
    const server = rotatingServer();
    const client = new KilnClient({
      baseUrl: BASE,
      credentials: { accessToken: 'revoked-api-token' },
      fetch: server.fetch,
    });
    const { response, error } = await client.api.GET('/api/v1/auth/me');
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ title: 'Unauthorized' });
    expect(server.refreshes).toEqual([]);
  });
});
