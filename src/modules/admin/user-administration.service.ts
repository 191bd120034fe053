import { Injectable } from '@nestjs/common';
import { ConflictError } from '../../common/errors/domain-error';
import { AuditAction, AuditLogService, RequestOrigin } from '../audit';
import { NewUser, Principal, Role, UserAccountsService, UserChanges, UserResponse } from '../auth';
import { decodeUserCursor, encodeUserCursor } from './user-cursor';

export interface UserListQuery {
  limit: number;
  cursor?: string;
  role?: Role;
  disabled?: boolean;
  search?: string;
}

export interface UserPage {
  users: UserResponse[];
  nextCursor: string | null;
}

/** What admins do to users, each change audited. */
@Injectable()
export class UserAdministrationService {
  constructor(
    private readonly accounts: UserAccountsService,
    private readonly audit: AuditLogService,
  ) {}

  async list(query: UserListQuery): Promise<UserPage> {
    const users = await this.accounts.page({
      afterUsername: query.cursor ? decodeUserCursor(query.cursor) : undefined,
      limit: query.limit + 1,
      role: query.role,
      disabled: query.disabled,
      search: query.search,
    });
    const page = users.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor = users.length > query.limit ? encodeUserCursor(last.username) : null;
    return { users: page, nextCursor };
  }

  async get(id: string): Promise<UserResponse> {
    return this.accounts.get(id);
  }

  async create(actor: Principal, input: NewUser, origin: RequestOrigin): Promise<UserResponse> {
    const user = await this.accounts.create(input);
    await this.record(AuditAction.UserCreated, actor, user, origin, {
      username: user.username,
      roles: user.roles,
    });
    return user;
  }

  async update(
    actor: Principal,
    id: string,
    changes: UserChanges,
    origin: RequestOrigin,
  ): Promise<UserResponse> {
    const user = await this.accounts.get(id);
    if (user.id === actor.userId) await this.assertKeepsAdminAccess(user, changes);
    const updated = await this.accounts.update(id, changes);
    await this.record(AuditAction.UserUpdated, actor, updated, origin, { ...changes });
    return updated;
  }

  async resetPassword(
    actor: Principal,
    id: string,
    password: string,
    origin: RequestOrigin,
  ): Promise<void> {
    const user = await this.accounts.resetPassword(id, password);
    await this.record(AuditAction.UserPasswordReset, actor, user, origin);
  }

  /** An admin cannot demote themselves, nor disable themselves as the last admin. */
  private async assertKeepsAdminAccess(self: UserResponse, changes: UserChanges): Promise<void> {
    if (changes.roles && self.roles.includes(Role.Admin) && !changes.roles.includes(Role.Admin)) {
      throw new ConflictError('You cannot remove your own admin role; ask another admin.');
    }
    if (changes.disabled === true && (await this.accounts.countActiveAdmins()) <= 1) {
      throw new ConflictError('You are the last active admin and cannot disable yourself.');
    }
  }

  private async record(
    action: AuditAction,
    actor: Principal,
    target: UserResponse,
    origin: RequestOrigin,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({
      action,
      actor: { id: actor.userId, username: actor.username },
      target: { type: 'user', id: target.id },
      origin,
      details,
    });
  }
}
