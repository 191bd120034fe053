import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import type { TaskUpdate } from '../../types';
import { collectPair } from '../key-values';
import { loggedInClient } from '../session';
import { examples } from './examples';

export function cloneCommand(): Command {
  return new Command('clone')
    .description(
      'submit a new task with the same spec, optionally renamed, relabelled or reprioritised',
    )
    .argument('<id>', 'the task to copy')
    .option('--name <name>', 'name of the copy')
    .option('--priority <n>', 'priority of the copy', Number)
    .option(
      '--label <key=value>',
      'labels of the copy (replace the copied ones); repeatable',
      collectPair,
    )
    .addHelpText('after', examples('kiln clone "$ID" --name logreg-again'))
    .action(
      async (
        id: string,
        options: { name?: string; priority?: number; label?: Record<string, string> },
        self: Command,
      ) => {
        const client = loggedInClient(self.optsWithGlobals());
        const copy = await unwrap(
          client.api.POST('/api/v1/tasks/{id}/clone', { params: { path: { id } } }),
        );
        const update: TaskUpdate = {
          name: options.name,
          priority: options.priority,
          labels: options.label,
        };
        if (Object.values(update).some((value) => value !== undefined))
          await unwrap(
            client.api.PATCH('/api/v1/tasks/{id}', {
              params: { path: { id: copy.id } },
              body: update,
            }),
          );
        process.stdout.write(`${copy.id}\n`);
      },
    );
}
