import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Task } from './task.entity';

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

  /** Deleting the task deletes this row with it. Never loaded: it is there for the foreign key. */
  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_task_labels_task' })
  readonly task?: never;
}
