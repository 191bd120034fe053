import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LIKE_ESCAPE, escapeLike, isUniqueViolation } from '../../../infra/database/sql-helpers';
import { CredentialCache } from '../credential-cache';
import { Role } from '../role';
import { User } from './user.entity';

export interface UserPageQuery {
  /** Return users whose normalized username sorts after this one. */
  afterUsername?: string;
  limit: number;
  role?: Role;
  disabled?: boolean;
  /** Case-insensitive substring of username, display name or email. */
  search?: string;
}

/** What a user's principal is made of: a change to one must reach authenticated requests at once. */
const PRINCIPAL_FIELDS = ['username', 'roles', 'disabled'] as const satisfies ReadonlyArray<
  keyof User
>;

@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly credentials: CredentialCache,
  ) {}

  /** False when the (normalized) username is taken, even by a concurrent insert. */
  async insertUnlessUsernameTaken(user: User): Promise<boolean> {
    try {
      await this.users.insert(user);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ usernameNormalized: username.toLowerCase() });
  }

  async update(id: string, changes: Partial<User>): Promise<void> {
    await this.users.update({ id }, changes);
    if (PRINCIPAL_FIELDS.some((field) => changes[field] !== undefined)) {
      this.credentials.credentialsChanged();
    }
  }

  async countActiveAdmins(): Promise<number> {
    return this.users
      .createQueryBuilder('user')
      .where('user.disabled = :disabled', { disabled: false })
      .andWhere(hasRole('user'), { role: `%,${Role.Admin},%` })
      .getCount();
  }

  /** Ordered by normalized username, which is unique, so the cursor is stable. */
  async page(query: UserPageQuery): Promise<User[]> {
    const builder = this.users
      .createQueryBuilder('user')
      .orderBy('user.usernameNormalized', 'ASC')
      .take(query.limit);
    if (query.afterUsername !== undefined) {
      builder.andWhere('user.usernameNormalized > :after', { after: query.afterUsername });
    }
    if (query.role !== undefined) builder.andWhere(hasRole('user'), { role: `%,${query.role},%` });
    if (query.disabled !== undefined) {
      builder.andWhere('user.disabled = :disabled', { disabled: query.disabled });
    }
    if (query.search) {
      builder.andWhere(
        `(user.usernameNormalized LIKE :search ${LIKE_ESCAPE} OR LOWER(user.displayName) LIKE :search ${LIKE_ESCAPE} OR LOWER(user.email) LIKE :search ${LIKE_ESCAPE})`,
        { search: `%${escapeLike(query.search.toLowerCase())}%` },
      );
    }
    return builder.getMany();
  }
}

/** roles is stored as `admin,member`; wrapping it in commas makes each role a whole word. */
function hasRole(alias: string): string {
  return `(',' || ${alias}.roles || ',') LIKE :role`;
}
