import { Entity, Index, PrimaryColumn } from 'typeorm';

/** Task `taskId` starts only after task `dependsOnId` has succeeded. */
@Entity('task_dependencies')
@Index('IDX_task_dependencies_depends_on', ['dependsOnId'])
export class TaskDependency {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @PrimaryColumn({ name: 'depends_on_id', type: 'uuid' })
  dependsOnId: string;
}
