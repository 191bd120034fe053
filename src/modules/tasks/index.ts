// The tasks module's public surface: other modules import only what is exported here.
// Tasks are submitted and read through TasksService; entities stay private.
export { CreateTaskDto } from './api/dto/create-task.dto';
export { TasksService } from './api/tasks.service';
export { TASKS_RETENTION_SUBJECT } from './retention/finished-task-retention';
export { isFinal, TaskStatus } from './lifecycle/task-status';
export { TaskSpec } from './task-spec';
export { TasksModule } from './tasks.module';
