import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import { followTask } from '../follow';
import { positiveInteger } from '../key-values';
import { loggedInClient } from '../session';
import { examples } from './examples';

export function logsCommand(): Command {
  return new Command('logs')
    .description("print a task's log; with -f, follow it until the task ends")
    .argument('<id>', 'task id')
    .option(
      '-f, --follow',
      'keep printing new lines until the task ends, each retry after its attempt (named on stderr)',
    )
    .option('--attempt <n>', 'this attempt instead of the latest', positiveInteger)
    .option('--tail <n>', 'only the last n lines', positiveInteger)
    .addHelpText(
      'after',
      examples(
        'kiln logs -f "$ID"',
        'kiln logs "$ID" --attempt 1 --tail 20',
        'kiln logs -f "$ID" --attempt 2   # that attempt only',
      ),
    )
    .action(
      async (
        id: string,
        options: { follow?: boolean; attempt?: number; tail?: number },
        self: Command,
      ) => {
        const client = loggedInClient(self.optsWithGlobals());
        if (options.follow) {
          const sink = { line: (text: string) => process.stdout.write(`${text}\n`), clear() {} };
          if (options.attempt !== undefined) {
            await followTask(client, id, sink, { firstAttempt: options.attempt, onlyFirst: true });
            return;
          }
          const path = { id };
          const task = await unwrap(client.api.GET('/api/v1/tasks/{id}', { params: { path } }));
          await followTask(client, id, sink, { firstAttempt: Math.max(1, task.attempt) });
          return;
        }
        const text = await unwrap(
          client.api.GET('/api/v1/tasks/{id}/logs', {
            params: { path: { id }, query: { attempt: options.attempt, tail: options.tail } },
            parseAs: 'text',
          }),
        );
        process.stdout.write(text);
      },
    );
}
