// `kiln sweeps …`: hyperparameter sweeps, trials run as tasks, ranked by their metric.
import { Command } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import type { Sweep, SweepSubmission } from '../../types';
import { printDetails } from '../details';
import { CliExit, EXIT } from '../exit-codes';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import { readSpecFile, type SpecFile } from '../spec-file';
import type { Column } from '../table';
import { age } from '../task-columns';
import { examples } from './examples';

type Trial = Sweep['leaderboard'][number];

const SWEEP_COLUMNS: Column<Sweep>[] = [
  { header: 'ID', value: (sweep) => sweep.id },
  { header: 'NAME', value: (sweep) => sweep.name, flexible: true },
  { header: 'STATUS', value: (sweep) => sweep.status },
  { header: 'TRIALS', value: (sweep) => `${sweep.progress.submitted}/${sweep.progress.total}` },
  { header: 'BEST', value: (sweep) => (sweep.best ? String(sweep.best.value) : '') },
  { header: 'AGE', value: (sweep) => age(sweep.createdAt) },
];

const TRIAL_COLUMNS: Column<Trial>[] = [
  { header: '#', value: (trial) => String(trial.index) },
  { header: 'VALUE', value: (trial) => (trial.value === null ? '' : String(trial.value)) },
  { header: 'STATUS', value: (trial) => trial.status },
  { header: 'TASK', value: (trial) => trial.taskId ?? '' },
  {
    header: 'HYPERPARAMETERS',
    value: (trial) => JSON.stringify(trial.hyperparameters),
    flexible: true,
  },
];

export function sweepsCommand(): Command {
  const sweeps = new Command('sweeps')
    .alias('sweep')
    .description('hyperparameter sweeps: trials as tasks, a leaderboard from their metric');
  sweeps.addCommand(
    new Command('ls')
      .alias('list')
      .description('list sweeps')
      .addOption(outputOption())
      .action(async (options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const page = await unwrap(
          client.api.GET('/api/v1/sweeps', { params: { query: { limit: 200 } } }),
        );
        print(options.output, page.items, page.items, SWEEP_COLUMNS);
      }),
  );
  sweeps.addCommand(
    new Command('get')
      .description('show a sweep and its leaderboard, best trial first')
      .argument('<id>', 'sweep id')
      .addOption(outputOption())
      .action(async (id: string, options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const sweep = await unwrap(
          client.api.GET('/api/v1/sweeps/{id}', { params: { path: { id } } }),
        );
        printDetails(options.output, sweep, describeSweep(sweep));
        if (options.output === 'table' && sweep.leaderboard.length) {
          process.stdout.write('\n');
          print('table', [], sweep.leaderboard, TRIAL_COLUMNS);
        }
      }),
  );
  sweeps.addCommand(
    new Command('create')
      .description('start a sweep from a YAML or JSON file (the body of POST /api/v1/sweeps)')
      .requiredOption('-f, --file <path>', 'the file, or - for standard input')
      .addHelpText(
        'after',
        examples('kiln sweeps create -f sweep.yaml') +
          '\nsweep.yaml:\n  name: lr search\n  task: { name: logreg, command: [python3, examples/logistic_regression.py] }\n  parameters: [{ name: learning_rate, values: [0.1, 0.5] }]\n  objective: { metric: loss, goal: minimize }\n',
      )
      .action(async (options: { file: string }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const sweep = await createSweep(client, readSpecFile(options.file), options.file);
        process.stdout.write(`${sweep.id}\n`);
      }),
  );
  sweeps.addCommand(
    new Command('cancel')
      .description('cancel a sweep and the trials it still runs')
      .argument('<id>', 'sweep id')
      .action(async (id: string, _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const sweep = await unwrap(
          client.api.POST('/api/v1/sweeps/{id}/cancel', { params: { path: { id } } }),
        );
        process.stdout.write(`${sweep.id} ${sweep.status}\n`);
      }),
  );
  return sweeps;
}

export async function createSweep(
  client: KilnClient,
  spec: SpecFile,
  file: string,
): Promise<Sweep> {
  const { kind, body } = spec;
  if (kind !== undefined && kind !== 'Sweep')
    throw new CliExit(EXIT.error, `${file} holds kind: ${kind}, not Sweep`);
  return unwrap(client.api.POST('/api/v1/sweeps', { body: body as SweepSubmission }));
}

function describeSweep(sweep: Sweep): Array<[string, string | undefined]> {
  const { progress, objective } = sweep;
  return [
    ['ID', sweep.id],
    ['Name', sweep.name],
    ['Status', sweep.status],
    ['Objective', `${objective.goal} ${objective.metric} (${objective.value})`],
    ['Strategy', `${sweep.strategy}, ${sweep.parallelism} at a time`],
    [
      'Trials',
      `${progress.total}: ${progress.active} active, ${progress.succeeded} succeeded, ` +
        `${progress.unsuccessful} unsuccessful`,
    ],
    [
      'Best',
      sweep.best
        ? `${sweep.best.value} (trial ${sweep.best.index}, ${JSON.stringify(sweep.best.hyperparameters)})`
        : undefined,
    ],
    ['Created', `${sweep.createdAt} (${age(sweep.createdAt)} ago)`],
  ];
}
