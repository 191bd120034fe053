import { Injectable } from '@nestjs/common';
import { UserResponse } from '../dto/user.response';
import { SessionsService } from '../sessions/sessions.service';
import { toUserResponse } from './user.mapper';
import { UserPageQuery } from './users.repository';
import { NewUser, UserChanges, UsersService } from './users.service';

/**
 * User accounts as other modules manage them: views, never entities, and every change
 * that must end a user's sessions ends them here, so no caller can forget it.
 */
@Injectable()
export class UserAccountsService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  /** Ordered by username in any letter case; `afterUsername` may be spelt in any case. */
  async page(query: UserPageQuery): Promise<UserResponse[]> {
    const afterUsername = query.afterUsername?.toLowerCase();
    const users = await this.users.page({ ...query, afterUsername });
    return users.map(toUserResponse);
  }

  async get(id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.get(id));
  }

  async create(input: NewUser): Promise<UserResponse> {
    return toUserResponse(await this.users.create(input));
  }

  /** Disabling a user ends their sessions at once. */
  async update(id: string, changes: UserChanges): Promise<UserResponse> {
    const updated = await this.users.update(id, changes);
    if (changes.disabled === true) await this.sessions.revokeAllOfUser(id, 'admin');
    return toUserResponse(updated);
  }

  /** Sets a new password and ends the user's sessions. */
  async resetPassword(id: string, password: string): Promise<UserResponse> {
    const user = await this.users.get(id);
    await this.users.setPassword(user, password);
    await this.sessions.revokeAllOfUser(id, 'admin');
    return toUserResponse(user);
  }

  async countActiveAdmins(): Promise<number> {
    return this.users.countActiveAdmins();
  }
}
