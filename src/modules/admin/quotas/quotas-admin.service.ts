// What admins do to per-user quotas, each change audited with the overrides before and
// after. A quota names a user that exists; the user's record is read first for a 404.
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLogService, RequestOrigin } from '../../audit';
import { Principal, UserAccountsService } from '../../auth';
import { QuotaAdministration, QuotaOverrides, UserQuotaView } from '../../tasks';
import { QuotaListResponse } from './quota.response';

@Injectable()
export class QuotasAdminService {
  constructor(
    private readonly quotas: QuotaAdministration,
    private readonly accounts: UserAccountsService,
    private readonly audit: AuditLogService,
  ) {}

  async list(): Promise<QuotaListResponse> {
    return { defaults: this.quotas.defaults(), items: await this.quotas.list() };
  }

  async get(userId: string): Promise<UserQuotaView> {
    await this.accounts.get(userId);
    return this.quotas.of(userId);
  }

  async update(
    actor: Principal,
    userId: string,
    changes: Partial<QuotaOverrides>,
    origin: RequestOrigin,
  ): Promise<UserQuotaView> {
    const before = await this.get(userId);
    const after = await this.quotas.set(userId, definedOnly(changes));
    await this.record(AuditAction.QuotaSet, actor, userId, origin, {
      before: before.overrides,
      after: after.overrides,
    });
    return after;
  }

  async clear(actor: Principal, userId: string, origin: RequestOrigin): Promise<void> {
    const before = await this.get(userId);
    if (!(await this.quotas.clear(userId))) return;
    await this.record(AuditAction.QuotaCleared, actor, userId, origin, {
      before: before.overrides,
    });
  }

  private record(
    action: AuditAction,
    actor: Principal,
    userId: string,
    origin: RequestOrigin,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      action,
      actor: { id: actor.userId, username: actor.username },
      target: { type: 'user', id: userId },
      origin,
      details,
    });
  }
}

function definedOnly(changes: Partial<QuotaOverrides>): Partial<QuotaOverrides> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
