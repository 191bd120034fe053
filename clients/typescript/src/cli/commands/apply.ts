import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import type { ServiceSubmission, TaskSubmission } from '../../types';
import { CliExit, EXIT } from '../exit-codes';
import { loggedInClient } from '../session';
import { readSpecFile, type SpecFile } from '../spec-file';
import { examples } from './examples';
import { createSchedule } from './schedules';
import { deploy } from './services';
import { createSweep } from './sweeps';

/** What `kind:` heads each file `apply` takes, and how it is created; Task by default. */
const KINDS: Record<string, (client: KilnClient, spec: SpecFile, file: string) => Promise<string>> =
  {
    Task: async (client, spec) => {
      const task = await unwrap(
        client.api.POST('/api/v1/tasks', {
          body: spec.body as TaskSubmission,
          params: { header: { 'Idempotency-Key': randomUUID() } },
        }),
      );
      return task.id;
    },
    Schedule: async (client, spec, file) => (await createSchedule(client, spec, file)).id,
    Sweep: async (client, spec, file) => (await createSweep(client, spec, file)).id,
    Service: async (client, spec) => (await deploy(client, spec.body as ServiceSubmission)).name,
  };

export function applyCommand(): Command {
  return new Command('apply')
    .description(
      'create what a YAML or JSON file describes: a task, or (with kind:) a schedule, sweep or service',
    )
    .requiredOption('-f, --file <path>', 'the file, or - for standard input')
    .addHelpText(
      'after',
      examples(
        'kiln apply -f task.yaml',
        'kiln apply -f service.yaml   # kind: Service, deploys a new revision if it exists',
      ) +
        '\ntask.yaml (the body of POST /api/v1/tasks; kind: Schedule, Sweep or Service for the others):\n  name: logreg\n  command: [python3, examples/logistic_regression.py]\n  hyperparameters: { epochs: 50 }\n  maxRetries: 1\n',
    )
    .action(async (options: { file: string }, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const spec = readSpecFile(options.file);
      const kind = spec.kind ?? 'Task';
      const create = KINDS[kind];
      if (!create)
        throw new CliExit(
          EXIT.error,
          `kiln apply knows kind: ${Object.keys(KINDS).join(', ')}; not ${kind}`,
        );
      process.stdout.write(`${await create(client, spec, options.file)}\n`);
    });
}
