// What survives a restart of an embedded Kiln (same data directory): queues changed
// over the API win over the YAML that seeded them, and a webhook delivery waiting for
// its retry (its job lost with the in-process job queue) is still delivered.
import { unwrap, type components, type KilnClient } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { FAST_WEBHOOKS } from '../scenarios/admin/webhooks.scenarios';
import { queuesConfigFile } from '../scenarios/tasks/task-world';
import { clientAs } from '../support/kiln-clients';
import { startTestApp, TestApp } from '../support/test-app';
import { tempDataDir } from '../support/test-config';
import { WebhookReceiver } from '../support/webhook-receiver';

const ADMIN = { username: 'root', password: 'restart suite password 1' };

describe('administration across a restart of the embedded default', () => {
  const env = {
    ...FAST_WEBHOOKS,
    // the first retry would wait 4 s; the cap makes it 2 s, less up to a quarter of jitter
    KILN_WEBHOOK_BACKOFF_MS: '4000',
    KILN_WEBHOOK_BACKOFF_MAX_MS: '2000',
    KILN_DATA_DIR: tempDataDir(),
    KILN_CONFIG_FILE: queuesConfigFile(),
    KILN_ADMIN_USERNAME: ADMIN.username,
    KILN_ADMIN_PASSWORD: ADMIN.password,
  };
  let kiln: TestApp | undefined;
  let receiver: WebhookReceiver;

  async function start(): Promise<KilnClient['api']> {
    kiln = await startTestApp({ env });
    const client = clientAs(kiln.url);
    await client.login(ADMIN.username, ADMIN.password);
    return client.api;
  }

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await kiln?.close();
    await receiver.close();
  });

  it('keeps queue changes over the seeding YAML, and delivers a webhook that was waiting to retry', async () => {
    let api = await start();
    const tinyPath = { params: { path: { name: 'tiny' } } };
    const changed = await api.PATCH('/api/v1/admin/queues/{name}', {
      ...tinyPath,
      body: { maxRunning: 3 },
    });
    expect(changed.response.status).toBe(200);
    const created = await api.POST('/api/v1/admin/queues', {
      body: { name: 'kept', runtime: 'local', maxRunning: 1, maxGpus: 0 },
    });
    expect(created.response.status).toBe(201);
    const webhook = await unwrap(api.POST('/api/v1/webhooks', { body: { url: receiver.url } }));
    const ofWebhook = { params: { path: { id: webhook.id } } };
    receiver.answerWith(500);
    const ping = await unwrap(api.POST('/api/v1/webhooks/{id}/ping', ofWebhook));
    await receiver.received(1);
    let waiting: components['schemas']['DeliveryResponse'] | undefined;
    const logged = await waitUntil(
      async () => {
        waiting = (await unwrap(api.GET('/api/v1/webhooks/{id}/deliveries', ofWebhook))).items[0];
        return waiting?.attempts.length === 1;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    expect(logged.satisfied).toBe(true);
    expect(waiting).toMatchObject({ id: ping.id, status: 'pending' });
    const wait = Date.parse(waiting!.nextAttemptAt!) - Date.parse(waiting!.attempts[0].occurredAt);
    expect(wait).toBeGreaterThanOrEqual(1500 - 50);
    expect(wait).toBeLessThanOrEqual(2000 + 50);
    await kiln!.close(); // the retry waits on a job queue that is about to vanish
    kiln = undefined;

    api = await start();
    const tiny = await unwrap(api.GET('/api/v1/admin/queues/{name}', tinyPath));
    expect(tiny.maxRunning).toBe(3);
    const kept = await api.GET('/api/v1/admin/queues/{name}', {
      params: { path: { name: 'kept' } },
    });
    expect(kept.response.status).toBe(200);
    const [, retried] = await receiver.received(2);
    expect(retried.json.id).toBe(ping.id);
    const delivered = await waitUntil(
      async () => {
        const log = await unwrap(api.GET('/api/v1/webhooks/{id}/deliveries', ofWebhook));
        return log.items[0]?.status === 'succeeded' && log.items[0].nextAttemptAt === null;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(delivered.satisfied).toBe(true);
  });
});
