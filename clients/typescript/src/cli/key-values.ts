// `-p lr=0.1 -e KEY=VALUE --label team=vision`: repeatable key=value options.
import { InvalidArgumentError } from 'commander';

export function collectPair(text: string, previous: Record<string, string> = {}) {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`expected key=value, got "${text}"`);
  return { ...previous, [text.slice(0, equals)]: text.slice(equals + 1) };
}

/** Hyperparameter values are JSON when they parse as JSON (numbers, booleans), else text. */
export function typedValues(pairs: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(pairs).map(([key, value]) => [key, parseValue(value)]));
}

function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new InvalidArgumentError(`expected a whole number, got "${text}"`);
  return value;
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${text}"`);
  return value;
}
