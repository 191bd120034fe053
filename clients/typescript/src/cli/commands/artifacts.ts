import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import { problemOf } from '../../problem';
import type { ArtifactListing } from '../../types';
import { positiveInteger } from '../key-values';
import { loggedInClient } from '../session';
import { renderTable, type Column } from '../table';
import { outputWidth } from '../terminal';
import { age } from '../task-columns';
import { examples } from './examples';

type Entry = ArtifactListing['entries'][number];

const COLUMNS: Column<Entry>[] = [
  { header: 'PATH', value: (entry) => entry.path, flexible: true },
  { header: 'SIZE', value: (entry) => String(entry.sizeBytes) },
  { header: 'MODIFIED', value: (entry) => `${age(entry.modifiedAt)} ago` },
];

export function artifactsCommand(): Command {
  return new Command('artifacts')
    .description('list the files a task wrote to KILN_OUTPUT_DIR, or download one')
    .argument('<id>', 'task id')
    .argument('[path]', 'the file to download (relative to the output directory)')
    .option('-o, --out <file>', 'write the download here instead of to standard output')
    .option('--attempt <n>', 'list this attempt instead of the latest', positiveInteger)
    .option('--json', 'print the listing as JSON')
    .addHelpText(
      'after',
      examples('kiln artifacts "$ID"', 'kiln artifacts "$ID" model.json -o model.json'),
    )
    .action(
      async (
        id: string,
        path: string | undefined,
        options: { out?: string; attempt?: number; json?: boolean },
        self: Command,
      ) => {
        const client = loggedInClient(self.optsWithGlobals());
        if (path) return download(client, id, path, options.out);
        const listing = await unwrap(
          client.api.GET('/api/v1/tasks/{id}/artifacts', {
            params: { path: { id }, query: { attempt: options.attempt } },
          }),
        );
        if (options.json) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
        else process.stdout.write(renderTable(listing.entries, COLUMNS, outputWidth()));
        if (listing.truncated) process.stderr.write('(the listing was cut short)\n');
      },
    );
}

/** Streams the file, so a large checkpoint never sits in memory. */
async function download(client: KilnClient, id: string, path: string, out?: string) {
  const segments = path.split('/').map(encodeURIComponent).join('/');
  const url = `${client.options.baseUrl}/api/v1/tasks/${encodeURIComponent(id)}/artifacts/${segments}`;
  const response = await client.session.fetch(new Request(url));
  if (!response.ok) throw await problemOf(response);
  if (!response.body) return;
  const body = Readable.fromWeb(response.body);
  await pipeline(body, out ? createWriteStream(out) : process.stdout);
}
