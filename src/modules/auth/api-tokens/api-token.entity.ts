import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, JsonColumn, TimestampColumn } from '../../../infra/database/dialect';
import type { Scope } from '../scope';
import { User } from '../users/user.entity';

/** A long-lived credential for CLIs, notebooks and CI. Only its SHA-256 is stored. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryColumn('uuid')
  id: string;

  @Index('IDX_api_tokens_user_id')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_api_tokens_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Index('UQ_api_tokens_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** The first characters of the secret, so a user can tell their tokens apart. */
  @Column({ type: 'varchar', length: 16 })
  hint: string;

  /** null: the token may do whatever its user may. */
  @JsonColumn({ nullable: true })
  scopes: Scope[] | null;

  @TimestampColumn({ name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @TimestampColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;
}
