import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAtColumn } from '../../../../infra/database/dialect';

/** A per-user override of the default limits (config `tasks.userLimits`); null keeps the default. */
@Entity('user_quotas')
export class UserQuota {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'max_running', type: 'integer', nullable: true })
  maxRunning: number | null;

  @Column({ name: 'max_gpus', type: 'integer', nullable: true })
  maxGpus: number | null;

  @Column({ name: 'max_pending', type: 'integer', nullable: true })
  maxPending: number | null;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
