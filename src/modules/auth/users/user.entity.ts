import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UpdatedAtColumn } from '../../../infra/database/dialect';
import { Role } from '../role';

@Entity('users')
export class User {
  @PrimaryColumn('uuid')
  id: string;

  /** As the admin typed it; shown in the API. */
  @Column({ type: 'varchar', length: 64 })
  username: string;

  /** Lower-cased username: the unique key that makes usernames case-insensitive. */
  @Index('UQ_users_username_normalized', { unique: true })
  @Column({ name: 'username_normalized', type: 'varchar', length: 64 })
  usernameNormalized: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ name: 'display_name', type: 'varchar', length: 128 })
  displayName: string;

  /** Stored as `admin,member`, so role filters are a portable LIKE. */
  @Column({ type: 'simple-array' })
  roles: Role[];

  @Column({ type: 'boolean' })
  disabled: boolean;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @TimestampColumn({ name: 'password_changed_at' })
  passwordChangedAt: Date;

  @TimestampColumn({ name: 'last_login_at', nullable: true })
  lastLoginAt: Date | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
