// A forced retention run over old and new data: it removes exactly what is past its
// setting (tasks with their rows and run directories, audit entries, expired refresh
// tokens and ended sessions, ended webhook deliveries, service events and old service
// revisions) and keeps the rest and the tasks others still reference. Written once, run
// on the embedded default and on PostgreSQL + Redis.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap } from '@kiln/client';
import { DataSource, In } from 'typeorm';
import { waitUntil } from '../../../src/common/wait-until';
import { RetentionRunner } from '../../../src/common/retention/retention-runner';
import { KilnConfig } from '../../../src/config/kiln.config';
import { AuditEntry } from '../../../src/modules/audit/audit-entry.entity';
import { RefreshToken } from '../../../src/modules/auth/sessions/refresh-token.entity';
import { localRunsDir } from '../../../src/modules/runtimes/local/process/run-directory';
import { ServiceEvent } from '../../../src/modules/services/persistence/service-event.entity';
import { ServiceRevision } from '../../../src/modules/services/persistence/service-revision.entity';
import { Service } from '../../../src/modules/services/persistence/service.entity';
import { ServiceStatus } from '../../../src/modules/services/lifecycle/service-status';
import { WebhookAttempt } from '../../../src/modules/webhooks/webhook-attempt.entity';
import {
  DeliveryStatus,
  WebhookDelivery,
} from '../../../src/modules/webhooks/webhook-delivery.entity';
import { Webhook } from '../../../src/modules/webhooks/webhook.entity';
import { TaskMetricPoint } from '../../../src/modules/tasks/training-metrics/task-metric-point.entity';
import { Task } from '../../../src/modules/tasks/persistence/entities/task.entity';
import { StartApp, startTaskWorld, TaskWorld } from '../tasks/task-world';

const DAY_MS = 86_400_000;
const REPORTS_A_METRIC = [
  '/bin/sh',
  '-c',
  'echo \'KILN_METRIC {"name":"loss","step":1,"value":0.5}\'',
];

export function retentionScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;
  let dataSource: DataSource;
  let runsDir: string;

  beforeAll(async () => {
    world = await startTaskWorld(start, {
      KILN_RETENTION_TASK_DAYS: '30',
      KILN_RETENTION_AUDIT_DAYS: '365',
      KILN_RETENTION_SESSION_DAYS: '7',
      KILN_RETENTION_WEBHOOK_DELIVERY_DAYS: '30',
      KILN_RETENTION_SERVICE_EVENT_DAYS: '90',
      KILN_RETENTION_SERVICE_REVISIONS: '10',
      KILN_RETENTION_BATCH_SIZE: '2',
      ...env,
    });
    dataSource = world.kiln.app.get(DataSource);
    runsDir = localRunsDir(world.kiln.app.get(KilnConfig));
  });

  afterAll(() => world?.kiln.close());

  const finishedTask = async (name: string) => {
    const submitted = await world.submit({ name, command: REPORTS_A_METRIC });
    await world.waitForStatus(submitted.data!.id, ['succeeded']);
    return submitted.data!.id;
  };
  const age = async (ids: string[], days: number) => {
    await dataSource
      .createQueryBuilder()
      .update(Task)
      .set({ finishedAt: new Date(Date.now() - days * DAY_MS) })
      .where({ id: In(ids) })
      .execute();
  };
  const exists = async (id: string) =>
    (await world.as.admin.GET('/api/v1/tasks/{id}', { params: { path: { id } } })).response
      .status === 200;

  it('removes finished tasks past their days with their rows and run directories, and keeps the rest', async () => {
    const old = [
      await finishedTask('old 1'),
      await finishedTask('old 2'),
      await finishedTask('old 3'),
    ];
    const recent = await finishedTask('recent');
    const schedule = await unwrap(
      world.as.alice.POST('/api/v1/schedules', {
        body: { name: 'held', cron: '0 0 1 1 *', task: { name: 'scheduled', command: ['true'] } },
      }),
    );
    const fired = await unwrap(
      world.as.alice.POST('/api/v1/schedules/{id}/trigger', {
        params: { path: { id: schedule.id } },
      }),
    );
    const firedTask = fired.taskId!;
    await world.waitForStatus(firedTask, ['succeeded']);
    await age([...old, firedTask], 31);
    await age([recent], 29);
    for (const id of old) expect(existsSync(join(runsDir, id))).toBe(true);
    const metricPoints = () =>
      dataSource.getRepository(TaskMetricPoint).countBy({ taskId: In(old) });
    // points are written in batches, which may land just after the run ends
    expect(
      (await waitUntil(async () => (await metricPoints()) === 3, { timeoutMs: 10_000 })).satisfied,
    ).toBe(true);

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed.tasks).toBe(3);
    // each statement is reported with its table: batches of 2 make two deletes of tasks
    expect(summary.statements).toContainEqual(
      expect.objectContaining({ rule: 'tasks', table: 'tasks', kind: 'delete', deleted: 3 }),
    );
    expect(summary.longestStatement?.ms).toBeGreaterThan(0);
    for (const id of old) {
      expect(await exists(id)).toBe(false);
      expect(existsSync(join(runsDir, id))).toBe(false);
    }
    expect(await metricPoints()).toBe(0);
    expect(await exists(recent)).toBe(true);
    expect(existsSync(join(runsDir, recent))).toBe(true);
    // the live schedule's latest task is held, however old
    expect(await exists(firedTask)).toBe(true);
  });

  it('removes audit entries past their own, longer setting', async () => {
    const entries = dataSource.getRepository(AuditEntry);
    const all = await entries.find({ select: { id: true } });
    expect(all.length).toBeGreaterThan(1);
    const [oldest, ...rest] = all;
    await entries.update({ id: oldest.id }, { occurredAt: new Date(Date.now() - 366 * DAY_MS) });
    await entries.update({ id: rest[0].id }, { occurredAt: new Date(Date.now() - 100 * DAY_MS) });

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed.audit).toBe(1);
    expect(await entries.existsBy({ id: oldest.id })).toBe(false);
    expect(await entries.count()).toBe(all.length - 1);
  });

  it('removes refresh tokens expired past their days, and keeps live sessions', async () => {
    const tokens = dataSource.getRepository(RefreshToken);
    const before = await tokens.count();
    const [expired] = await tokens.find({ take: 1, order: { createdAt: 'ASC' } });
    await tokens.update({ id: expired.id }, { expiresAt: new Date(Date.now() - 8 * DAY_MS) });

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed.sessions).toBeGreaterThanOrEqual(1);
    expect(await tokens.existsBy({ id: expired.id })).toBe(false);
    expect(await tokens.count()).toBe(before - 1);
    // the others still work
    expect((await world.as.bob.GET('/api/v1/tasks')).response.status).toBe(200);
  });

  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

  it('removes webhook deliveries that ended past their days with their tries, and keeps pending ones', async () => {
    const webhook = Object.assign(new Webhook(), {
      id: randomUUID(),
      ownerId: randomUUID(),
      url: 'https://receiver.example/hook',
      secret: 'not used: the webhook is disabled',
      allTasks: false,
      statuses: null,
      enabled: false,
      disabledReason: 'seeded for retention',
      consecutiveFailures: 0,
    });
    await dataSource.getRepository(Webhook).insert(webhook);
    const delivery = async (status: DeliveryStatus, endedDaysAgo: number) => {
      const id = randomUUID();
      await dataSource.getRepository(WebhookDelivery).insert({
        id,
        webhookId: webhook.id,
        event: 'ping',
        taskId: null,
        eventId: null,
        payload: { event: 'ping' },
        status,
        attempts: 1,
        createdAt: daysAgo(endedDaysAgo),
        updatedAt: daysAgo(endedDaysAgo),
      });
      await dataSource.getRepository(WebhookAttempt).insert({
        deliveryId: id,
        attempt: 1,
        statusCode: 200,
        durationMs: 5,
        error: null,
        occurredAt: daysAgo(endedDaysAgo),
      });
      return id;
    };
    const oldSucceeded = await delivery('succeeded', 31);
    const oldFailed = await delivery('failed', 31);
    const oldPending = await delivery('pending', 31);
    const recent = await delivery('succeeded', 29);

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed['webhook-deliveries']).toBe(2);
    const deliveries = dataSource.getRepository(WebhookDelivery);
    const left = await deliveries.findBy({ webhookId: webhook.id });
    expect(left.map((row) => row.id).sort()).toEqual([oldPending, recent].sort());
    const tries = await dataSource
      .getRepository(WebhookAttempt)
      .countBy({ deliveryId: In([oldSucceeded, oldFailed]) });
    expect(tries).toBe(0);
    expect(summary.statements).toContainEqual(
      expect.objectContaining({
        rule: 'webhook-deliveries',
        table: 'webhook_deliveries',
        kind: 'delete',
        deleted: 2,
      }),
    );
  });

  it('removes old service events and revisions beyond the newest ten, keeping the serving one and the task it serves', async () => {
    const servedTask = await finishedTask('served model');
    await age([servedTask], 31);
    const now = new Date();
    const service = Object.assign(new Service(), {
      id: randomUUID(),
      ownerId: randomUUID(),
      name: `retained-${randomUUID().slice(0, 8)}`,
      description: null,
      labels: {},
      queue: 'default',
      runtime: 'local',
      status: ServiceStatus.Stopped,
      reason: 'seeded for retention',
      desiredReplicas: 0,
      readyReplicas: 0,
      updatedReplicas: 0,
      targetRevision: 13,
      servingRevision: 2,
      rolloutState: 'complete',
      rolloutStartedAt: now,
      rolloutTimeoutSeconds: 60,
      invokeTimeoutSeconds: 60,
      invokeRetry: true,
      handle: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    } satisfies Service);
    await dataSource.getRepository(Service).insert(service);
    const revisions = Array.from({ length: 13 }, (_, index) =>
      Object.assign(new ServiceRevision(), {
        id: randomUUID(),
        serviceId: service.id,
        number: index + 1,
        model:
          index + 1 === 2
            ? {
                taskId: servedTask,
                attempt: 1,
                path: 'model',
                hostPath: '/nowhere/model',
                outputDir: '/nowhere',
                isDirectory: true,
              }
            : null,
        command: ['serve'],
        image: null,
        env: {},
        cpuMillis: 100,
        memoryMiB: 64,
        gpu: 0,
        port: 8080,
        healthPath: '/healthz',
        createdBy: service.ownerId,
        cause: 'updated',
        createdAt: daysAgo(13 - index),
      }),
    );
    await dataSource.getRepository(ServiceRevision).insert(revisions);
    const event = (daysOld: number) => ({
      serviceId: service.id,
      ownerId: service.ownerId,
      fromStatus: null,
      toStatus: ServiceStatus.Stopped,
      revision: 1,
      actor: 'system',
      reason: null,
      occurredAt: daysAgo(daysOld),
    });
    await dataSource.getRepository(ServiceEvent).insert([event(91), event(92), event(89)]);

    const summary = await world.kiln.app.get(RetentionRunner).runNow();

    expect(summary.removed['service-events']).toBe(2);
    expect(summary.removed['service-revisions']).toBe(2);
    const kept = await dataSource
      .getRepository(ServiceRevision)
      .find({ where: { serviceId: service.id }, order: { number: 'ASC' } });
    // the newest ten (4 to 13), and 2, which serves
    expect(kept.map((revision) => revision.number)).toEqual([2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const events = await dataSource.getRepository(ServiceEvent).findBy({ serviceId: service.id });
    expect(events).toHaveLength(1);
    expect(events[0].occurredAt.getTime()).toBeGreaterThan(daysAgo(90).getTime());
    // the serving revision's model comes from that task's run directory: it stays
    expect(await exists(servedTask)).toBe(true);
    expect(existsSync(join(runsDir, servedTask))).toBe(true);
  });
}
