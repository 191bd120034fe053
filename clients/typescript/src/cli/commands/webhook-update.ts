// `kiln admin webhooks update ID`: point a webhook elsewhere, change what it hears,
// disable it or enable it again.
import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import type { components } from '../../generated/schema';
import type { Webhook } from '../../types';
import { printDetails, type DetailRows } from '../details';
import { CliExit, EXIT } from '../exit-codes';
import { outputOption, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import { examples } from './examples';

type WebhookChange = components['schemas']['UpdateWebhookDto'];

interface UpdateOptions {
  deliverTo?: string;
  event?: NonNullable<WebhookChange['events']>;
  allEvents?: boolean;
  status?: NonNullable<WebhookChange['statuses']>;
  allStatuses?: boolean;
  enabled?: boolean;
  output: OutputFormat;
}

export function webhookUpdateCommand(): Command {
  return (
    new Command('update')
      .description('change where a webhook delivers, what it hears, or whether it is enabled')
      .argument('<id>', 'webhook id')
      // not --url, which names the Kiln server for every command
      .option('--deliver-to <url>', 'the URL deliveries go to from now on')
      .option('--event <type...>', 'only these event types, e.g. task.status service.status')
      .option('--all-events', 'every event type')
      .option('--status <status...>', 'only these task statuses, e.g. succeeded failed')
      .option('--all-statuses', 'every task status change')
      .option('--enable', 'enable it (again), clearing its failure count')
      .option('--disable', 'stop delivering until enabled')
      .addOption(outputOption())
      .addHelpText(
        'after',
        examples(
          'kiln admin webhooks update "$HOOK" --deliver-to https://ci.example.com/kiln',
          'kiln admin webhooks update "$HOOK" --event task.status --status failed timed_out',
          'kiln admin webhooks update "$HOOK" --enable',
        ),
      )
      .action(
        async (
          id: string,
          options: UpdateOptions & { enable?: boolean; disable?: boolean },
          self: Command,
        ) => {
          if (options.enable && options.disable)
            throw new CliExit(EXIT.error, '--enable and --disable contradict each other');
          const client = loggedInClient(self.optsWithGlobals());
          const body = changeOf({
            ...options,
            enabled: options.enable ? true : options.disable ? false : undefined,
          });
          if (Object.keys(body).length === 0)
            throw new CliExit(EXIT.error, 'nothing to change: give a flag (see --help)');
          const webhook = await unwrap(
            client.api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body }),
          );
          printDetails(options.output, webhook, describeWebhook(webhook));
        },
      )
  );
}

function changeOf(options: UpdateOptions): WebhookChange {
  if (options.event && options.allEvents)
    throw new CliExit(EXIT.error, '--event and --all-events contradict each other');
  if (options.status && options.allStatuses)
    throw new CliExit(EXIT.error, '--status and --all-statuses contradict each other');
  const change: WebhookChange = {
    url: options.deliverTo,
    events: options.allEvents ? null : options.event,
    statuses: options.allStatuses ? null : options.status,
    enabled: options.enabled,
  };
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
}

function describeWebhook(webhook: Webhook): DetailRows {
  return [
    ['ID', webhook.id],
    ['URL', webhook.url],
    ['Events', webhook.events?.join(', ') ?? 'all'],
    ['Statuses', webhook.statuses?.join(', ') ?? 'all'],
    [
      'Enabled',
      webhook.enabled ? 'yes' : `no${webhook.disabledReason ? ` (${webhook.disabledReason})` : ''}`,
    ],
    ['Failures', String(webhook.consecutiveFailures)],
    ['All tasks', webhook.allTasks ? 'yes' : undefined],
  ];
}
