// Watching tasks: metrics a run reports, live logs and events over SSE, paged lists,
// Prometheus.
import { unwrap, type TaskListQuery } from '@kiln/client';
import { openSse } from '../../support/sse-client';
import { FINAL, shell, TaskWorld } from './task-world';

export function observingScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  it('accepts metrics from the run only with its own run token', async () => {
    const submitted = await world.submit({
      name: 'reports over REST',
      ...shell(
        'curl -s -o /dev/null -w "%{http_code}" -X POST "$KILN_API_URL/api/v1/tasks/$KILN_TASK_ID/metrics" ' +
          '-H "authorization: Bearer $KILN_RUN_TOKEN" -H "content-type: application/json" ' +
          `-d '{"points":[{"name":"acc","step":1,"value":0.9}],"progress":0.5}'`,
      ),
    });
    const task = await world.waitForStatus(submitted.data!.id, FINAL);
    expect(task.status).toBe('succeeded');
    const path = { id: task.id };
    const logs = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}/logs', { params: { path }, parseAs: 'text' }),
    );
    expect(logs.trim()).toBe('202');
    const metrics = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}/metrics', { params: { path } }),
    );
    expect(metrics.series[0]).toMatchObject({
      name: 'acc',
      points: [{ step: 1, value: 0.9 }],
    });
    // a user's own access token is not the run's token
    const forged = await world.as.alice.POST('/api/v1/tasks/{id}/metrics', {
      params: { path },
      body: { points: [{ name: 'acc', value: 1 }] },
    });
    expect(forged.response.status).toBe(401);
  });

  it('follows a running log over SSE until the run ends', async () => {
    const submitted = await world.submit({
      name: 'talks',
      ...shell('for i in 1 2 3; do echo line $i; sleep 0.2; done'),
    });
    const stream = await openSse(
      `${world.kiln.url}/api/v1/tasks/${submitted.data!.id}/logs/stream`,
      world.tokens.alice,
    );
    await stream.ended;
    const lines = stream.events.filter((e) => e.event === 'message').map((e) => e.data);
    expect(lines).toEqual(['line 1', 'line 2', 'line 3']);
    const end = stream.events.find((e) => e.event === 'end');
    expect(JSON.parse(end!.data)).toMatchObject({ status: 'succeeded' });
  }, 30_000);

  it('follows one attempt by number, names it first, and ends it when a retry waits', async () => {
    const submitted = await world.submit({
      name: 'streamed per attempt',
      ...shell('echo "attempt $KILN_ATTEMPT"; [ "$KILN_ATTEMPT" -ge 2 ] || exit 3'),
      maxRetries: 1,
      retryBackoffSeconds: 2,
    });
    const id = submitted.data!.id;
    const follow = async (attempt: number) => {
      const url = `${world.kiln.url}/api/v1/tasks/${id}/logs/stream?attempt=${attempt}`;
      const stream = await openSse(url, world.tokens.alice);
      await stream.ended;
      return stream.events.map((e) => [
        e.event,
        e.event === 'message' ? e.data : JSON.parse(e.data),
      ]);
    };
    // attempt 2 is asked for before it exists: the stream waits for it
    const [first, second] = await Promise.all([follow(1), follow(2)]);
    expect(first).toEqual([
      ['attempt', { attempt: 1 }],
      ['message', 'attempt 1'],
      ['end', { status: 'pending', attempt: 1 }],
    ]);
    expect(second).toEqual([
      ['attempt', { attempt: 2 }],
      ['message', 'attempt 2'],
      ['end', { status: 'succeeded', attempt: 2 }],
    ]);
  }, 30_000);

  it('pages through filtered lists with keyset cursors, by creation or priority', async () => {
    const marker = `page-${Date.now()}`;
    const blocker = await world.submit({
      name: 'holds tiny',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    await world.waitForStatus(blocker.data!.id, ['running']);
    const created: string[] = [];
    for (const priority of [1, 3, 2, 3, 1]) {
      const task = await world.submit({
        name: `${marker} p${priority}`,
        queue: 'tiny',
        priority,
        command: ['true'],
      });
      created.push(task.data!.id);
    }
    const collect = async (query: TaskListQuery) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(
          world.as.alice.GET('/api/v1/tasks', {
            params: { query: { ...query, limit: 2, cursor } },
          }),
        );
        expect(page.items.length).toBeLessThanOrEqual(2);
        ids.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    };
    const byCreation = await collect({ nameContains: marker.toUpperCase(), status: ['pending'] });
    expect(byCreation).toEqual([...created].reverse());
    const byPriority = await collect({ nameContains: marker, sort: 'priority' });
    expect(byPriority).toEqual([created[1], created[3], created[2], created[0], created[4]]);
    const detail = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}', { params: { path: { id: created[1] } } }),
    );
    expect(detail.waiting?.position).toBe(1);
    const bad = await world.as.alice.GET('/api/v1/tasks', {
      params: { query: { cursor: 'not-a-cursor' } },
    });
    expect(bad.response.status).toBe(400);
    for (const id of [blocker.data!.id, ...created])
      await world.as.alice.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } } });
  });

  it('resumes the event stream from Last-Event-ID without losing or repeating events', async () => {
    const first = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice);
    const one = await world.submit({ name: 'before the gap', command: ['true'] });
    await first.waitFor((e) => JSON.parse(e.data).taskId === one.data!.id);
    first.close();
    const lastSeen = first.events[first.events.length - 1].id!;
    const two = await world.submit({ name: 'during the gap', command: ['true'] });
    await world.waitForStatus(two.data!.id, ['succeeded']);
    const resumed = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice, {
      'last-event-id': lastSeen,
    });
    await resumed.waitFor((e) => {
      const data = JSON.parse(e.data);
      return data.taskId === two.data!.id && data.to === 'succeeded';
    });
    resumed.close();
    // an id is `<task event id>:<service event id>`; no service changes here, so the
    // task part alone orders these events
    const taskPart = (id: string) => Number(id.split(':')[0]);
    const ids = resumed.events.map((e) => taskPart(e.id!));
    expect(ids.every((id) => id > taskPart(lastSeen))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const gap = resumed.events
      .map((e) => JSON.parse(e.data))
      .filter((d) => d.taskId === two.data!.id);
    expect(gap.filter((d) => d.kind === 'status').map((d) => d.to)).toEqual([
      'pending',
      'queued',
      'running',
      'succeeded',
    ]);
    // bob's stream never carries alice's tasks
    const bobs = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.bob, {
      'last-event-id': '0',
    });
    const mine = (await world.submit({ name: 'bob should not see', command: ['true'] }, 'bob'))
      .data!;
    await bobs.waitFor((e) => JSON.parse(e.data).taskId === mine.id);
    bobs.close();
    expect(bobs.events.every((e) => JSON.parse(e.data).ownerId === mine.ownerId)).toBe(true);
  });

  it('exposes task counts, transitions and the launch queue to Prometheus', async () => {
    const done = await world.submit({ name: 'counted', command: ['true'] });
    await world.waitForStatus(done.data!.id, ['succeeded']);
    const text = await (await fetch(`${world.kiln.url}/metrics`)).text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.split(' ')[1]);
    };
    expect(value('kiln_task_transitions_total{from="running",to="succeeded"}')).toBeGreaterThan(0);
    expect(value('kiln_tasks{status="succeeded",queue="default"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^kiln_launch_queue_jobs\{state="waiting"\} \d+$/m);
  });
}
