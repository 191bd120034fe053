import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import type { TaskEvent } from '../../types';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import type { Column } from '../table';
import { examples } from './examples';

const COLUMNS: Column<TaskEvent>[] = [
  { header: 'TIME', value: (event) => event.occurredAt },
  { header: 'ATTEMPT', value: (event) => (event.attempt === null ? '' : String(event.attempt)) },
  {
    header: 'CHANGE',
    value: (event) =>
      event.kind === 'progress'
        ? `progress ${Math.round((event.progress ?? 0) * 100)}%`
        : `${event.from ?? ''} → ${event.to}`,
  },
  { header: 'BY', value: (event) => event.actor, flexible: true },
  { header: 'REASON', value: (event) => event.reason ?? '', flexible: true },
];

export function eventsCommand(): Command {
  return new Command('events')
    .description("a task's history: every status change and progress report")
    .argument('<id>', 'task id')
    .addOption(outputOption())
    .addHelpText('after', examples('kiln events "$ID"', 'kiln events "$ID" -o json'))
    .action(async (id: string, options: { output: OutputFormat }, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const events = await unwrap(
        client.api.GET('/api/v1/tasks/{id}/events', { params: { path: { id } } }),
      );
      print(options.output, events, events, COLUMNS);
    });
}
