// What admins do to task queues, each change audited with the settings before and after.
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLogService, RequestOrigin } from '../../audit';
import { Principal } from '../../auth';
import { QueueAdministration, QueueChanges, QueueDefinition, QueueView } from '../../tasks';
import { queueSettingsOf } from './queue-view.mapper';

@Injectable()
export class QueuesAdminService {
  constructor(
    private readonly queues: QueueAdministration,
    private readonly audit: AuditLogService,
  ) {}

  list(): Promise<QueueView[]> {
    return this.queues.list();
  }

  get(name: string): Promise<QueueView> {
    return this.queues.get(name);
  }

  async create(
    actor: Principal,
    definition: QueueDefinition,
    origin: RequestOrigin,
  ): Promise<QueueView> {
    const created = await this.queues.create(definition);
    await this.record(AuditAction.QueueCreated, actor, created.name, origin, {
      after: queueSettingsOf(created),
    });
    return created;
  }

  async update(
    actor: Principal,
    queue: string,
    changes: QueueChanges,
    origin: RequestOrigin,
    action = AuditAction.QueueUpdated,
  ): Promise<QueueView> {
    const { before, after } = await this.queues.update(queue, changes);
    await this.record(action, actor, queue, origin, {
      before: queueSettingsOf(before),
      after: queueSettingsOf(after),
    });
    return after;
  }

  async delete(actor: Principal, queue: string, origin: RequestOrigin): Promise<void> {
    const deleted = await this.queues.delete(queue);
    await this.record(AuditAction.QueueDeleted, actor, queue, origin, {
      before: queueSettingsOf(deleted),
    });
  }

  async drain(actor: Principal, queue: string, origin: RequestOrigin): Promise<number> {
    const cancelled = await this.queues.drain(queue, actor);
    await this.record(AuditAction.QueueDrained, actor, queue, origin, { cancelled });
    return cancelled;
  }

  private record(
    action: AuditAction,
    actor: Principal,
    queue: string,
    origin: RequestOrigin,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      action,
      actor: { id: actor.userId, username: actor.username },
      target: { type: 'queue', id: queue },
      origin,
      details,
    });
  }
}
