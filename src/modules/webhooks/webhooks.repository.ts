// The webhooks table.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Webhook } from './webhook.entity';

@Injectable()
export class WebhooksRepository {
  constructor(@InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>) {}

  one(id: string): Promise<Webhook | null> {
    return this.webhooks.findOneBy({ id });
  }

  /** Every webhook, or the owner's only. */
  list(ownerId?: string): Promise<Webhook[]> {
    return this.webhooks.find({
      where: ownerId ? { ownerId } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The enabled webhooks that hear `ownerId`'s events: theirs, and those for all tasks. */
  enabledFor(ownerId: string): Promise<Webhook[]> {
    return this.webhooks.find({
      where: [
        { enabled: true, ownerId },
        { enabled: true, allTasks: true },
      ],
    });
  }

  async insert(webhook: Webhook): Promise<void> {
    await this.webhooks.insert(webhook);
  }

  async update(id: string, patch: Partial<Webhook>): Promise<void> {
    await this.webhooks.update(
      { id },
      {
        ...patch,
        updatedAt: new Date(),
      },
    );
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.webhooks.delete({ id })).affected ?? 0) > 0;
  }

  async recordSuccess(id: string): Promise<void> {
    await this.webhooks.update({ id }, { consecutiveFailures: 0 });
  }

  /** Counts a failed delivery; true when that disabled the webhook (`disableAfter` in a row). */
  async recordFailure(id: string, disableAfter: number): Promise<boolean> {
    await this.webhooks
      .createQueryBuilder()
      .update()
      .set({ consecutiveFailures: () => 'consecutive_failures + 1' })
      .where('id = :id', { id })
      .execute();
    const result = await this.webhooks
      .createQueryBuilder()
      .update()
      .set({
        enabled: false,
        disabledReason: () =>
          "'disabled after ' || consecutive_failures || ' failed deliveries in a row'",
        updatedAt: new Date(),
      })
      .where('id = :id AND enabled = :enabled AND consecutive_failures >= :disableAfter', {
        id,
        enabled: true,
        disableAfter,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
