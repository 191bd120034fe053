// `kiln schedules update NAME|ID`: change a schedule's timing, policy or task template,
// suspend or resume it, from flags or from a file of the fields to change.
import { Command, Option } from 'commander';
import { collect, paginate } from '../../pagination';
import { unwrap, type KilnClient } from '../../kiln-client';
import type { components } from '../../generated/schema';
import type { Schedule } from '../../types';
import { printDetails } from '../details';
import { CliExit, EXIT } from '../exit-codes';
import { positiveInteger } from '../key-values';
import { outputOption, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import { readSpecFile } from '../spec-file';
import { examples } from './examples';
import { describeSchedule } from './schedule-details';

type ScheduleChange = components['schemas']['UpdateScheduleDto'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface UpdateOptions {
  file?: string;
  name?: string;
  cron?: string;
  timezone?: string;
  concurrency?: ScheduleChange['concurrencyPolicy'];
  startingDeadline?: number;
  historyLimit?: number;
  suspend?: boolean;
  output: OutputFormat;
}

export function scheduleUpdateCommand(): Command {
  return new Command('update')
    .description(
      'change a schedule: its timing, policy or task (-f with the fields to change), or suspend/resume it',
    )
    .argument('<schedule>', 'schedule name or id')
    .option('-f, --file <path>', 'YAML or JSON of the fields to change, or - for standard input')
    .option('--name <name>', 'rename it')
    .option('--cron <expression>', '5 fields, or 6 with seconds first')
    .option('--timezone <zone>', 'IANA zone the cron times are read in')
    .addOption(
      new Option('--concurrency <policy>', 'while the previous task runs').choices([
        'Allow',
        'Forbid',
        'Replace',
      ]),
    )
    .option(
      '--starting-deadline <seconds>',
      'how late a missed time may still fire',
      positiveInteger,
    )
    .option('--history-limit <n>', 'fire records kept', positiveInteger)
    .option('--suspend', 'fire nothing until resumed')
    .option('--no-suspend', 'fire again, from the next time on (same as --resume)')
    .addOption(new Option('--resume', 'same as --no-suspend').implies({ suspend: false }))
    .addOption(outputOption())
    .addHelpText(
      'after',
      examples(
        "kiln schedules update nightly --cron '30 4 * * *' --timezone Europe/Berlin",
        'kiln schedules update nightly --suspend',
        'kiln schedules update nightly -f change.yaml',
      ) +
        '\nchange.yaml (any fields of PATCH /api/v1/schedules/{id}; flags win over it):\n  concurrencyPolicy: Forbid\n  task: { name: retrain, command: [python3, train.py, --full] }\n',
    )
    .action(async (schedule: string, options: UpdateOptions, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const id = await scheduleIdOf(client, schedule);
      const body = changeOf(options);
      if (Object.keys(body).length === 0)
        throw new CliExit(EXIT.error, 'nothing to change: give -f or a flag (see --help)');
      const updated: Schedule = await unwrap(
        client.api.PATCH('/api/v1/schedules/{id}', { params: { path: { id } }, body }),
      );
      printDetails(options.output, updated, describeSchedule(updated));
    });
}

function changeOf(options: UpdateOptions): ScheduleChange {
  const fromFile = options.file ? readSpecFile(options.file) : undefined;
  if (fromFile?.kind !== undefined && fromFile.kind !== 'Schedule')
    throw new CliExit(EXIT.error, `${options.file} holds kind: ${fromFile.kind}, not Schedule`);
  const fromFlags: ScheduleChange = {
    name: options.name,
    cron: options.cron,
    timezone: options.timezone,
    concurrencyPolicy: options.concurrency,
    startingDeadlineSeconds: options.startingDeadline,
    historyLimit: options.historyLimit,
    suspend: options.suspend,
  };
  const set = Object.entries(fromFlags).filter(([, value]) => value !== undefined);
  return { ...(fromFile?.body as ScheduleChange | undefined), ...Object.fromEntries(set) };
}

/** An id as given; a name is looked up among the caller's schedules, and must be unique. */
export async function scheduleIdOf(client: KilnClient, schedule: string): Promise<string> {
  if (UUID.test(schedule)) return schedule;
  const all = await collect(
    paginate((cursor) =>
      unwrap(client.api.GET('/api/v1/schedules', { params: { query: { cursor } } })),
    ),
    10_000,
  );
  const named = all.filter((candidate) => candidate.name === schedule);
  if (named.length === 1) return named[0].id;
  if (named.length === 0) throw new CliExit(EXIT.error, `no schedule is named ${schedule}`);
  throw new CliExit(
    EXIT.error,
    `${named.length} schedules are named ${schedule}; give the id: ${named.map((s) => s.id).join(', ')}`,
  );
}
