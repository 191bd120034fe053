import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import { collect } from '../../pagination';
import type { TaskListQuery, TaskStatus } from '../../types';
import { collectPair, positiveInteger } from '../key-values';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import { TASK_COLUMNS } from '../task-columns';
import { examples } from './examples';

interface ListOptions {
  status?: string;
  queue?: string;
  mine?: boolean;
  label?: Record<string, string>;
  name?: string;
  limit: number;
  output: OutputFormat;
}

export function listCommand(): Command {
  return new Command('ls')
    .alias('list')
    .description('list tasks, newest first')
    .option('--status <statuses>', 'only these statuses, comma-separated (e.g. running,queued)')
    .option('--queue <queue>', 'only this queue')
    .option('--mine', 'only your own tasks')
    .option('--label <key=value>', 'only tasks with this label; repeatable', collectPair)
    .option('--name <text>', 'only tasks whose name contains this')
    .option('--limit <n>', 'at most this many', positiveInteger, 50)
    .addOption(outputOption())
    .addHelpText(
      'after',
      examples('kiln ls --status running,queued', 'kiln ls --mine --label team=vision -o json'),
    )
    .action(async (options: ListOptions, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const query: TaskListQuery = {
        status: options.status?.split(',').map((s) => s.trim() as TaskStatus),
        queue: options.queue,
        label: options.label && Object.entries(options.label).map(([k, v]) => `${k}=${v}`),
        nameContains: options.name,
        limit: Math.min(options.limit, 100) || undefined,
      };
      if (options.mine) query.owner = (await unwrap(client.api.GET('/api/v1/auth/me'))).id;
      const tasks = await collect(client.tasks(query), options.limit);
      print(options.output, tasks, tasks, TASK_COLUMNS);
    });
}
