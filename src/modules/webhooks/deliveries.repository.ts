// Deliveries, their tries (the delivery log) and the outbox position.
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, LessThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { WebhookAttempt } from './webhook-attempt.entity';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookOutboxPosition } from './webhook-outbox-position.entity';
import type { RetentionStatements } from '../../common/retention/retention-statements';
import { deleteOldRows } from '../../infra/database/batched-delete';
import { inTransaction } from '../../infra/database/transaction';

/** Each log the outbox reads keeps its own position, by name. */
export type OutboxSource = 'task-events' | 'service-events' | 'schedule-fires';

@Injectable()
export class DeliveriesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectRepository(WebhookAttempt) private readonly attempts: Repository<WebhookAttempt>,
  ) {}

  one(id: string): Promise<WebhookDelivery | null> {
    return this.deliveries.findOneBy({ id });
  }

  /** Newest first. */
  forWebhook(webhookId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries.find({
      where: { webhookId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  attemptsOf(deliveryIds: string[]): Promise<WebhookAttempt[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.attempts.find({
      where: { deliveryId: In(deliveryIds) },
      order: { deliveryId: 'ASC', attempt: 'ASC' },
    });
  }

  async insert(delivery: WebhookDelivery): Promise<void> {
    await this.deliveries.insert(delivery as QueryDeepPartialEntity<WebhookDelivery>);
  }

  /** New deliveries and the outbox's position in `source`, in one transaction. */
  async insertFromOutbox(
    source: OutboxSource,
    deliveries: WebhookDelivery[],
    lastEventId: number,
  ): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      if (deliveries.length > 0) {
        await manager.insert(
          WebhookDelivery,
          deliveries as QueryDeepPartialEntity<WebhookDelivery>[],
        );
      }
      await manager.upsert(WebhookOutboxPosition, { name: source, lastEventId }, ['name']);
    });
  }

  /** Sets the position unless one is set; replicas starting together agree on one. */
  async startOutboxAt(source: OutboxSource, lastEventId: number): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(WebhookOutboxPosition)
      .values({ name: source, lastEventId })
      .orIgnore()
      .execute();
  }

  async outboxPosition(source: OutboxSource): Promise<number | null> {
    const row = await this.dataSource
      .getRepository(WebhookOutboxPosition)
      .findOneBy({ name: source });
    return row ? row.lastEventId : null;
  }

  /** Logs a try; `nextAttemptAt` is when the job queue retries, null when it does not. */
  async recordAttempt(
    attempt: Omit<WebhookAttempt, 'id' | 'occurredAt'>,
    nextAttemptAt: Date | null,
  ): Promise<void> {
    await this.attempts.insert({ ...attempt, occurredAt: new Date() });
    await this.deliveries.update(
      { id: attempt.deliveryId },
      {
        attempts: () => 'attempts + 1',
        nextAttemptAt,
        updatedAt: new Date(),
      },
    );
  }

  /** A delivery that ends, or is sent again now, waits for no retry. */
  async setStatus(id: string, status: DeliveryStatus): Promise<void> {
    await this.deliveries.update({ id }, { status, nextAttemptAt: null, updatedAt: new Date() });
  }

  /**
   * The pending delivery of the same webhook and task told of the earliest event: the
   * one that goes out first. Deliveries of no task (pings) are each their own head.
   */
  async headOf(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    if (delivery.taskId === null || delivery.eventId === null) return delivery;
    const head = await this.deliveries.findOne({
      where: { webhookId: delivery.webhookId, taskId: delivery.taskId, status: 'pending' },
      order: { eventId: 'ASC' },
    });
    return head ?? delivery;
  }

  /**
   * Removes up to `limit` deliveries that ended (succeeded or failed) before `cutoff`,
   * with their tries (the foreign key cascades). A pending one stays, whatever its age.
   */
  deleteEndedBefore(cutoff: Date, limit: number, statements: RetentionStatements): Promise<number> {
    const ended: DeliveryStatus[] = ['succeeded', 'failed'];
    return deleteOldRows(
      this.deliveries,
      {
        column: 'updated_at',
        before: cutoff,
        limit,
        where: { sql: 'r.status IN (:...ended)', parameters: { ended } },
      },
      statements,
    );
  }

  /** Pending deliveries untouched since `before`: their job may have been lost. */
  stalePending(before: Date, limit: number): Promise<WebhookDelivery[]> {
    return this.deliveries.find({
      where: { status: 'pending', updatedAt: LessThan(before) },
      order: { updatedAt: 'ASC' },
      take: limit,
    });
  }
}
