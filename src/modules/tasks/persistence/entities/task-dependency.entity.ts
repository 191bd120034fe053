import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Task } from './task.entity';

/** Task `taskId` starts only after task `dependsOnId` has succeeded. */
@Entity('task_dependencies')
@Index('IDX_task_dependencies_depends_on', ['dependsOnId'])
export class TaskDependency {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @PrimaryColumn({ name: 'depends_on_id', type: 'uuid' })
  dependsOnId: string;

  /** Deleting the task deletes this row with it. Never loaded: it is there for the foreign key. */
  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_task_dependencies_task' })
  readonly task?: never;

  /**
   * Deleting the task depended on removes the dependency (only a task no pending task
   * waits for can be deleted). Never loaded.
   */
  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'depends_on_id',
    foreignKeyConstraintName: 'FK_task_dependencies_depends_on',
  })
  readonly dependsOn?: never;
}
