// Webhooks against a real receiver started by the test, written once and run on the
// embedded default and on PostgreSQL + Redis. Retries are fast here (100 ms backoff).
import { createHmac } from 'node:crypto';
import { unwrap, type WebhookSubmission } from '@kiln/client';
import { waitUntil } from '../../../src/common/wait-until';
import { expectProblem } from '../../support/problem-answer';
import { sendRaw } from '../../support/raw-request';
import { deadUrl, WebhookReceiver } from '../../support/webhook-receiver';
import { FINAL, shell, StartApp, startTaskWorld, TaskWorld, WorldUser } from '../tasks/task-world';

export const FAST_WEBHOOKS = {
  KILN_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  KILN_WEBHOOK_BACKOFF_MS: '100',
  KILN_WEBHOOK_MAX_ATTEMPTS: '3',
  KILN_WEBHOOK_DISABLE_AFTER_FAILURES: '2',
};

/** What a receiver does with `Kiln-Signature`, as the README documents it. */
function verify(secret: string, header: string, body: string, maxAgeSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=')));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) <= maxAgeSeconds;
  return fresh && parts.v1 === expected;
}

export function webhookScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    world = await startTaskWorld(start, { ...FAST_WEBHOOKS, ...env });
  }, 60_000);

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    await receiver?.close();
  });

  afterAll(async () => {
    await world?.kiln.close();
  });

  const subscribe = (body: WebhookSubmission, user: WorldUser = 'alice') =>
    world.as[user].POST('/api/v1/webhooks', { body });
  const deliveries = async (id: string) =>
    (
      await unwrap(
        world.as.alice.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id } } }),
      )
    ).items;
  const ping = (id: string) =>
    world.as.alice.POST('/api/v1/webhooks/{id}/ping', { params: { path: { id } } });
  type Delivery = Awaited<ReturnType<typeof deliveries>>[number];
  async function settled(webhookId: string, deliveryId: string): Promise<Delivery> {
    let delivery: Delivery | undefined;
    const result = await waitUntil(
      async () => {
        delivery = (await deliveries(webhookId)).find((d) => d.id === deliveryId);
        return delivery?.status === 'succeeded' || delivery?.status === 'failed';
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    if (!result.satisfied) throw new Error(`delivery ${deliveryId}: ${JSON.stringify(delivery)}`);
    return delivery!;
  }

  it('signs each delivery so the receiver verifies it with the secret shown once', async () => {
    const created = await subscribe({ url: receiver.url, statuses: ['succeeded'] });
    expect(created.response.status).toBe(201);
    const { id, secret } = created.data!;
    expect(secret).toMatch(/^whsec_/);
    const read = await world.as.alice.GET('/api/v1/webhooks/{id}', { params: { path: { id } } });
    expect(read.data).not.toHaveProperty('secret');
    expect(JSON.stringify(read.data)).not.toContain(secret);

    const task = await world.submit({ name: 'hooked', ...shell('true') });
    await world.waitForStatus(task.data!.id, FINAL);
    const [request] = await receiver.received(1);
    expect(request.json).toMatchObject({
      type: 'task.status',
      data: { taskId: task.data!.id, to: 'succeeded' },
    });
    expect(request.headers['kiln-delivery']).toBe(request.json.id);
    expect(verify(secret, String(request.headers['kiln-signature']), request.body)).toBe(true);
    expect(verify('whsec_wrong', String(request.headers['kiln-signature']), request.body)).toBe(
      false,
    );
  });

  it('retries a receiver that answers 500 twice: one success, two logged failures, one delivery id', async () => {
    const { id } = (await subscribe({ url: receiver.url, statuses: ['running'] })).data!;
    receiver.answerWith(500, 500, 200);
    const pinged = await ping(id);
    expect(pinged.response.status).toBe(202);
    const delivery = await settled(id, pinged.data!.id);
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(delivery.attempts[0].error).toContain('500');
    expect(delivery.nextAttemptAt).toBeNull();
    // backed off between tries: 100 ms, then 200 ms, each less up to a quarter of jitter
    const at = delivery.attempts.map((a: { occurredAt: string }) => Date.parse(a.occurredAt));
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(75);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(150);
    const requests = await receiver.received(3);
    expect(new Set(requests.map((r) => r.json.id))).toEqual(new Set([pinged.data!.id]));
  });

  it('delivers the changes of one task in order, holding later ones while an earlier one retries', async () => {
    const { id } = (await subscribe({ url: receiver.url })).data!;
    receiver.answerWith(500);
    const task = await world.submit({ name: 'in order', ...shell('true') });
    await world.waitForStatus(task.data!.id, FINAL);
    const succeeded = await waitUntil(
      async () =>
        (await deliveries(id)).some(
          (d) => d.taskId === task.data!.id && d.status === 'succeeded' && d.attempts.length > 0,
        ) &&
        receiver.requests.some(
          (r) => r.json.data?.taskId === task.data!.id && r.json.data?.to === 'succeeded',
        ),
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    expect(succeeded.satisfied).toBe(true);
    const sent = receiver.requests
      .filter((r) => r.json.data?.taskId === task.data!.id)
      .map((r) => r.json.data.eventId as number);
    // the first change is tried twice (500, then 200) before the second goes out
    expect(sent[0]).toBe(sent[1]);
    expect(sent.slice(1)).toEqual([...sent.slice(1)].sort((a, b) => a - b));
    expect(new Set(sent.slice(1)).size).toBe(sent.length - 1);
    await world.as.alice.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } });
  });

  it('ends a delivery to a receiver that stays down failed, and disables the webhook after enough of them', async () => {
    const { id } = (await subscribe({ url: await deadUrl() })).data!;
    const path = { id };
    for (let i = 0; i < 2; i++) {
      const delivery = await settled(id, (await ping(id)).data!.id);
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts).toHaveLength(3);
      expect(delivery.attempts[0]).toMatchObject({ statusCode: null });
      expect(delivery.attempts[0].error).toMatch(/ECONNREFUSED|fetch failed/);
    }
    const webhook = await unwrap(world.as.alice.GET('/api/v1/webhooks/{id}', { params: { path } }));
    expect(webhook).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(webhook.disabledReason).toContain('2 failed deliveries');

    // pointed at a live receiver and enabled again, a redeliver goes through
    const fixed = await world.as.alice.PATCH('/api/v1/webhooks/{id}', {
      params: { path },
      body: { url: receiver.url, enabled: true },
    });
    expect(fixed.data).toMatchObject({ enabled: true, disabledReason: null });
    const [first] = await deliveries(id);
    const again = await world.as.alice.POST(
      '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
      { params: { path: { id, deliveryId: first.id } } },
    );
    expect(again.response.status).toBe(202);
    expect((await settled(id, first.id)).status).toBe('succeeded');
    expect((await receiver.received(1))[0].json.id).toBe(first.id);
  });

  it('keeps webhooks to their owner; only admins hear every user’s tasks', async () => {
    const alices = (await subscribe({ url: receiver.url })).data!;
    const ofAlice = { params: { path: { id: alices.id } } };
    expectProblem(await world.as.bob.GET('/api/v1/webhooks/{id}', ofAlice), 404);
    const bobs = (await unwrap(world.as.bob.GET('/api/v1/webhooks'))).items;
    expect(bobs.map((w) => w.id)).not.toContain(alices.id);
    expectProblem(await subscribe({ url: receiver.url, allTasks: true }), 403);
    expectProblem(await subscribe({ url: receiver.url }, 'viewer'), 403);
    const everyones = await subscribe(
      { url: receiver.url, allTasks: true, statuses: ['succeeded'] },
      'admin',
    );
    expect(everyones.response.status).toBe(201);
    const task = await world.submit({ name: 'bob’s', ...shell('true') }, 'bob');
    await world.waitForStatus(task.data!.id, FINAL);
    const [heard] = await receiver.received(1);
    expect(heard.json.data).toMatchObject({ taskId: task.data!.id, to: 'succeeded' });
    const deleted = await world.as.alice.DELETE('/api/v1/webhooks/{id}', ofAlice);
    expect(deleted.response.status).toBe(204);
    const ofEveryone = { params: { path: { id: everyones.data!.id } } };
    const deletedToo = await world.as.admin.DELETE('/api/v1/webhooks/{id}', ofEveryone);
    expect(deletedToo.response.status).toBe(204);
  });

  it('tells a webhook that hears schedule events of each fire: the task it submitted, or why it failed', async () => {
    const { id } = (
      await subscribe({ url: receiver.url, events: ['schedule.fired', 'schedule.failed'] })
    ).data!;
    const queue = await world.as.admin.POST('/api/v1/admin/queues', {
      body: {
        name: 'short-lived',
        runtime: 'local',
        maxRunning: 1,
        maxGpus: 0,
        allowedRoles: ['admin', 'member'],
      },
    });
    expect(queue.response.status).toBe(201);
    const rarely = { cron: '0 0 1 1 *', timezone: 'UTC' };
    const schedule = async (
      name: string,
      task: { name: string; command: string[]; queue?: string },
    ) => unwrap(world.as.alice.POST('/api/v1/schedules', { body: { name, ...rarely, task } }));
    const firing = await schedule('fires', { name: 'from a schedule', command: ['true'] });
    const failing = await schedule('fails', {
      name: 'queue gone',
      command: ['true'],
      queue: 'short-lived',
    });
    const removed = await world.as.admin.DELETE('/api/v1/admin/queues/{name}', {
      params: { path: { name: 'short-lived' } },
    });
    expect(removed.response.status).toBe(204);

    const trigger = (scheduleId: string) =>
      unwrap(
        world.as.alice.POST('/api/v1/schedules/{id}/trigger', {
          params: { path: { id: scheduleId } },
        }),
      );
    const fired = await trigger(firing.id);
    const failed = await trigger(failing.id);
    expect([fired.outcome, failed.outcome]).toEqual(['submitted', 'failed']);

    const requests = await receiver.received(2);
    const byType = Object.fromEntries(requests.map((request) => [request.json.type, request.json]));
    expect(byType['schedule.fired'].data).toMatchObject({
      scheduleId: firing.id,
      scheduleName: 'fires',
      taskId: fired.taskId,
    });
    expect(byType['schedule.failed'].data).toMatchObject({
      scheduleId: failing.id,
      taskId: null,
      reason: expect.stringContaining('short-lived'),
    });
    // the submitted task ran meanwhile; this webhook hears no task event
    await world.waitForStatus(fired.taskId!, FINAL);
    const log = await deliveries(id);
    expect(log.map((delivery) => delivery.event).sort()).toEqual([
      'schedule.failed',
      'schedule.fired',
    ]);
    await world.as.alice.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } });
  });

  it('refuses a URL that is not http(s) with 400', async () => {
    expectProblem(await subscribe({ url: 'ftp://example.com/hook' }), 400);
    expectProblem(await subscribe({ url: 'not a url' }), 400);
    // raw: a status the spec's enum does not allow
    const exploded = await sendRaw(world.kiln.url, 'POST', '/webhooks', {
      body: { url: receiver.url, statuses: ['exploded'] },
      token: world.tokens.alice,
    });
    expectProblem(exploded, 400);
    // raw: an event type the spec's enum does not allow
    const unknownEvent = await sendRaw(world.kiln.url, 'POST', '/webhooks', {
      body: { url: receiver.url, events: ['task.exploded'] },
      token: world.tokens.alice,
    });
    expectProblem(unknownEvent, 400);
  });
}
