// Settings that were renamed. Their old names still work for now: the loader reads an
// old variable or YAML section where the new one is not set, and notes each use so the
// app can warn once at boot, naming the old and the new name.

/** Old top-level YAML section → new. */
const RENAMED_SECTIONS: Record<string, string> = {
  queue: 'jobs',
};

/** Old environment variable → new. */
const RENAMED_VARIABLES: Record<string, string> = {
  KILN_QUEUE_DRIVER: 'KILN_JOBS_DRIVER',
  KILN_QUEUE_COMPLETED_MAX_AGE_SECONDS: 'KILN_JOBS_COMPLETED_MAX_AGE_SECONDS',
  KILN_QUEUE_COMPLETED_MAX_COUNT: 'KILN_JOBS_COMPLETED_MAX_COUNT',
  KILN_QUEUE_FAILED_MAX_AGE_SECONDS: 'KILN_JOBS_FAILED_MAX_AGE_SECONDS',
  KILN_QUEUE_FAILED_MAX_COUNT: 'KILN_JOBS_FAILED_MAX_COUNT',
  KILN_QUEUE_STALLED_INTERVAL_MS: 'KILN_JOBS_STALLED_INTERVAL_MS',
  KILN_QUEUE_MAX_STALLED_COUNT: 'KILN_JOBS_MAX_STALLED_COUNT',
  KILN_STOP_GRACE_MS: 'KILN_TASK_STOP_GRACE_MS',
};

type Tree = Record<string, unknown>;

/** The environment with each old variable's value under its new name, unless that is set. */
export function renameVariables(env: NodeJS.ProcessEnv, deprecations: string[]): NodeJS.ProcessEnv {
  const renamed = { ...env };
  for (const [old, current] of Object.entries(RENAMED_VARIABLES)) {
    if (env[old] === undefined) continue;
    deprecations.push(deprecation(old, current, env[current] !== undefined));
    renamed[current] ??= env[old];
    delete renamed[old];
  }
  return renamed;
}

/**
 * The YAML tree with each old section's keys under the new section, where the new one
 * does not set them. `source` names the file in the note.
 */
export function renameSections(tree: Tree, source: string, deprecations: string[]): Tree {
  const renamed = { ...tree };
  for (const [old, current] of Object.entries(RENAMED_SECTIONS)) {
    // anything but a mapping is left for validation to reject
    if (!isTree(tree[old])) continue;
    const newer = isTree(tree[current]) ? tree[current] : {};
    deprecations.push(`${deprecation(old, current, current in tree)} (in ${source})`);
    renamed[current] = { ...tree[old], ...newer };
    delete renamed[old];
  }
  return renamed;
}

function deprecation(old: string, current: string, bothSet: boolean): string {
  const outcome = bothSet ? `; ${current} is also set and wins` : '';
  return `${old} is deprecated and will be removed: use ${current}${outcome}`;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
