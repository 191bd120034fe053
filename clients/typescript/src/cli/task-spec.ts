// The task `kiln run` submits, from its options and the command after `--`.
import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { TaskSubmission } from '../types';
import { typedValues } from './key-values';

export interface RunOptions {
  name?: string;
  queue?: string;
  priority?: number;
  gpus?: number;
  cpu?: number;
  memory?: number;
  retries?: number;
  timeout?: number;
  retryBackoff?: number;
  image?: string;
  workdir?: string;
  param?: Record<string, string>;
  env?: Record<string, string>;
  label?: Record<string, string>;
}

export function submissionOf(command: string[], options: RunOptions): TaskSubmission {
  const resources = {
    gpu: options.gpus,
    cpu: options.cpu,
    memoryMiB: options.memory,
  };
  const hasResources = Object.values(resources).some((value) => value !== undefined);
  return dropUndefined({
    name: options.name ?? nameOf(command),
    command,
    queue: options.queue,
    priority: options.priority,
    maxRetries: options.retries,
    timeoutSeconds: options.timeout,
    retryBackoffSeconds: options.retryBackoff,
    image: options.image,
    workingDir: options.workdir,
    hyperparameters: options.param ? typedValues(options.param) : undefined,
    env: options.env,
    labels: options.label,
    resources: hasResources ? dropUndefined(resources) : undefined,
  });
}

/** The script's file name when there is one (`python3 train.py` → train.py). */
function nameOf(command: string[]): string {
  const script = command.find(
    (word, index) => index > 0 && /[./]/.test(word) && !word.startsWith('-'),
  );
  return basename(script ?? command[0]).slice(0, 200);
}

/** `30`, `90s`, `15m`, `2h` → seconds. */
export function duration(text: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new InvalidArgumentError(`expected a duration like 90s, 15m or 2h, got "${text}"`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
}

/** `512`, `512Mi`, `4Gi`, `4G` → MiB. */
export function memory(text: string): number {
  const match = /^(\d+)(Mi|M|Gi|G)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`expected memory like 512Mi or 4Gi, got "${text}"`);
  return Number(match[1]) * (match[2]?.startsWith('G') ? 1024 : 1);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
