// How output looks: colours only on a terminal and never with NO_COLOR, and the width
// tables fit into.
import { createColors } from 'picocolors';

export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env) {
  const enabled = Boolean(stream.isTTY) && !('NO_COLOR' in env) && env.TERM !== 'dumb';
  return createColors(enabled);
}

export const out = colorsFor(process.stdout);
export const err = colorsFor(process.stderr);

/** The terminal's width, or COLUMNS; none (no truncation) when piped. */
export function outputWidth(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}
