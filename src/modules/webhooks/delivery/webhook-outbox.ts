// Turns task status changes, service status changes and schedule fires into deliveries
// (leader only). It reads each log in order from a position stored with the deliveries
// it writes, in one transaction, so a crash or a change of leader neither loses nor
// repeats an event; then it puts the new deliveries on the job queue. Deliveries still
// pending long after their last possible try are put on the queue again, and with the
// in-process job queue, which starts empty, every pending delivery is at boot. A task
// change made in this process wakes it once the change is old enough to be read (see
// SETTLE_MS); the tick covers the rest.
import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { LeaderInterval, LeaderLoop } from '../../../common/scheduling/leader-loop';
import { KilnConfig } from '../../../config/kiln.config';
import { JOB_QUEUES, JobQueues } from '../../../infra/jobs/job-queue.port';
import { LEADER_LOCK, LeaderLock } from '../../../infra/lock/leader-lock.port';
import { ScheduleFireLog } from '../../schedules';
import { ServiceEventLog } from '../../services';
import { TaskEventLog, TaskLifecycle } from '../../tasks';
import { DeliveriesRepository, OutboxSource } from '../deliveries.repository';
import { WebhookDelivery } from '../webhook-delivery.entity';
import { Webhook } from '../webhook.entity';
import { WebhooksRepository } from '../webhooks.repository';
import { WebhookEventType } from './webhook-events';
import { WebhookListeners } from './webhook-listeners';
import {
  scheduleEventOf,
  scheduleFirePayload,
  serviceEventPayload,
  taskStatusPayload,
} from './webhook-payloads';
import { WebhookSender } from './webhook-sender';

const EVENTS_PER_PASS = 500;
const OUTBOX_TICK_MS = 1000;
/**
 * Events younger than this wait a pass: an event id taken by a transaction that has not
 * committed yet would otherwise be skipped for good once a later id is read.
 */
const SETTLE_MS = 500;
/**
 * Schedule fires are ordered by the time they fired, stamped when the leader's pass
 * began, before the submit in their transaction: they wait longer, so a slow submit
 * still commits before the outbox reads past its time.
 */
const FIRE_SETTLE_MS = 5000;
const STALE_PER_PASS = 100;
/** Pending deliveries re-queued at the boot of an embedded Kiln; older ones wait for passes. */
const PENDING_AT_BOOT = 10_000;

interface TaskSubject {
  taskId: string;
  eventId: number;
}

@Injectable()
export class WebhookOutbox implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop = new LeaderLoop({
    name: 'webhook-outbox',
    pass: () => this.pass(),
    isLeader: () => this.lock.isLeader,
  });
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
    @Inject(JOB_QUEUES) private readonly jobQueues: JobQueues,
    private readonly taskEvents: TaskEventLog,
    private readonly serviceEvents: ServiceEventLog,
    private readonly scheduleFires: ScheduleFireLog,
    private readonly lifecycle: TaskLifecycle,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly sender: WebhookSender,
  ) {}

  onModuleInit(): void {
    this.lifecycle.changes.on('change', () => this.wakeOnceSettled());
  }

  onModuleDestroy(): void {
    clearTimeout(this.settleTimer);
  }

  /** The first start of Kiln with webhooks hears changes from now on, not the history. */
  async onApplicationBootstrap(): Promise<void> {
    await this.startAt('task-events', () => this.taskEvents.lastId());
    await this.startAt('service-events', () => this.serviceEvents.lastId());
    await this.startAt('schedule-fires', () => Promise.resolve(Date.now()));
    // the in-process job queue starts empty: every pending delivery lost its job
    if (this.jobQueues.driver === 'memory') await this.resendPending(new Date());
  }

  @LeaderInterval('webhooks.outbox', OUTBOX_TICK_MS)
  tick(): Promise<void> {
    return this.loop.tick();
  }

  private async startAt(source: OutboxSource, position: () => Promise<number>): Promise<void> {
    if ((await this.deliveries.outboxPosition(source)) === null) {
      await this.deliveries.startOutboxAt(source, await position());
    }
  }

  /**
   * One pass for the changes of the next SETTLE_MS, once they can be read: a pass woken
   * at the change itself would find it too young, and under a steady stream of changes
   * passes would run back to back, each reading nothing.
   */
  private wakeOnceSettled(): void {
    this.settleTimer ??= setTimeout(() => {
      this.settleTimer = undefined;
      this.loop.wake();
    }, SETTLE_MS);
  }

  private async pass(): Promise<void> {
    const listeners = new WebhookListeners(this.webhooks);
    await this.readTaskEvents(listeners);
    await this.readServiceEvents(listeners);
    await this.readScheduleFires(listeners);
    await this.resendStale();
  }

  private async readTaskEvents(listeners: WebhookListeners): Promise<void> {
    const position = await this.deliveries.outboxPosition('task-events');
    if (position === null) return; // set at bootstrap
    const events = settled(await this.taskEvents.after(position, EVENTS_PER_PASS));
    if (events.length === 0) return;
    const created: WebhookDelivery[] = [];
    for (const event of events) {
      if (event.kind !== 'status') continue;
      for (const webhook of await listeners.of(event.ownerId, 'task.status')) {
        if (webhook.statuses && !webhook.statuses.includes(event.to)) continue;
        const subject = { taskId: event.taskId, eventId: event.id };
        created.push(
          deliveryOf(webhook, 'task.status', (id) => taskStatusPayload(id, event), subject),
        );
      }
    }
    await this.commit('task-events', created, events[events.length - 1].id, events.length);
  }

  private async readServiceEvents(listeners: WebhookListeners): Promise<void> {
    const position = await this.deliveries.outboxPosition('service-events');
    if (position === null) return;
    const events = settled(await this.serviceEvents.after(position, EVENTS_PER_PASS));
    if (events.length === 0) return;
    const created: WebhookDelivery[] = [];
    for (const event of events) {
      const type = event.kind === 'scale' ? 'service.scaled' : 'service.status';
      for (const webhook of await listeners.of(event.ownerId, type)) {
        created.push(deliveryOf(webhook, type, (id) => serviceEventPayload(id, type, event)));
      }
    }
    await this.commit('service-events', created, events[events.length - 1].id, events.length);
  }

  /** Fires are read by time: the position is the time of the last one read, in ms. */
  private async readScheduleFires(listeners: WebhookListeners): Promise<void> {
    const position = await this.deliveries.outboxPosition('schedule-fires');
    if (position === null) return;
    const until = new Date(Date.now() - FIRE_SETTLE_MS);
    let fires = await this.scheduleFires.between(new Date(position), until, EVENTS_PER_PASS);
    if (fires.length === 0) return;
    const full = fires.length === EVENTS_PER_PASS;
    if (full) {
      // the next pass starts after the last time read: leave fires of that time to it
      const last = fires[fires.length - 1].firedAt.getTime();
      const earlier = fires.filter((fire) => fire.firedAt.getTime() < last);
      if (earlier.length > 0) fires = earlier;
    }
    const created: WebhookDelivery[] = [];
    for (const fire of fires) {
      const event = scheduleEventOf(fire);
      for (const webhook of await listeners.of(fire.ownerId, event)) {
        created.push(deliveryOf(webhook, event, (id) => scheduleFirePayload(id, fire)));
      }
    }
    const next = full ? fires[fires.length - 1].firedAt.getTime() : until.getTime();
    await this.commit('schedule-fires', created, next, full ? EVENTS_PER_PASS : fires.length);
  }

  private async commit(
    source: OutboxSource,
    created: WebhookDelivery[],
    position: number,
    read: number,
  ): Promise<void> {
    await this.deliveries.insertFromOutbox(source, created, position);
    for (const delivery of created) await this.sender.enqueueInTurn(delivery);
    if (read === EVENTS_PER_PASS) this.loop.wake();
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

/** The events up to the first one too young to be read yet (see SETTLE_MS). */
function settled<T extends { occurredAt: Date }>(events: T[]): T[] {
  const cutoff = Date.now() - SETTLE_MS;
  const young = events.findIndex((event) => event.occurredAt.getTime() > cutoff);
  return young === -1 ? events : events.slice(0, young);
}

function deliveryOf(
  webhook: Webhook,
  event: WebhookEventType,
  payloadOf: (deliveryId: string) => Record<string, unknown>,
  task?: TaskSubject,
): WebhookDelivery {
  const id = randomUUID();
  return Object.assign(new WebhookDelivery(), {
    id,
    webhookId: webhook.id,
    event,
    taskId: task?.taskId ?? null,
    eventId: task?.eventId ?? null,
    payload: payloadOf(id),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
}
