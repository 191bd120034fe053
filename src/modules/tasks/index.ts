// The tasks module's public surface: other modules import only what is exported here.
export { TasksModule } from './tasks.module';
export { TaskNotSucceededError, TrainedModels } from './artifacts/trained-models';
export type { TrainedModel } from './artifacts/trained-models';
