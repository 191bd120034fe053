// Watching tasks: metrics a run reports, live logs and events over SSE, paged lists,
// Prometheus.
import { ApiResponse } from '../../support/api-client';
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
    const task = await world.waitForStatus(submitted.body.id, FINAL);
    expect(task.status).toBe('succeeded');
    const logs = await world.api.get(`/tasks/${task.id}/logs`, world.tokens.alice);
    expect(logs.text.trim()).toBe('202');
    const metrics = await world.api.get(`/tasks/${task.id}/metrics`, world.tokens.alice);
    expect(metrics.body.series[0]).toMatchObject({
      name: 'acc',
      points: [{ step: 1, value: 0.9 }],
    });
    const forged = await world.api.request('POST', `/tasks/${task.id}/metrics`, {
      body: { points: [{ name: 'acc', value: 1 }] },
      headers: { authorization: `Bearer ${world.tokens.alice}` },
    });
    expect(forged.status).toBe(401);
  });

  it('follows a running log over SSE until the run ends', async () => {
    const submitted = await world.submit({
      name: 'talks',
      ...shell('for i in 1 2 3; do echo line $i; sleep 0.2; done'),
    });
    const stream = await openSse(
      `${world.kiln.url}/api/v1/tasks/${submitted.body.id}/logs/stream`,
      world.tokens.alice,
    );
    await stream.ended;
    const lines = stream.events.filter((e) => e.event === 'message').map((e) => e.data);
    expect(lines).toEqual(['line 1', 'line 2', 'line 3']);
    const end = stream.events.find((e) => e.event === 'end');
    expect(JSON.parse(end!.data)).toMatchObject({ status: 'succeeded' });
  }, 30_000);

  it('pages through filtered lists with keyset cursors, by creation or priority', async () => {
    const marker = `page-${Date.now()}`;
    const blocker = await world.submit({
      name: 'holds tiny',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    await world.waitForStatus(blocker.body.id, ['running']);
    const created: string[] = [];
    for (const priority of [1, 3, 2, 3, 1]) {
      const task = await world.submit({
        name: `${marker} p${priority}`,
        queue: 'tiny',
        priority,
        command: ['true'],
      });
      created.push(task.body.id);
    }
    const collect = async (query: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await world.api.get(
          `/tasks?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          world.tokens.alice,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        ids.push(...page.body.items.map((t: { id: string }) => t.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const byCreation = await collect(`nameContains=${marker.toUpperCase()}&status=pending`);
    expect(byCreation).toEqual([...created].reverse());
    const byPriority = await collect(`nameContains=${marker}&sort=priority`);
    expect(byPriority).toEqual([created[1], created[3], created[2], created[0], created[4]]);
    const detail = (await world.api.get(`/tasks/${created[1]}`, world.tokens.alice)).body;
    expect(detail.waiting.position).toBe(1);
    const bad = await world.api.get('/tasks?cursor=not-a-cursor', world.tokens.alice);
    expect(bad.status).toBe(400);
    await world.api.post(`/tasks/${blocker.body.id}/cancel`, {}, world.tokens.alice);
    for (const id of created) await world.api.post(`/tasks/${id}/cancel`, {}, world.tokens.alice);
  });

  it('resumes the event stream from Last-Event-ID without losing or repeating events', async () => {
    const first = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice);
    const one = await world.submit({ name: 'before the gap', command: ['true'] });
    await first.waitFor((e) => JSON.parse(e.data).taskId === one.body.id);
    first.close();
    const lastSeen = first.events[first.events.length - 1].id!;
    const two = await world.submit({ name: 'during the gap', command: ['true'] });
    await world.waitForStatus(two.body.id, ['succeeded']);
    const resumed = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice, {
      'last-event-id': lastSeen,
    });
    await resumed.waitFor((e) => {
      const data = JSON.parse(e.data);
      return data.taskId === two.body.id && data.to === 'succeeded';
    });
    resumed.close();
    const ids = resumed.events.map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(lastSeen))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const gap = resumed.events
      .map((e) => JSON.parse(e.data))
      .filter((d) => d.taskId === two.body.id);
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
    const mine = await world.submit(
      { name: 'bob should not see', command: ['true'] },
      world.tokens.bob,
    );
    await bobs.waitFor((e) => JSON.parse(e.data).taskId === mine.body.id);
    bobs.close();
    expect(bobs.events.every((e) => JSON.parse(e.data).ownerId === mine.body.ownerId)).toBe(true);
  });

  it('exposes task counts, transitions and the launch queue to Prometheus', async () => {
    const done = await world.submit({ name: 'counted', command: ['true'] });
    await world.waitForStatus(done.body.id, ['succeeded']);
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
