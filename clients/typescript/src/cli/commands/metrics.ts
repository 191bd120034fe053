import { Command } from 'commander';
import { unwrap } from '../../kiln-client';
import type { MetricSeries } from '../../types';
import { positiveInteger } from '../key-values';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import { sparkline } from '../sparkline';
import type { Column } from '../table';
import { examples } from './examples';

const number = (value: number | undefined) =>
  value === undefined ? '' : Number.isInteger(value) ? String(value) : value.toPrecision(4);

const values = (series: MetricSeries) => series.points.map((point) => point.value);

const COLUMNS: Column<MetricSeries>[] = [
  { header: 'NAME', value: (series) => series.name, flexible: true },
  { header: 'ATTEMPT', value: (series) => String(series.attempt) },
  { header: 'POINTS', value: (series) => String(series.points.length) },
  { header: 'FIRST', value: (series) => number(values(series)[0]) },
  { header: 'LAST', value: (series) => number(values(series).at(-1)) },
  { header: 'MIN', value: (series) => number(Math.min(...values(series))) },
  { header: 'MAX', value: (series) => number(Math.max(...values(series))) },
  { header: 'TREND', value: (series) => sparkline(values(series), 24), flexible: true },
];

export function metricsCommand(): Command {
  return new Command('metrics')
    .description('metric series a task reported (KILN_METRIC lines), with a sparkline each')
    .argument('<id>', 'task id')
    .option('--name <names>', 'only these metrics, comma-separated')
    .option('--attempt <n>', 'this attempt instead of the latest that reported', positiveInteger)
    .option(
      '--max-points <n>',
      'points per series (downsampled on the server)',
      positiveInteger,
      200,
    )
    .addOption(outputOption())
    .addHelpText('after', examples('kiln metrics "$ID" --name loss,accuracy'))
    .action(
      async (
        id: string,
        options: { name?: string; attempt?: number; maxPoints: number; output: OutputFormat },
        self: Command,
      ) => {
        const client = loggedInClient(self.optsWithGlobals());
        const metrics = await unwrap(
          client.api.GET('/api/v1/tasks/{id}/metrics', {
            params: {
              path: { id },
              query: {
                names: options.name,
                attempt: options.attempt,
                maxPoints: options.maxPoints,
              },
            },
          }),
        );
        print(options.output, metrics, metrics.series, COLUMNS);
      },
    );
}
