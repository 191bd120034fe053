// A resource described in a YAML or JSON file (`-f file`, or `-f -` for standard input):
// the body of its create request, optionally headed by `kind:`.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CliExit, EXIT } from './exit-codes';

export interface SpecFile {
  /** `kind:` as written, e.g. Task or Service; undefined when the file has none. */
  kind?: string;
  /** Everything else: the request body, checked by the server. */
  body: Record<string, unknown>;
}

export function readSpecFile(path: string): SpecFile {
  const spec = parse(readFileSync(path === '-' ? 0 : path, 'utf8')) as unknown;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new CliExit(EXIT.error, `${path} does not hold one resource (a mapping)`);
  const { kind, ...body } = spec as { kind?: unknown };
  if (kind !== undefined && typeof kind !== 'string')
    throw new CliExit(EXIT.error, `${path}: kind must be a name such as Task or Service`);
  return { kind, body };
}
