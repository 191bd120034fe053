// The trials of a sweep: every combination of the `values` lists (grid), or `maxTrials`
// draws from a seeded generator (random), so a sweep's trials are the same on every
// replica and after every restart, and trial N can be made again exactly.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export type SweepStrategy = 'grid' | 'random';
export const SWEEP_STRATEGIES: readonly SweepStrategy[] = ['grid', 'random'];

/** One hyperparameter: a list of values, or a range drawn from (random only). */
export interface SearchParameter {
  name: string;
  values?: unknown[];
  min?: number;
  max?: number;
  type?: 'int' | 'float';
  scale?: 'linear' | 'log';
}

export type Hyperparameters = Record<string, unknown>;

/** How many trials a grid has: the product of its lists' lengths. */
export function gridSize(parameters: readonly SearchParameter[]): number {
  return parameters.reduce((size, parameter) => size * (parameter.values?.length ?? 0), 1);
}

/** The trials, in order, at most `maxTrials` of them. */
export function trialsOf(
  parameters: readonly SearchParameter[],
  strategy: SweepStrategy,
  maxTrials: number,
  seed: number,
): Hyperparameters[] {
  return strategy === 'grid' ? grid(parameters, maxTrials) : random(parameters, maxTrials, seed);
}

function grid(parameters: readonly SearchParameter[], maxTrials: number): Hyperparameters[] {
  let combinations: Hyperparameters[] = [{}];
  for (const parameter of parameters) {
    combinations = combinations.flatMap((combination) =>
      (parameter.values ?? []).map((value) => ({ ...combination, [parameter.name]: value })),
    );
  }
  return combinations.slice(0, maxTrials);
}

function random(
  parameters: readonly SearchParameter[],
  maxTrials: number,
  seed: number,
): Hyperparameters[] {
  const rng = xoroshiro128plus(seed);
  const trials: Hyperparameters[] = [];
  for (let trial = 0; trial < maxTrials; trial++) {
    const values: Hyperparameters = {};
    for (const parameter of parameters) values[parameter.name] = draw(parameter, rng);
    trials.push(values);
  }
  return trials;
}

function draw(parameter: SearchParameter, rng: ReturnType<typeof xoroshiro128plus>): unknown {
  if (parameter.values) return parameter.values[uniformInt(rng, 0, parameter.values.length - 1)];
  const min = parameter.min!;
  const max = parameter.max!;
  if (parameter.scale === 'log') {
    const value = Math.exp(Math.log(min) + uniformFloat64(rng) * (Math.log(max) - Math.log(min)));
    return parameter.type === 'int' ? Math.min(max, Math.max(min, Math.round(value))) : value;
  }
  if (parameter.type === 'int') return uniformInt(rng, Math.ceil(min), Math.floor(max));
  return min + uniformFloat64(rng) * (max - min);
}
