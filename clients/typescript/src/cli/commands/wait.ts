import { Command } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import { isFinal, type Task } from '../../types';
import { CliExit, EXIT } from '../exit-codes';
import { describeEnd } from '../follow';
import { loggedInClient } from '../session';
import { examples } from './examples';

export function waitCommand(): Command {
  return new Command('wait')
    .description('wait until a task ends; exits 0 when it succeeded, 1 otherwise')
    .argument('<id>', 'task id')
    .addHelpText(
      'after',
      examples('kiln wait "$ID" && kiln artifacts "$ID" model.json -o model.json'),
    )
    .action(async (id: string, _options, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const task = await waitForEnd(client, id);
      process.stderr.write(describeEnd(id, task.status, task.exitCode));
      if (task.status !== 'succeeded') throw new CliExit(EXIT.taskNotSucceeded);
    });
}

/**
 * The task once final. Its events wake the check at once; a look every few seconds
 * covers an event that came before the stream was open.
 */
async function waitForEnd(client: KilnClient, id: string): Promise<Task> {
  const stop = new AbortController();
  const events = client.events({ taskId: id, signal: stop.signal });
  const get = () => unwrap(client.api.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
  try {
    let next = events.next();
    let task = await get();
    while (!isFinal(task.status)) {
      const woken = await Promise.race([next.then(() => true), sleep(RECHECK_MS, stop.signal)]);
      if (woken) next = events.next();
      task = await get();
    }
    return task;
  } finally {
    stop.abort();
  }
}

const RECHECK_MS = 3000;

function sleep(ms: number, signal: AbortSignal): Promise<false> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    signal.addEventListener('abort', () => clearTimeout(timer));
  });
}
