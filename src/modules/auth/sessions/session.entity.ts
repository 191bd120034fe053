import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, TimestampColumn } from '../../../infra/database/dialect';
import { User } from '../users/user.entity';

/** One login: the family of refresh tokens that descend from it. */
@Entity('auth_sessions')
export class Session {
  @PrimaryColumn('uuid')
  id: string;

  @Index('IDX_auth_sessions_user_id')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_auth_sessions_user_id' })
  user?: User;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: string | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;
}
