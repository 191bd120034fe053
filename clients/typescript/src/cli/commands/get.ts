import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { unwrap } from '../../kiln-client';
import type { Task } from '../../types';
import { age, paintStatus } from '../task-columns';
import { loggedInClient } from '../session';
import { examples } from './examples';

export function getCommand(): Command {
  return new Command('get')
    .description('show one task')
    .argument('<id>', 'task id')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['text', 'json', 'yaml'])
        .default('text'),
    )
    .addHelpText('after', examples('kiln get 5f0c…', 'kiln get "$ID" -o json | jq .status'))
    .action(async (id: string, options: { output: string }, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const task = await unwrap(client.api.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
      if (options.output === 'json') process.stdout.write(`${JSON.stringify(task, null, 2)}\n`);
      else if (options.output === 'yaml') process.stdout.write(stringify(task));
      else process.stdout.write(describe(task));
    });
}

function describe(task: Task): string {
  const rows: Array<[string, string | undefined]> = [
    ['ID', task.id],
    ['Name', task.name],
    ['Status', paintStatus(task.status)(task.status)],
    ['Failure', task.failureReason ?? undefined],
    ['Exit code', task.exitCode === null ? undefined : String(task.exitCode)],
    ['Queue', task.queue],
    ['Progress', `${Math.round(task.progress * 100)}%`],
    ['Attempt', `${task.attempt} (retries used ${task.retriesUsed} of ${task.maxRetries})`],
    ['Command', task.command.join(' ')],
    ['Image', task.image ?? undefined],
    [
      'Hyperparameters',
      Object.keys(task.hyperparameters).length ? JSON.stringify(task.hyperparameters) : undefined,
    ],
    [
      'Labels',
      Object.entries(task.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || undefined,
    ],
    [
      'Resources',
      `cpu ${task.resources.cpu}, memory ${task.resources.memoryMiB}Mi, gpu ${task.resources.gpu}`,
    ],
    [
      'Waiting',
      task.waiting ? `#${task.waiting.position}: ${task.waiting.reasons.join('; ')}` : undefined,
    ],
    ['Created', `${task.createdAt} (${age(task.createdAt)} ago)`],
    ['Started', task.startedAt ?? undefined],
    ['Finished', task.finishedAt ?? undefined],
  ];
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined);
  const width = Math.max(...shown.map(([key]) => key.length)) + 1;
  return shown.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}\n`).join('');
}
