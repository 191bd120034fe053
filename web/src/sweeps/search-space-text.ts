// The sweep form's search space, typed as YAML or JSON: a map of each hyperparameter to
// its values (a list) or its range ({min, max, type?, scale?}), read into the API's list.
import { parse as parseYaml } from 'yaml';
import type { SearchParameter } from '../api/types';

export function parseSearchSpace(text: string): SearchParameter[] {
  let space: unknown;
  try {
    space = parseYaml(text);
  } catch (error) {
    throw new Error(`Not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  if (typeof space !== 'object' || space === null || Array.isArray(space))
    throw new Error('Give a map of hyperparameter names to a list of values or a range');
  return Object.entries(space).map(([name, domain]) => {
    if (Array.isArray(domain)) return { name, values: domain as unknown[] };
    if (typeof domain === 'object' && domain !== null && 'min' in domain && 'max' in domain)
      return { name, ...(domain as Omit<SearchParameter, 'name'>) };
    throw new Error(`${name}: give a list of values or {min, max}`);
  });
}
