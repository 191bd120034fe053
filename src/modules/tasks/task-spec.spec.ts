import { getMetadataStorage } from 'class-validator';
import { getMetadataArgsStorage } from 'typeorm';
import { CreateTaskDto } from './api/dto/create-task.dto';
import { toTaskResponse } from './api/task.mapper';
import { TaskStatus } from './lifecycle/task-status';
import { Task } from './persistence/entities/task.entity';
import { DEFAULT_RETRY_BACKOFF_SECONDS, SpecQueue, TaskSpec } from './task-spec';

const QUEUE: SpecQueue = {
  name: 'gpu',
  defaultResources: { cpu: 1, memoryMiB: 1024, gpu: 0 },
};

/** Every field a submit may carry, each away from its default. */
const FULL_REQUEST: Required<CreateTaskDto> = {
  name: 'resnet-50',
  description: 'baseline run',
  labels: { team: 'vision' },
  queue: 'gpu',
  priority: 7,
  command: ['python', 'train.py'],
  shell: true,
  image: 'registry.example/trainer:1.2',
  workingDir: 'src',
  env: { EPOCHS: '3' },
  hyperparameters: { lr: 0.01, layers: [64, 64] },
  resources: { cpu: 2.5, memoryMiB: 4096, gpu: 2 },
  maxRetries: 3,
  retryBackoffSeconds: 30,
  timeoutSeconds: 3600,
  dependsOn: ['0b8f7a52-1c6d-4c4e-9a57-3f0f6a0c9d11'],
  noRetryExitCodes: [2, 137],
};

/** Task columns that describe where a task is in its life rather than what it runs. */
const STATE_COLUMNS = [
  'id',
  'ownerId',
  'status',
  'progressPermille',
  'attempt',
  'retriesUsed',
  'lostCount',
  'exitCode',
  'failureReason',
  'notBefore',
  'version',
  'idempotencyKey',
  'idempotencyFingerprint',
  'createdAt',
  'updatedAt',
  'queuedAt',
  'startedAt',
  'finishedAt',
];

function requestFields(): string[] {
  const rules = getMetadataStorage().getTargetValidationMetadatas(CreateTaskDto, '', true, false);
  return [...new Set(rules.map((rule) => rule.propertyName))].sort();
}

function taskColumns(): string[] {
  return getMetadataArgsStorage()
    .columns.filter((column) => column.target === Task)
    .map((column) => column.propertyName)
    .sort();
}

function savedTask(spec: TaskSpec): Task {
  const now = new Date();
  return Object.assign(new Task(), {
    ...TaskSpec.toColumns(spec),
    id: '5d1e2c9a-0a4b-4f59-8d3e-2b1f0c7e6a44',
    ownerId: '9f3c1b7e-2d4a-4e8b-a6c1-7e0d5f2b3a19',
    status: TaskStatus.Pending,
    progressPermille: 0,
    attempt: 0,
    retriesUsed: 0,
    lostCount: 0,
    exitCode: null,
    failureReason: null,
    notBefore: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
  });
}

describe('TaskSpec', () => {
  it('the full request used below sets every field a submit may carry', () => {
    expect(Object.keys(FULL_REQUEST).sort()).toEqual(requestFields());
  });

  it('every field of a submit reaches the stored task and comes back unchanged in the response', () => {
    const spec = TaskSpec.fromRequest(FULL_REQUEST, QUEUE);
    const task = savedTask(spec);
    expect(TaskSpec.ofTask(task)).toEqual(spec);
    const response = toTaskResponse(task, true) as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(FULL_REQUEST)) {
      expect({ field, value: response[field] }).toEqual({ field, value });
    }
  });

  it('every task column is either part of the spec or of the task state', () => {
    const specColumns = Object.keys(TaskSpec.toColumns(TaskSpec.fromRequest(FULL_REQUEST, QUEUE)));
    expect([...specColumns, ...STATE_COLUMNS].sort()).toEqual(taskColumns());
  });

  it('a submit that leaves fields out gets the defaults, resources from its queue field by field', () => {
    const spec = TaskSpec.fromRequest(
      { name: 'minimal', command: ['true'], resources: { gpu: 1 } },
      QUEUE,
    );
    expect(spec).toEqual({
      name: 'minimal',
      description: null,
      labels: {},
      queue: 'gpu',
      priority: 0,
      command: ['true'],
      shell: false,
      image: null,
      workingDir: null,
      env: {},
      hyperparameters: {},
      resources: { cpu: 1, memoryMiB: 1024, gpu: 1 },
      maxRetries: 0,
      retryBackoffSeconds: DEFAULT_RETRY_BACKOFF_SECONDS,
      timeoutSeconds: null,
      noRetryExitCodes: [],
      dependsOn: [],
    });
  });

  it('fractional CPU survives the round trip through whole millicores', () => {
    const spec = TaskSpec.fromRequest(
      { ...FULL_REQUEST, resources: { cpu: 0.125, memoryMiB: 1, gpu: 0 } },
      QUEUE,
    );
    expect(TaskSpec.toColumns(spec).cpuMillis).toBe(125);
    expect(TaskSpec.ofTask(savedTask(spec)).resources.cpu).toBe(0.125);
  });

  it('a clone takes the overrides and shares no object with its source', () => {
    const source = TaskSpec.fromRequest(FULL_REQUEST, QUEUE);
    const copy = TaskSpec.clone(source, { name: 'resnet-50 (2)' });
    copy.env.EPOCHS = '9';
    copy.command.push('--resume');
    (copy.hyperparameters.layers as number[]).push(128);
    expect(copy.name).toBe('resnet-50 (2)');
    expect(source).toEqual(TaskSpec.fromRequest(FULL_REQUEST, QUEUE));
  });
});
