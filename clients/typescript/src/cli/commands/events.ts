import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import type { KilnClient } from '../../kiln-client';
import { isFinal, isTaskFeedEvent, type TaskEvent } from '../../types';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import type { Column } from '../table';
import { examples } from './examples';

const change = (event: TaskEvent) =>
  event.kind === 'progress'
    ? `progress ${Math.round((event.progress ?? 0) * 100)}%`
    : `${event.from ?? ''} → ${event.to}`;

const COLUMNS: Column<TaskEvent>[] = [
  { header: 'TIME', value: (event) => event.occurredAt },
  { header: 'ATTEMPT', value: (event) => (event.attempt === null ? '' : String(event.attempt)) },
  { header: 'CHANGE', value: change },
  { header: 'BY', value: (event) => event.actor, flexible: true },
  { header: 'REASON', value: (event) => event.reason ?? '', flexible: true },
];

export function eventsCommand(): Command {
  return new Command('events')
    .description("a task's history: every status change and progress report")
    .argument('<id>', 'task id')
    .option('-f, --follow', 'then print each new event until the task ends')
    .addOption(outputOption())
    .addHelpText(
      'after',
      examples('kiln events "$ID"', 'kiln events -f "$ID"', 'kiln events "$ID" -o json'),
    )
    .action(
      async (id: string, options: { output: OutputFormat; follow?: boolean }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const events = await unwrap(
          client.api.GET('/api/v1/tasks/{id}/events', { params: { path: { id } } }),
        );
        if (options.follow && options.output === 'json') printJsonLines(events);
        else print(options.output, events, events, COLUMNS);
        const last = events.at(-1);
        if (options.follow && !(last && last.kind === 'status' && isFinal(last.to)))
          await followEvents(client, id, last, options.output === 'json');
      },
    );
}

/**
 * New events from the live feed, resumed right after the last one listed (event ids
 * are the feed's Last-Event-ID), until the task reaches a final status.
 */
async function followEvents(
  client: KilnClient,
  taskId: string,
  after: TaskEvent | undefined,
  json: boolean,
) {
  const stop = new AbortController();
  const lastEventId = after === undefined ? undefined : String(after.id);
  for await (const event of client.events({ taskId, lastEventId, signal: stop.signal })) {
    if (!isTaskFeedEvent(event)) continue;
    if (json) printJsonLines([event]);
    else process.stdout.write(`${event.occurredAt}  ${change(event)}  ${event.reason ?? ''}\n`);
    if (event.kind === 'status' && isFinal(event.to)) {
      stop.abort();
      break;
    }
  }
}

function printJsonLines(events: TaskEvent[]) {
  for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`);
}
