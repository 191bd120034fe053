import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import { loggedInClient } from '../session';
import { examples } from './examples';

export function cancelCommand(): Command {
  return new Command('cancel')
    .description('cancel tasks (a running one is stopped, with the grace period its queue gives)')
    .argument('<ids...>', 'task ids')
    .addHelpText(
      'after',
      examples(
        'kiln cancel "$ID"',
        'kiln ls --status queued -o json | jq -r ".[].id" | xargs kiln cancel',
      ),
    )
    .action(async (ids: string[], _options, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      for (const id of ids) {
        const task = await unwrap(
          client.api.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } } }),
        );
        process.stdout.write(`${task.id} ${task.status}\n`);
      }
    });
}
