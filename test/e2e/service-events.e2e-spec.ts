// Model services' events on the global event stream (GET /api/v1/events), on the
// embedded default: named by their kind, seen by whom may see the service, filtered,
// and resumed after a dropped connection across both logs without loss or repeat.
import { unwrap } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { FINAL, shell, startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { processesOfService } from '../support/run-processes';
import { openSse, SseEvent, SseReader } from '../support/sse-client';
import { ServableModel, trainServableModel } from '../support/servable-model';
import { startTestApp } from '../support/test-app';

describe('service events on GET /api/v1/events (embedded default)', () => {
  let world: TaskWorld;
  let served: ServableModel;
  const open: SseReader[] = [];

  beforeAll(async () => {
    world = await startTaskWorld(startTestApp, { KILN_LOCAL_SERVICE_DRAIN_MS: '200' });
    served = await trainServableModel(world);
  }, 90_000);

  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });

  afterAll(async () => {
    await world?.kiln.close();
  });

  async function events(token: string, query = '', lastEventId?: string): Promise<SseReader> {
    const headers: Record<string, string> = lastEventId ? { 'last-event-id': lastEventId } : {};
    const stream = await openSse(`${world.kiln.url}/api/v1/events${query}`, token, headers);
    open.push(stream);
    return stream;
  }

  const named = (name: string, serviceId: string) => (event: SseEvent) =>
    event.event === name &&
    (JSON.parse(event.data) as { serviceId?: string }).serviceId === serviceId;

  async function deploy(name: string): Promise<string> {
    const created = await world.as.alice.POST('/api/v1/services', {
      body: { name, ...served, replicas: 1 },
    });
    expect(created.response.status).toBe(201);
    return created.data!.id;
  }

  async function remove(name: string): Promise<void> {
    const path = { name };
    const deleted = await world.as.alice.DELETE('/api/v1/services/{name}', { params: { path } });
    expect(deleted.response.status).toBe(202);
    const gone = await waitUntil(
      async () =>
        (await world.as.admin.GET('/api/v1/services/{name}', { params: { path } })).response
          .status === 404,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(gone.satisfied).toBe(true);
  }

  it('shows the owner, admins and viewers a service going deploying → ready, and no other member', async () => {
    const [alice, admin, viewer, bob] = await Promise.all([
      events(world.tokens.alice),
      events(world.tokens.admin),
      events(world.tokens.viewer),
      events(world.tokens.bob),
    ]);
    const id = await deploy('feed-visible');
    for (const stream of [alice, admin, viewer]) {
      await stream.waitFor(named('service.ready', id));
      const mine = stream.events.filter((event) => event.event.startsWith('service.'));
      expect(mine.map((event) => event.event)).toEqual(['service.deploying', 'service.ready']);
      const ready = JSON.parse(mine[1].data);
      expect(ready).toMatchObject({
        kind: 'service.ready',
        serviceId: id,
        serviceName: 'feed-visible',
        from: 'deploying',
        to: 'ready',
        revision: 1,
        actor: 'system',
      });
      expect(mine[1].id).toMatch(/^\d+:\d+$/);
    }
    // Bob's own task reaches his stream after alice's service events were written.
    const task = await world.submit({ name: 'bob marker', ...shell('true') }, 'bob');
    await bob.waitFor((event) => JSON.parse(event.data).taskId === task.data!.id);
    expect(bob.events.filter((event) => event.event.startsWith('service.'))).toEqual([]);
    await remove('feed-visible');
  }, 60_000);

  it('resumes after a dropped connection with every task and service event missed, once', async () => {
    const first = await events(world.tokens.alice);
    const id = await deploy('feed-resume');
    await first.waitFor(named('service.ready', id));
    const lastSeen = first.events.at(-1)!;
    first.close();

    const path = { name: 'feed-resume' };
    await unwrap(
      world.as.alice.POST('/api/v1/services/{name}/scale', {
        params: { path },
        body: { replicas: 2 },
      }),
    );
    const task = await world.submit({ name: 'while away', ...shell('true') });
    await world.waitForStatus(task.data!.id, FINAL);

    const resumed = await events(world.tokens.alice, '', lastSeen.id);
    await resumed.waitFor(named('service.scaled', id));
    await resumed.waitFor((event) => {
      const data = JSON.parse(event.data);
      return data.taskId === task.data!.id && data.to === 'succeeded';
    });
    const ids = resumed.events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const seenBefore = new Set(first.events.map((event) => event.id));
    expect(ids.filter((eventId) => seenBefore.has(eventId))).toEqual([]);
    const scaled = resumed.events.filter(named('service.scaled', id));
    expect(scaled).toHaveLength(1);
    expect(JSON.parse(scaled[0].data)).toMatchObject({ replicas: 2, to: 'ready' });
    // The task's whole history arrives, in order, from its creation on.
    const statuses = resumed.events
      .map((event) => JSON.parse(event.data))
      .filter((data) => data.taskId === task.data!.id && data.kind === 'status')
      .map((data) => data.to);
    expect(statuses[0]).toBe('pending');
    expect(statuses.at(-1)).toBe('succeeded');
    await remove('feed-resume');
  }, 60_000);

  it('still resumes from a bare task event id, as the task events list gives it', async () => {
    const task = await world.submit({ name: 'bare id', ...shell('true') });
    await world.waitForStatus(task.data!.id, FINAL);
    const history = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}/events', { params: { path: { id: task.data!.id } } }),
    );
    const stream = await events(
      world.tokens.alice,
      `?taskId=${task.data!.id}`,
      String(history[0].id),
    );
    await stream.waitFor((event) => JSON.parse(event.data).to === 'succeeded');
    const replayed = stream.events.map((event) => JSON.parse(event.data).id);
    expect(replayed).toEqual(history.slice(1).map((event) => event.id));
  }, 30_000);

  it('narrows the stream to one service or to some kinds', async () => {
    const byService = await events(world.tokens.alice);
    const onlyTasks = await events(world.tokens.alice, '?kind=status');
    const onlyScaled = await events(world.tokens.alice, '?kind=service.scaled');
    const id = await deploy('feed-filtered');
    const oneService = await events(world.tokens.alice, `?serviceId=${id}`);
    const path = { name: 'feed-filtered' };
    await unwrap(
      world.as.alice.POST('/api/v1/services/{name}/scale', {
        params: { path },
        body: { replicas: 2 },
      }),
    );
    const task = await world.submit({ name: 'filtered out', ...shell('true') });
    await byService.waitFor((event) => JSON.parse(event.data).taskId === task.data!.id);
    await onlyTasks.waitFor((event) => JSON.parse(event.data).taskId === task.data!.id);
    await onlyScaled.waitFor(named('service.scaled', id));
    await oneService.waitFor(named('service.scaled', id));
    expect(oneService.events.every((event) => JSON.parse(event.data).serviceId === id)).toBe(true);
    expect(onlyTasks.events.every((event) => event.event === 'status')).toBe(true);
    expect(onlyScaled.events.map((event) => event.event)).toEqual(['service.scaled']);
    await remove('feed-filtered');
  }, 60_000);

  it('reports a service scaled to zero stopped only once its last replica process is gone', async () => {
    const id = await deploy('feed-stopped');
    const stream = await events(world.tokens.alice, `?serviceId=${id}`);
    const running = await waitUntil(() => processesOfService(id).length === 1, {
      timeoutMs: 30_000,
    });
    expect(running.satisfied).toBe(true);
    const path = { name: 'feed-stopped' };
    await unwrap(
      world.as.alice.POST('/api/v1/services/{name}/scale', {
        params: { path },
        body: { replicas: 0 },
      }),
    );
    // The event is written with the status; the process table is read as it arrives.
    let leftWhenStopped: number[] | undefined;
    await stream.waitFor((event) => {
      if (event.event === 'service.stopped') leftWhenStopped ??= processesOfService(id);
      return leftWhenStopped !== undefined;
    });
    expect(leftWhenStopped).toEqual([]);
    await remove('feed-stopped');
  }, 60_000);

  it('refuses a kind it does not send and a serviceId that is no UUID (400 problem)', async () => {
    for (const query of ['?kind=service.exploded', '?serviceId=abc']) {
      const response = await fetch(`${world.kiln.url}/api/v1/events${query}`, {
        headers: { authorization: `Bearer ${world.tokens.alice}` },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      await response.body?.cancel();
    }
  });
});
