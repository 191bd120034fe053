// Server-Sent Events streams as a resource: capped per user and in total, ended when
// their caller loses access, and cheap while they wait for a pending task.
import { waitUntil } from '../../src/common/wait-until';
import { OpenStreams } from '../../src/modules/auth/streams/open-streams.service';
import { TasksService } from '../../src/modules/tasks/api/tasks.service';
import { startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { unwrap } from '@kiln/client';
import { clientAs, clientsAs } from '../support/kiln-clients';
import { openSse, SseReader } from '../support/sse-client';
import { startTestApp } from '../support/test-app';

const PASSWORD = 'a long enough password';
const sleepForever = { command: ['/bin/sh', '-c', 'sleep 600'] };

describe('event and log streams on the embedded default', () => {
  let world: TaskWorld;
  const open: SseReader[] = [];

  beforeAll(async () => {
    world = await startTaskWorld(startTestApp, {
      KILN_HTTP_MAX_STREAMS_PER_USER: '2',
      KILN_HTTP_MAX_STREAMS: '3',
      KILN_HTTP_STREAM_ACCESS_CHECK_MS: '200',
    });
  }, 60_000);

  beforeEach(() => openStreamsAre(0));

  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });

  afterAll(async () => {
    await world?.kiln.close();
  });

  const events = async (token: string): Promise<SseReader> => {
    const stream = await openSse(`${world.kiln.url}/api/v1/events`, token);
    open.push(stream);
    return stream;
  };

  const tryEvents = (token: string) =>
    fetch(`${world.kiln.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });

  /** Waits until this process holds `count` open streams (a closed one is released async). */
  const openStreamsAre = async (count: number) => {
    const streams = world.kiln.app.get(OpenStreams);
    const result = await waitUntil(() => streams.size === count, { timeoutMs: 10_000 });
    expect(result.satisfied).toBe(true);
  };

  async function expectTooMany(response: Response): Promise<void> {
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    await response.body?.cancel();
  }

  const as = () => clientsAs(world.kiln.url, world.tokens);
  const anonymous = () => clientAs(world.kiln.url);

  async function newUser(username: string): Promise<{ id: string; token: string }> {
    const created = await as().admin.api.POST('/api/v1/admin/users', {
      body: { username, password: PASSWORD, roles: ['member'] },
    });
    expect(created.response.status).toBe(201);
    const login = await anonymous().login(username, PASSWORD);
    return { id: created.data!.id, token: login.accessToken };
  }

  describe('caps (2 per user, 3 in all)', () => {
    it('answers 429 past the per-user cap, log streams included, and admits again after a close', async () => {
      const first = await events(world.tokens.alice);
      await events(world.tokens.alice);
      await expectTooMany(await tryEvents(world.tokens.alice));
      const task = await world.submit({ name: 'log', ...sleepForever });
      const logs = await fetch(`${world.kiln.url}/api/v1/tasks/${task.data!.id}/logs/stream`, {
        headers: { authorization: `Bearer ${world.tokens.alice}` },
      });
      await expectTooMany(logs);
      await as().alice.api.POST('/api/v1/tasks/{id}/cancel', {
        params: { path: { id: task.data!.id } },
      });

      first.close();
      await openStreamsAre(1);
      await events(world.tokens.alice);
    });

    it('answers 429 past the global cap to a user under their own cap', async () => {
      await events(world.tokens.alice);
      await events(world.tokens.alice);
      await events(world.tokens.bob);
      await expectTooMany(await tryEvents(world.tokens.bob));
    });
  });

  describe('loss of access', () => {
    it('ends the streams of a user an admin disables, and only theirs', async () => {
      const carol = await newUser('carol');
      const carolStream = await events(carol.token);
      const bobStream = await events(world.tokens.bob);
      const patched = await as().admin.api.PATCH('/api/v1/admin/users/{id}', {
        params: { path: { id: carol.id } },
        body: { disabled: true },
      });
      expect(patched.response.status).toBe(200);
      await carolStream.ended;
      await openStreamsAre(1);
      bobStream.close();
      await bobStream.ended;
    });

    it('ends a stream whose session logs out', async () => {
      const login = await anonymous().login('bob', PASSWORD);
      const stream = await events(login.accessToken);
      const logout = await anonymous().api.POST('/api/v1/auth/logout', {
        body: { refreshToken: login.refreshToken },
      });
      expect(logout.response.status).toBe(204);
      await stream.ended;
      await openStreamsAre(0);
    });

    it('ends a stream whose API token is revoked', async () => {
      const created = await as().bob.api.POST('/api/v1/auth/tokens', { body: { name: 'feed' } });
      expect(created.response.status).toBe(201);
      const stream = await events(created.data!.token);
      const revoked = await as().bob.api.DELETE('/api/v1/auth/tokens/{id}', {
        params: { path: { id: created.data!.id } },
      });
      expect(revoked.response.status).toBe(204);
      await stream.ended;
      await openStreamsAre(0);
    });
  });

  describe('a log stream of a pending task', () => {
    it('reads the task only when it changes, and ends when the task does', async () => {
      const blocker = await world.submit({ name: 'blocker', ...sleepForever });
      const waiting = await world.submit({
        name: 'waits',
        ...sleepForever,
        dependsOn: [blocker.data!.id],
      });
      const id = waiting.data!.id;
      const get = jest.spyOn(world.kiln.app.get(TasksService), 'get');
      const readsOfWaiting = () => get.mock.calls.filter(([, taskId]) => taskId === id).length;
      const stream = await openSse(
        `${world.kiln.url}/api/v1/tasks/${id}/logs/stream`,
        world.tokens.alice,
      );
      open.push(stream);

      // Time passes for reasons of its own: another task runs from submit to success.
      const other = await world.submit({ name: 'other', command: ['/bin/sh', '-c', 'sleep 2'] });
      await world.waitForStatus(other.data!.id, ['succeeded']);
      // the 404 check before the stream opens and the first look once it is open
      expect(readsOfWaiting()).toBeLessThanOrEqual(2);
      const alice = as().alice.api;
      const seen = await unwrap(alice.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
      expect(seen.status).toBe('pending');

      await alice.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id: blocker.data!.id } } });
      await stream.waitFor((event) => event.event === 'end');
      expect(JSON.parse(stream.events.find((event) => event.event === 'end')!.data)).toMatchObject({
        status: 'failed',
      });
      get.mockRestore();
    });
  });
});

describe('streams on the replica where access changes, long before the next periodic check', () => {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(startTestApp, { KILN_HTTP_STREAM_ACCESS_CHECK_MS: '300000' });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it('ends a disabled user’s stream and a revoked API token’s stream at once', async () => {
    const { admin, alice, bob } = clientsAs(world.kiln.url, world.tokens);
    const me = await unwrap(bob.api.GET('/api/v1/auth/me'));
    const token = await unwrap(alice.api.POST('/api/v1/auth/tokens', { body: { name: 'feed' } }));
    const bobStream = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.bob);
    const tokenStream = await openSse(`${world.kiln.url}/api/v1/events`, token.token);
    const aliceStream = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice);

    await unwrap(
      admin.api.PATCH('/api/v1/admin/users/{id}', {
        params: { path: { id: me.id } },
        body: { disabled: true },
      }),
    );
    await bobStream.ended;
    await alice.api.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id: token.id } } });
    await tokenStream.ended;

    expect(world.kiln.app.get(OpenStreams).size).toBe(1);
    aliceStream.close();
  });
});

describe('streams at shutdown', () => {
  it('ends open streams, so closing the app does not wait for their clients', async () => {
    const world = await startTaskWorld(startTestApp);
    const stream = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice);
    await world.kiln.close();
    await stream.ended;
  }, 60_000);
});
