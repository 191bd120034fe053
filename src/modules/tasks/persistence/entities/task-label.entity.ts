import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One label of a task, as a row, so `label=key=value` filters use an index. */
@Entity('task_labels')
@Index('IDX_task_labels_key_value', ['key', 'value'])
export class TaskLabel {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @PrimaryColumn({ type: 'varchar', length: 63 })
  key: string;

  @Column({ type: 'varchar', length: 255 })
  value: string;
}
