// `-o table|json|yaml`: tables for people, JSON and YAML for scripts.
import { Option } from 'commander';
import { stringify } from 'yaml';
import { outputWidth } from './terminal';
import { renderTable, type Column } from './table';

export type OutputFormat = 'table' | 'json' | 'yaml';

export function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format')
    .choices(['table', 'json', 'yaml'])
    .default('table');
}

/** Prints `data` as JSON or YAML, or `rows` as a table fitted to the terminal. */
export function print<T>(format: OutputFormat, data: unknown, rows: T[], columns: Column<T>[]) {
  if (format === 'json') process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (format === 'yaml') process.stdout.write(stringify(data));
  else process.stdout.write(renderTable(rows, columns, outputWidth()));
}
