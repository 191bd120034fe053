import { randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import type { Task } from '../../types';
import { CliExit, EXIT } from '../exit-codes';
import { describeEnd, followTask } from '../follow';
import { collectPair, positiveInteger, positiveNumber } from '../key-values';
import { LiveOutput } from '../progress-bar';
import { confirm } from '../prompt';
import { loggedInClient } from '../session';
import { duration, memory, submissionOf, type RunOptions } from '../task-spec';
import { err } from '../terminal';
import { examples } from './examples';

export function runCommand(): Command {
  return new Command('run')
    .description(
      'submit a task and follow its log until it ends; exits 0 when it succeeded, 1 otherwise',
    )
    .argument('<command...>', 'the command to run, after --')
    .option('--name <name>', 'task name (default: the script file name)')
    .option('--queue <queue>', 'queue to run on')
    .option('--priority <n>', 'higher runs first', Number)
    .option('--gpus <n>', 'GPUs', positiveInteger)
    .option('--cpu <n>', 'CPU cores', positiveNumber)
    .option('--memory <size>', 'memory, e.g. 512Mi or 4Gi', memory)
    .option('--retries <n>', 'retries after a failed attempt', positiveInteger)
    .option('--timeout <duration>', 'time limit of an attempt, e.g. 90s, 15m, 2h', duration)
    .option('--retry-backoff <duration>', 'base delay before a retry, e.g. 30s', duration)
    .option('--image <image>', 'container image (Kubernetes queues)')
    .option('--workdir <dir>', 'working directory of the run')
    .option(
      '-p, --param <key=value>',
      'hyperparameter (JSON value or text); repeatable',
      collectPair,
    )
    .option('-e, --env <KEY=VALUE>', 'environment variable; repeatable', collectPair)
    .option('--label <key=value>', 'label; repeatable', collectPair)
    .option('-d, --detach', 'print the task id and return at once')
    .addOption(
      new Option('--on-interrupt <action>', 'what Ctrl-C does when there is no terminal to ask')
        .choices(['cancel', 'detach'])
        .default('cancel'),
    )
    .addHelpText(
      'after',
      examples(
        'kiln run -p epochs=50 --retries 1 --timeout 5m -- python3 examples/logistic_regression.py',
        'kiln run --gpus 1 --memory 16Gi --queue gpu -- python3 train.py --lr 3e-4',
        'ID=$(kiln run --detach -- ./train.sh) && kiln wait "$ID"',
      ),
    )
    .action(
      async (
        command: string[],
        options: RunOptions & { detach?: boolean; onInterrupt: string },
        self: Command,
      ) => {
        const client = loggedInClient(self.optsWithGlobals());
        const task = await unwrap(
          client.api.POST('/api/v1/tasks', {
            body: submissionOf(command, options),
            params: { header: { 'Idempotency-Key': randomUUID() } },
          }),
        );
        if (options.detach) {
          process.stdout.write(`${task.id}\n`);
          return;
        }
        process.stderr.write(err.dim(`task ${task.id} submitted to queue ${task.queue}\n`));
        await followToEnd(client, task, options.onInterrupt === 'detach');
      },
    );
}

/** Follows the task; Ctrl-C asks (or, without a terminal, decides) cancel or detach. */
async function followToEnd(client: KilnClient, task: Task, detachOnInterrupt: boolean) {
  const live = new LiveOutput(task.name);
  const detached = new AbortController();
  let interrupted = false;
  const onInterrupt = async () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    live.clear();
    const cancel = process.stdin.isTTY
      ? await confirm(`\nCancel task ${task.id}? (no: detach and leave it running)`)
      : !detachOnInterrupt;
    if (!cancel) {
      process.stderr.write(`Detached; follow again with: kiln logs -f ${task.id}\n`);
      detached.abort();
      return;
    }
    await unwrap(
      client.api.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id: task.id } } }),
    );
    process.stderr.write(err.yellow(`Cancelling task ${task.id}…\n`));
  };
  process.on('SIGINT', () => void onInterrupt().catch(fail));
  const end = await followTask(client, task.id, live, { signal: detached.signal });
  live.clear();
  if (!end) throw new CliExit(EXIT.interrupted);
  const final = await unwrap(
    client.api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } }),
  );
  process.stderr.write(describeEnd(task.id, final.status, final.exitCode));
  if (interrupted) throw new CliExit(EXIT.interrupted);
  if (final.status !== 'succeeded') throw new CliExit(EXIT.taskNotSucceeded);
}

function fail(error: unknown) {
  process.stderr.write(`kiln: ${(error as Error).message}\n`);
  process.exit(EXIT.error);
}
