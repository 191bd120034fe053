import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../common/errors/domain-error';
import { AuditAction, AuditLogService, RequestOrigin } from '../audit';
import { Principal } from './principal';
import { SessionsService } from './sessions/sessions.service';
import { User } from './users/user.entity';
import { UsersService } from './users/users.service';

/** What signed-in users do to their own account. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditLogService,
  ) {}

  async me(principal: Principal): Promise<User> {
    return this.users.get(principal.userId);
  }

  /** Needs the current password; ends every other session of the user. */
  async changePassword(
    principal: Principal,
    currentPassword: string,
    newPassword: string,
    origin: RequestOrigin,
  ): Promise<void> {
    const user = await this.users.get(principal.userId);
    if (!(await this.users.verifyPassword(user, currentPassword))) {
      throw new InvalidInputError('The current password is incorrect.', [
        { field: 'currentPassword', message: 'is incorrect' },
      ]);
    }
    await this.users.setPassword(user, newPassword, 'newPassword');
    await this.sessions.revokeAllOfUser(user.id, 'password-change', principal.sessionId);
    await this.audit.record({
      action: AuditAction.PasswordChanged,
      actor: user,
      target: { type: 'user', id: user.id },
      origin,
    });
  }
}
