// One resource for people: aligned `Key: value` lines, skipping what is not set.
import { stringify } from 'yaml';
import type { OutputFormat } from './output-format';

export type DetailRows = Array<[string, string | undefined]>;

export function renderDetails(rows: DetailRows): string {
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined);
  const width = Math.max(...shown.map(([key]) => key.length)) + 1;
  return shown.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}\n`).join('');
}

/** JSON or YAML of the resource for scripts, the detail lines otherwise. */
export function printDetails(format: OutputFormat, resource: unknown, rows: DetailRows): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(resource, null, 2)}\n`);
  else if (format === 'yaml') process.stdout.write(stringify(resource));
  else process.stdout.write(renderDetails(rows));
}

/** `k=v, k2=v2`, or undefined for none. */
export function keyValues(map: Record<string, unknown> | null | undefined): string | undefined {
  const entries = Object.entries(map ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(', ') : undefined;
}
