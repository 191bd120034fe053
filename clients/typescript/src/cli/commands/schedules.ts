// `kiln schedules …`: cron schedules that submit a task template, each time exactly once.
import { Command } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import type { Schedule, ScheduleSubmission } from '../../types';
import { printDetails } from '../details';
import { CliExit, EXIT } from '../exit-codes';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import { readSpecFile, type SpecFile } from '../spec-file';
import type { Column } from '../table';
import { age } from '../task-columns';
import { examples } from './examples';
import { describeSchedule } from './schedule-details';
import { scheduleUpdateCommand } from './schedule-update';

const SCHEDULE_COLUMNS: Column<Schedule>[] = [
  { header: 'ID', value: (schedule) => schedule.id },
  { header: 'NAME', value: (schedule) => schedule.name, flexible: true },
  { header: 'CRON', value: (schedule) => `${schedule.cron} ${schedule.timezone}` },
  { header: 'SUSPENDED', value: (schedule) => (schedule.suspended ? 'yes' : 'no') },
  { header: 'NEXT', value: (schedule) => schedule.nextFireTimes[0] ?? '' },
  { header: 'AGE', value: (schedule) => age(schedule.createdAt) },
];

export function schedulesCommand(): Command {
  const schedules = new Command('schedules')
    .alias('schedule')
    .description('cron schedules that submit a task, each time exactly once');
  schedules.addCommand(
    new Command('ls')
      .alias('list')
      .description('list schedules')
      .addOption(outputOption())
      .action(async (options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const page = await unwrap(
          client.api.GET('/api/v1/schedules', { params: { query: { limit: 200 } } }),
        );
        print(options.output, page.items, page.items, SCHEDULE_COLUMNS);
      }),
  );
  schedules.addCommand(
    new Command('get')
      .description('show a schedule, its next fire times and its recent fires')
      .argument('<id>', 'schedule id')
      .addOption(outputOption())
      .action(async (id: string, options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const schedule = await getSchedule(client, id);
        printDetails(options.output, schedule, describeSchedule(schedule));
      }),
  );
  schedules.addCommand(
    new Command('create')
      .description(
        'create a schedule from a YAML or JSON file (the body of POST /api/v1/schedules)',
      )
      .requiredOption('-f, --file <path>', 'the file, or - for standard input')
      .addHelpText(
        'after',
        examples('kiln schedules create -f nightly.yaml') +
          '\nnightly.yaml:\n  name: nightly\n  cron: "0 3 * * *"\n  timezone: Europe/Berlin\n  task: { name: retrain, command: [python3, train.py] }\n',
      )
      .action(async (options: { file: string }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const schedule = await createSchedule(client, readSpecFile(options.file), options.file);
        process.stdout.write(`${schedule.id}\n`);
      }),
  );
  for (const [action, description] of [
    ['suspend', 'stop a schedule from firing until it is resumed'],
    ['resume', 'let a suspended schedule fire again'],
  ] as const) {
    schedules.addCommand(
      new Command(action)
        .description(description)
        .argument('<id>', 'schedule id')
        .action(async (id: string, _options, self: Command) => {
          const client = loggedInClient(self.optsWithGlobals());
          const params = { params: { path: { id } } };
          const schedule = await unwrap(
            action === 'suspend'
              ? client.api.POST('/api/v1/schedules/{id}/suspend', params)
              : client.api.POST('/api/v1/schedules/{id}/resume', params),
          );
          process.stdout.write(`${schedule.id} ${schedule.suspended ? 'suspended' : 'active'}\n`);
        }),
    );
  }
  schedules.addCommand(scheduleUpdateCommand());
  schedules.addCommand(
    new Command('trigger')
      .description('fire a schedule now; prints the task it submitted')
      .argument('<id>', 'schedule id')
      .action(async (id: string, _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const fire = await unwrap(
          client.api.POST('/api/v1/schedules/{id}/trigger', { params: { path: { id } } }),
        );
        if (!fire.taskId)
          throw new CliExit(
            EXIT.error,
            `schedule ${id} did not submit a task: ${fire.reason ?? fire.outcome}`,
          );
        process.stdout.write(`${fire.taskId}\n`);
      }),
  );
  schedules.addCommand(
    new Command('delete')
      .description('delete schedules (the tasks they submitted stay)')
      .argument('<ids...>', 'schedule ids')
      .action(async (ids: string[], _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        for (const id of ids) {
          await unwrap(client.api.DELETE('/api/v1/schedules/{id}', { params: { path: { id } } }));
          process.stdout.write(`${id} deleted\n`);
        }
      }),
  );
  return schedules;
}

export async function createSchedule(
  client: KilnClient,
  spec: SpecFile,
  file: string,
): Promise<Schedule> {
  const { kind, body } = spec;
  if (kind !== undefined && kind !== 'Schedule')
    throw new CliExit(EXIT.error, `${file} holds kind: ${kind}, not Schedule`);
  return unwrap(client.api.POST('/api/v1/schedules', { body: body as ScheduleSubmission }));
}

function getSchedule(client: KilnClient, id: string): Promise<Schedule> {
  return unwrap(client.api.GET('/api/v1/schedules/{id}', { params: { path: { id } } }));
}
