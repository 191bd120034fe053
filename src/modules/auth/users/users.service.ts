import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
} from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';
import { Role } from '../role';
import { PasswordHasher } from './password-hasher.service';
import { passwordProblems } from './password-policy';
import { User } from './user.entity';
import { UserPageQuery, UsersRepository } from './users.repository';

export interface NewUser {
  username: string;
  password: string;
  email?: string | null;
  displayName?: string;
  roles: Role[];
}

export interface UserChanges {
  email?: string | null;
  displayName?: string;
  roles?: Role[];
  disabled?: boolean;
}

/** Users and their passwords, inside auth; other modules use UserAccountsService. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly config: KilnConfig,
  ) {}

  async create(input: NewUser): Promise<User> {
    this.assertAcceptablePassword(input.password, input.username);
    const now = new Date();
    const user = Object.assign(new User(), {
      id: randomUUID(),
      username: input.username,
      usernameNormalized: input.username.toLowerCase(),
      email: input.email ?? null,
      displayName: input.displayName ?? input.username,
      roles: uniqueRoles(input.roles),
      disabled: false,
      passwordHash: await this.hasher.hash(input.password),
      passwordChangedAt: now,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
    });
    if (!(await this.users.insertUnlessUsernameTaken(user))) {
      throw new ConflictError(`A user named ${input.username} already exists.`);
    }
    return user;
  }

  /**
   * The user these credentials belong to, or null. Unknown users, disabled users and
   * wrong passwords take the same argon2 time, so timing tells nothing.
   */
  async authenticate(username: string, password: string): Promise<User | null> {
    const user = await this.users.findByUsername(username);
    if (!user) return this.hasher.verifyNobody(password).then(() => null);
    const matches = await this.hasher.verify(user.passwordHash, password);
    if (!matches || user.disabled) return null;
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(password) });
    }
    return user;
  }

  async verifyPassword(user: User, password: string): Promise<boolean> {
    return this.hasher.verify(user.passwordHash, password);
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError(`User ${id} not found.`);
    return user;
  }

  /** The user if they exist and are not disabled: what every authenticated request needs. */
  async findActive(id: string): Promise<User | null> {
    const user = await this.users.findById(id);
    return user && !user.disabled ? user : null;
  }

  async page(query: UserPageQuery): Promise<User[]> {
    return this.users.page(query);
  }

  async countActiveAdmins(): Promise<number> {
    return this.users.countActiveAdmins();
  }

  async update(id: string, changes: UserChanges): Promise<User> {
    const defined = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    ) as UserChanges;
    if (defined.roles) defined.roles = uniqueRoles(defined.roles);
    await this.users.update(id, { ...defined, updatedAt: new Date() });
    return this.get(id);
  }

  async setPassword(user: User, password: string, field = 'password'): Promise<void> {
    this.assertAcceptablePassword(password, user.username, field);
    const now = new Date();
    await this.users.update(user.id, {
      passwordHash: await this.hasher.hash(password),
      passwordChangedAt: now,
      updatedAt: now,
    });
  }

  async recordLogin(id: string): Promise<void> {
    await this.users.update(id, { lastLoginAt: new Date() });
  }

  assertAcceptablePassword(password: string, username: string, field = 'password'): void {
    const problems = passwordProblems(
      password,
      username,
      this.config.auth.passwordMinLength,
      field,
    );
    if (problems.length > 0) {
      throw new InvalidInputError('The password does not meet the password rules.', problems);
    }
  }
}

function uniqueRoles(roles: Role[]): Role[] {
  return [...new Set(roles)];
}
