import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { parse } from 'yaml';
import { unwrap } from '../../kiln-client';
import type { TaskSubmission } from '../../types';
import { CliExit, EXIT } from '../exit-codes';
import { loggedInClient } from '../session';
import { examples } from './examples';

export function applyCommand(): Command {
  return new Command('apply')
    .description('submit a task described in a YAML or JSON file (the body of POST /api/v1/tasks)')
    .requiredOption('-f, --file <path>', 'the file, or - for standard input')
    .addHelpText(
      'after',
      examples(
        'kiln apply -f task.yaml',
        'kiln apply -f task.yaml && kiln logs -f "$(kiln ls --limit 1 -o json | jq -r .[0].id)"',
      ) +
        '\ntask.yaml (kind: Task may head it; other kinds come later):\n  name: logreg\n  command: [python3, examples/logistic_regression.py]\n  hyperparameters: { epochs: 50 }\n  maxRetries: 1\n',
    )
    .action(async (options: { file: string }, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const text = readFileSync(options.file === '-' ? 0 : options.file, 'utf8');
      const spec = parse(text) as unknown;
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
        throw new CliExit(EXIT.error, `${options.file} does not hold one task (a mapping)`);
      const { kind = 'Task', ...body } = spec as { kind?: unknown };
      if (kind !== 'Task')
        throw new CliExit(EXIT.error, `kiln apply knows kind: Task only, not ${String(kind)}`);
      const task = await unwrap(
        client.api.POST('/api/v1/tasks', {
          body: body as TaskSubmission,
          params: { header: { 'Idempotency-Key': randomUUID() } },
        }),
      );
      process.stdout.write(`${task.id}\n`);
    });
}
