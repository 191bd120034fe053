import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infra/database/dialect';

/** A running Kiln process, as its own heartbeat last wrote it. */
@Entity('kiln_processes')
export class KilnProcessRow {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  role: string;

  @Column({ type: 'varchar', length: 255 })
  host: string;

  @Column({ type: 'integer' })
  pid: number;

  @Column({ type: 'varchar', length: 64 })
  version: string;

  @Column({ type: 'boolean' })
  leader: boolean;

  @TimestampColumn({ name: 'started_at' })
  startedAt: Date;

  @Index('IDX_kiln_processes_heartbeat')
  @TimestampColumn({ name: 'heartbeat_at' })
  heartbeatAt: Date;
}
