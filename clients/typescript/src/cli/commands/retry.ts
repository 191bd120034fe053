import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import { loggedInClient } from '../session';
import { examples } from './examples';

export function retryCommand(): Command {
  return new Command('retry')
    .description('run a failed, timed-out or cancelled task again (same id, next attempt)')
    .argument('<id>', 'task id')
    .addHelpText('after', examples('kiln retry "$ID" && kiln logs -f "$ID"'))
    .action(async (id: string, _options, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const task = await unwrap(
        client.api.POST('/api/v1/tasks/{id}/retry', { params: { path: { id } } }),
      );
      process.stdout.write(`${task.id} ${task.status}\n`);
    });
}
