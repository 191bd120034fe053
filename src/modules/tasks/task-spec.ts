// What a user asks a task to run: the one list of a task's spec fields. Submit, clone,
// the API view and the run spec all go through it, so a new field is added to the
// request DTO, the entity (and its migration) and here, and nowhere else.
import type { QueueResourceDefaults } from '../../config/sections/tasks.config';
import type { CreateTaskDto } from './api/dto/create-task.dto';
import type { ResourcesDto } from './api/dto/resources.dto';
import type { Task } from './persistence/entities/task.entity';

/** A resource request in API units: CPU in cores (fractions allowed), memory in MiB. */
export interface TaskResources {
  cpu: number;
  memoryMiB: number;
  gpu: number;
}

export interface TaskSpec {
  name: string;
  description: string | null;
  labels: Record<string, string>;
  queue: string;
  priority: number;
  command: string[];
  shell: boolean;
  image: string | null;
  workingDir: string | null;
  env: Record<string, string>;
  hyperparameters: Record<string, unknown>;
  resources: TaskResources;
  maxRetries: number;
  retryBackoffSeconds: number;
  timeoutSeconds: number | null;
  noRetryExitCodes: number[];
  dependsOn: string[];
}

/** The columns of a task row that hold its spec. */
export type TaskSpecColumns = Pick<
  Task,
  | 'name'
  | 'description'
  | 'labels'
  | 'queue'
  | 'priority'
  | 'command'
  | 'shell'
  | 'image'
  | 'workingDir'
  | 'env'
  | 'hyperparameters'
  | 'cpuMillis'
  | 'memoryMiB'
  | 'gpu'
  | 'maxRetries'
  | 'retryBackoffSeconds'
  | 'timeoutSeconds'
  | 'noRetryExitCodes'
  | 'dependsOn'
>;

/** The queue a request resolved to, which fills in what the request left out. */
export interface SpecQueue {
  name: string;
  defaultResources: QueueResourceDefaults;
}

export const DEFAULT_RETRY_BACKOFF_SECONDS = 10;

/** A validated submit, with every field it left out at its default. */
function fromRequest(dto: CreateTaskDto, queue: SpecQueue): TaskSpec {
  return {
    name: dto.name,
    description: dto.description ?? null,
    labels: dto.labels ?? {},
    queue: queue.name,
    priority: dto.priority ?? 0,
    command: dto.command,
    shell: dto.shell ?? false,
    image: dto.image ?? null,
    workingDir: dto.workingDir ?? null,
    env: dto.env ?? {},
    hyperparameters: dto.hyperparameters ?? {},
    resources: withDefaults(dto.resources, queue.defaultResources),
    maxRetries: dto.maxRetries ?? 0,
    retryBackoffSeconds: dto.retryBackoffSeconds ?? DEFAULT_RETRY_BACKOFF_SECONDS,
    timeoutSeconds: dto.timeoutSeconds ?? null,
    noRetryExitCodes: dto.noRetryExitCodes ?? [],
    dependsOn: dto.dependsOn ?? [],
  };
}

/**
 * Each resource left out takes the queue's default. Field by field, not a spread: a DTO
 * instance holds its absent fields as undefined, which a spread would copy over the
 * defaults.
 */
function withDefaults(
  resources: ResourcesDto | undefined,
  defaults: QueueResourceDefaults,
): TaskResources {
  return {
    cpu: resources?.cpu ?? defaults.cpu,
    memoryMiB: resources?.memoryMiB ?? defaults.memoryMiB,
    gpu: resources?.gpu ?? defaults.gpu,
  };
}

function ofTask(task: Task): TaskSpec {
  return {
    name: task.name,
    description: task.description,
    labels: task.labels,
    queue: task.queue,
    priority: task.priority,
    command: task.command,
    shell: task.shell,
    image: task.image,
    workingDir: task.workingDir,
    env: task.env,
    hyperparameters: task.hyperparameters,
    resources: { cpu: task.cpuMillis / 1000, memoryMiB: task.memoryMiB, gpu: task.gpu },
    maxRetries: task.maxRetries,
    retryBackoffSeconds: task.retryBackoffSeconds,
    timeoutSeconds: task.timeoutSeconds,
    noRetryExitCodes: task.noRetryExitCodes,
    dependsOn: task.dependsOn,
  };
}

function toColumns(spec: TaskSpec): TaskSpecColumns {
  const { resources, ...rest } = spec;
  return {
    ...rest,
    // thousandths of a core, so no float lands in the database
    cpuMillis: Math.round(resources.cpu * 1000),
    memoryMiB: resources.memoryMiB,
    gpu: resources.gpu,
  };
}

/** A deep copy, so the new task shares no object with the old one, with `overrides` applied. */
function clone(spec: TaskSpec, overrides: Partial<TaskSpec> = {}): TaskSpec {
  return { ...structuredClone(spec), ...structuredClone(overrides) };
}

/**
 * The spec as a submit body (a template shown back): fields a submit may leave out are
 * left out rather than null, and `env` only when the reader may see it.
 */
function toRequest(spec: TaskSpec, options: { withEnv: boolean }): CreateTaskDto {
  const { description, image, workingDir, timeoutSeconds, env, ...rest } = spec;
  return {
    ...rest,
    ...(description !== null ? { description } : {}),
    ...(image !== null ? { image } : {}),
    ...(workingDir !== null ? { workingDir } : {}),
    ...(timeoutSeconds !== null ? { timeoutSeconds } : {}),
    ...(options.withEnv ? { env } : {}),
  };
}

export const TaskSpec = { fromRequest, ofTask, toColumns, clone, toRequest };
