// A schedule's task template as the YAML a person edits, and back: the same fields
// POST /api/v1/tasks takes. Kiln validates the fields; this only checks it is a map.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Schedule } from '../api/types';

export type TaskTemplate = Schedule['task'];

export function templateText(task: TaskTemplate): string {
  return stringifyYaml(task);
}

export function parseTemplate(text: string): TaskTemplate {
  let template: unknown;
  try {
    template = parseYaml(text);
  } catch (error) {
    throw new Error(`Not valid YAML: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  if (typeof template !== 'object' || template === null || Array.isArray(template))
    throw new Error('Give the task as a map of fields, with at least name and command');
  return template as TaskTemplate;
}
