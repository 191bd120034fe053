// `kiln services logs [-f] NAME [--replica R]`: a replica's log, or followed live.
import { Command } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import { CliExit, EXIT } from '../exit-codes';
import { positiveInteger } from '../key-values';
import { examples } from './examples';
import { loggedInClient } from '../session';

interface LogsOptions {
  follow?: boolean;
  replica?: string;
  tail?: number;
}

export function serviceLogsCommand(): Command {
  return new Command('logs')
    .description(
      "print a replica's log (the first replica's unless one is named); with -f, follow it until the replica stops",
    )
    .argument('<name>', 'service name')
    .option('-f, --follow', 'print the log from its start, then each line as it is written')
    .option(
      '--replica <replica>',
      'the replica: its name as `kiln services get` lists it, or its position there (1, 2, …)',
    )
    .option('--tail <n>', 'only the last n lines (without -f)', positiveInteger)
    .addHelpText(
      'after',
      examples(
        'kiln services logs iris --tail 50',
        'kiln services logs -f iris --replica 2',
        'kiln services logs iris --replica r1-5f6c2d0a-0',
      ),
    )
    .action(async (name: string, options: LogsOptions, self: Command) => {
      const client = loggedInClient(self.optsWithGlobals());
      const replica = await replicaOf(client, name, options.replica);
      if (options.follow) {
        for await (const item of client.followReplicaLogs(name, replica)) {
          // the end of the stream says only that the replica stopped
          if ('text' in item) process.stdout.write(`${item.text}\n`);
        }
        return;
      }
      const text = await unwrap(
        client.api.GET('/api/v1/services/{name}/replicas/{replica}/logs', {
          params: { path: { name, replica }, query: { tail: options.tail } },
          parseAs: 'text',
        }),
      );
      process.stdout.write(text ?? '');
    });
}

/** The replica `chosen` names (a name, or a 1-based position), else the first one. */
async function replicaOf(
  client: KilnClient,
  name: string,
  chosen: string | undefined,
): Promise<string> {
  if (chosen !== undefined && !/^\d+$/.test(chosen)) return chosen;
  const { replicaList } = await unwrap(
    client.api.GET('/api/v1/services/{name}', { params: { path: { name } } }),
  );
  const position = chosen === undefined ? 1 : Number(chosen);
  const replica = replicaList[position - 1];
  if (!replica)
    throw new CliExit(
      EXIT.error,
      `service ${name} has ${replicaList.length} replica(s); there is no replica ${position}`,
    );
  return replica.name;
}
