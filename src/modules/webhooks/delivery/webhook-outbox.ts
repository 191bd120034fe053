// Turns task status changes into deliveries (leader only). It reads the task event log
// in order from a position stored with the deliveries it writes, in one transaction, so
// a crash or a change of leader neither loses nor repeats an event; then it puts the new
// deliveries on the job queue. Deliveries still pending long after their last possible
// try are put on the queue again, and with the in-process job queue, which starts empty,
// every pending delivery is at boot. A task
// change made in this process wakes it at once; the tick covers the other replicas.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { LeaderInterval, LeaderLoop } from '../../../common/scheduling/leader-loop';
import { KilnConfig } from '../../../config/kiln.config';
import { JOB_QUEUES, JobQueues } from '../../../infra/jobs/job-queue.port';
import { LEADER_LOCK, LeaderLock } from '../../../infra/lock/leader-lock.port';
import { TaskEventLog, TaskLifecycle, TaskStatusRecord } from '../../tasks';
import { DeliveriesRepository } from '../deliveries.repository';
import { WebhookDelivery } from '../webhook-delivery.entity';
import { Webhook } from '../webhook.entity';
import { WebhooksRepository } from '../webhooks.repository';
import { WebhookSender } from './webhook-sender';
import { taskStatusPayload } from './webhook-payloads';

const EVENTS_PER_PASS = 500;
const OUTBOX_TICK_MS = 1000;
/**
 * Events younger than this wait a pass: an event id taken by a transaction that has not
 * committed yet would otherwise be skipped for good once a later id is read.
 */
const SETTLE_MS = 500;
const STALE_PER_PASS = 100;
/** Pending deliveries re-queued at the boot of an embedded Kiln; older ones wait for passes. */
const PENDING_AT_BOOT = 10_000;

@Injectable()
export class WebhookOutbox implements OnModuleInit, OnApplicationBootstrap {
  private readonly loop = new LeaderLoop({
    name: 'webhook-outbox',
    pass: () => this.pass(),
    isLeader: () => this.lock.isLeader,
  });

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
    @Inject(JOB_QUEUES) private readonly jobQueues: JobQueues,
    private readonly events: TaskEventLog,
    private readonly lifecycle: TaskLifecycle,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly sender: WebhookSender,
  ) {}

  onModuleInit(): void {
    this.lifecycle.changes.on('change', () => this.loop.wake());
  }

  /** The first start of Kiln with webhooks hears changes from now on, not the history. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.deliveries.outboxPosition()) === null) {
      await this.deliveries.startOutboxAt(await this.events.lastId());
    }
    // the in-process job queue starts empty: every pending delivery lost its job
    if (this.jobQueues.driver === 'memory') await this.resendPending(new Date());
  }

  @LeaderInterval('webhooks.outbox', OUTBOX_TICK_MS)
  tick(): Promise<void> {
    return this.loop.tick();
  }

  private async pass(): Promise<void> {
    await this.readEvents();
    await this.resendStale();
  }

  private async readEvents(): Promise<void> {
    const position = await this.deliveries.outboxPosition();
    if (position === null) return; // set at bootstrap
    const settled = Date.now() - SETTLE_MS;
    const events = (await this.events.after(position, EVENTS_PER_PASS)).filter(
      (event) => event.occurredAt.getTime() <= settled,
    );
    if (events.length === 0) return;
    const created: WebhookDelivery[] = [];
    for (const event of events) {
      if (event.kind !== 'status') continue;
      for (const webhook of await this.webhooks.listeningTo(event.ownerId)) {
        if (webhook.statuses && !webhook.statuses.includes(event.to)) continue;
        created.push(deliveryOf(webhook, event));
      }
    }
    await this.deliveries.insertFromOutbox(created, events[events.length - 1].id);
    for (const delivery of created) await this.sender.enqueueInTurn(delivery);
    if (events.length === EVENTS_PER_PASS) this.loop.wake();
  }

  private async resendStale(): Promise<void> {
    const { backoffMs, backoffMaxMs, maxAttempts, timeoutMs } = this.config.webhooks;
    const longestRetryWait = Math.min(backoffMs * 2 ** (maxAttempts - 1), backoffMaxMs) + timeoutMs;
    await this.resendPending(new Date(Date.now() - 2 * longestRetryWait), STALE_PER_PASS);
  }

  private async resendPending(untouchedSince: Date, limit = PENDING_AT_BOOT): Promise<void> {
    for (const delivery of await this.deliveries.stalePending(untouchedSince, limit)) {
      await this.sender.enqueueInTurn(delivery);
    }
  }
}

function deliveryOf(webhook: Webhook, event: TaskStatusRecord): WebhookDelivery {
  const id = randomUUID();
  return Object.assign(new WebhookDelivery(), {
    id,
    webhookId: webhook.id,
    event: 'task.status',
    taskId: event.taskId,
    eventId: event.id,
    payload: taskStatusPayload(id, event),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
}
