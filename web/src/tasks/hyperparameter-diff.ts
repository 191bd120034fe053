// Hyperparameters of several tasks side by side: one row per name any of them has,
// marked when the tasks disagree (a missing value counts as different).
export interface DiffRow {
  name: string;
  values: Array<string | undefined>;
  differs: boolean;
}

const show = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

export function diffHyperparameters(sets: Array<Record<string, unknown>>): DiffRow[] {
  const names = [...new Set(sets.flatMap((set) => Object.keys(set)))].sort();
  return names.map((name) => {
    const values = sets.map((set) => show(set[name]));
    return { name, values, differs: new Set(values).size > 1 };
  });
}
