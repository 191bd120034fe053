import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, UpdatedAtColumn } from '../../../infra/database/dialect';

/** A task queue as stored: seeded from YAML on the first boot, then managed over the API. */
@Entity('task_queues')
export class TaskQueueRow {
  @PrimaryColumn({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  runtime: string;

  @Column({ name: 'max_running', type: 'integer' })
  maxRunning: number;

  @Column({ name: 'max_gpus', type: 'integer' })
  maxGpus: number;

  /** Null: the default rule of the queue access policy. */
  @JsonColumn({ name: 'allowed_roles', nullable: true })
  allowedRoles: string[] | null;

  /** User ids that may submit whatever their role; null: nobody by id. */
  @JsonColumn({ name: 'allowed_users', nullable: true })
  allowedUsers: string[] | null;

  @JsonColumn({ name: 'default_resources' })
  defaultResources: { cpu: number; memoryMiB: number; gpu: number };

  @Column({ type: 'boolean' })
  paused: boolean;

  /** Lowest and highest priority a task of this queue may have; null: no bound. */
  @Column({ name: 'min_priority', type: 'integer', nullable: true })
  minPriority: number | null;

  @Column({ name: 'max_priority', type: 'integer', nullable: true })
  maxPriority: number | null;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
