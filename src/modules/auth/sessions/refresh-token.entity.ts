import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, TimestampColumn } from '../../../infra/database/dialect';
import { Session } from './session.entity';

/** One refresh token of a session. Only its SHA-256 is stored; it may be used once. */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryColumn('uuid')
  id: string;

  @Index('IDX_refresh_tokens_session_id')
  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'FK_refresh_tokens_session_id' })
  session?: Session;

  @Index('UQ_refresh_tokens_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt: Date;

  /** When it was exchanged for its successor; a second use is a replay. */
  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt: Date | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;
}
