// Between the submit form's fields and the API's CreateTaskDto. Lists and maps are typed
// as text (one argument or KEY=value per line, hyperparameters as JSON or YAML); parsing
// fails with a message for the field, like the API's own validation would.
import { parse as parseYaml } from 'yaml';
import type { Task, TaskSubmission } from '../api/types';

export interface SubmissionFields {
  name: string;
  description?: string;
  queue?: string;
  priority?: number;
  commandText: string;
  shell?: boolean;
  image?: string;
  workingDir?: string;
  envText?: string;
  labelsText?: string;
  hyperparametersText?: string;
  resources?: { cpu?: number; memoryMiB?: number; gpu?: number };
  maxRetries?: number;
  retryBackoffSeconds?: number;
  timeoutSeconds?: number;
  noRetryExitCodesText?: string;
  dependsOnText?: string;
}

/** The form field an API field error belongs to (`resources.gpu` → ['resources', 'gpu']). */
export function formFieldOf(apiField: string): string | string[] {
  const [head, ...rest] = apiField.split(/[.[]/);
  const text: Record<string, string> = {
    command: 'commandText',
    env: 'envText',
    labels: 'labelsText',
    hyperparameters: 'hyperparametersText',
    noRetryExitCodes: 'noRetryExitCodesText',
    dependsOn: 'dependsOnText',
  };
  if (text[head]) return text[head];
  if (head === 'resources' && rest[0]) return ['resources', rest[0]];
  return head;
}

const lines = (text = '') =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export function parseHyperparameters(text = ''): Record<string, unknown> | undefined {
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new Error(`Not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('Hyperparameters must be an object of names to values');
  return value as Record<string, unknown>;
}

export function parsePairs(text = '', what: string): Record<string, string> | undefined {
  const entries = lines(text).map((line) => {
    const at = line.indexOf('=');
    if (at < 1) throw new Error(`Each ${what} line is KEY=value; "${line}" is not`);
    return [line.slice(0, at), line.slice(at + 1)] as const;
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export function parseExitCodes(text = ''): number[] | undefined {
  const codes = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  if (codes.some((code) => !Number.isInteger(code) || code < 1 || code > 255))
    throw new Error('Exit codes are whole numbers from 1 to 255');
  return codes.length ? codes : undefined;
}

const compact = <T extends object>(value: T): T =>
  Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined && entry !== ''),
  ) as T;

export function toSubmission(fields: SubmissionFields): TaskSubmission {
  const resources = fields.resources ? compact(fields.resources) : undefined;
  return compact({
    name: fields.name.trim(),
    description: fields.description,
    queue: fields.queue,
    priority: fields.priority,
    command: lines(fields.commandText),
    shell: fields.shell || undefined,
    image: fields.image,
    workingDir: fields.workingDir,
    env: parsePairs(fields.envText, 'environment'),
    labels: parsePairs(fields.labelsText, 'label'),
    hyperparameters: parseHyperparameters(fields.hyperparametersText),
    resources: resources && Object.keys(resources).length ? resources : undefined,
    maxRetries: fields.maxRetries,
    retryBackoffSeconds: fields.retryBackoffSeconds,
    timeoutSeconds: fields.timeoutSeconds,
    noRetryExitCodes: parseExitCodes(fields.noRetryExitCodesText),
    dependsOn: lines(fields.dependsOnText).length ? lines(fields.dependsOnText) : undefined,
  });
}

export const pairs = (map: Record<string, string> | undefined) =>
  Object.entries(map ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');

/** A task's spec as form fields: what "clone into form" fills in. */
export function fieldsOf(task: Task): SubmissionFields {
  return {
    name: `${task.name} (copy)`.slice(0, 200),
    description: task.description ?? undefined,
    queue: task.queue,
    priority: task.priority,
    commandText: task.command.join('\n'),
    shell: task.shell,
    image: task.image ?? undefined,
    workingDir: task.workingDir ?? undefined,
    envText: pairs(task.env),
    labelsText: pairs(task.labels),
    hyperparametersText: Object.keys(task.hyperparameters ?? {}).length
      ? JSON.stringify(task.hyperparameters, null, 2)
      : '',
    resources: {
      cpu: task.resources?.cpu ?? undefined,
      memoryMiB: task.resources?.memoryMiB ?? undefined,
      gpu: task.resources?.gpu ?? undefined,
    },
    maxRetries: task.maxRetries,
    retryBackoffSeconds: task.retryBackoffSeconds,
    timeoutSeconds: task.timeoutSeconds ?? undefined,
    noRetryExitCodesText: (task.noRetryExitCodes ?? []).join(', '),
    dependsOnText: (task.dependsOn ?? []).join('\n'),
  };
}
