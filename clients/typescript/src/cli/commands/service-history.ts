// `kiln services revisions|events NAME`: what a service ran, and what happened to it.
import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import type { ServiceEvent, ServiceRevision } from '../../types';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import type { Column } from '../table';
import { age } from '../task-columns';
import { examples } from './examples';

const REVISION_COLUMNS: Column<ServiceRevision>[] = [
  { header: 'REVISION', value: (revision) => String(revision.number) },
  { header: 'CAUSE', value: (revision) => revision.cause ?? '' },
  {
    header: 'MODEL',
    value: (revision) => (revision.model ? `${revision.model.taskId}:${revision.model.path}` : ''),
  },
  {
    header: 'RUNS',
    value: (revision) => revision.image ?? revision.command.join(' '),
    flexible: true,
  },
  { header: 'BY', value: (revision) => revision.createdBy },
  { header: 'AGE', value: (revision) => age(revision.createdAt) },
];

const EVENT_COLUMNS: Column<ServiceEvent>[] = [
  { header: 'TIME', value: (event) => event.occurredAt },
  { header: 'REVISION', value: (event) => String(event.revision) },
  { header: 'CHANGE', value: change },
  { header: 'BY', value: (event) => event.actor },
  { header: 'REASON', value: (event) => event.reason ?? '', flexible: true },
];

function change(event: ServiceEvent): string {
  if (event.kind === 'scale') return `scaled to ${event.replicas ?? '?'}`;
  return `${event.fromStatus ?? '-'} → ${event.toStatus}`;
}

export function revisionsCommand(): Command {
  return new Command('revisions')
    .description('list the revisions of a service, newest first (what rollback can go back to)')
    .argument('<name>', 'service name')
    .addOption(outputOption())
    .addHelpText(
      'after',
      examples('kiln services revisions iris', 'kiln services revisions iris -o yaml'),
    )
    .action(async (name: string, options: { output: OutputFormat }, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const { items } = await unwrap(
        client.api.GET('/api/v1/services/{name}/revisions', { params: { path: { name } } }),
      );
      print(options.output, items, items, REVISION_COLUMNS);
    });
}

export function serviceEventsCommand(): Command {
  return new Command('events')
    .description("list a service's recent status changes and scalings, newest first")
    .argument('<name>', 'service name')
    .addOption(outputOption())
    .addHelpText(
      'after',
      examples('kiln services events iris', 'kiln services events iris -o json'),
    )
    .action(async (name: string, options: { output: OutputFormat }, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const { items } = await unwrap(
        client.api.GET('/api/v1/services/{name}/events', { params: { path: { name } } }),
      );
      print(options.output, items, items, EVENT_COLUMNS);
    });
}
