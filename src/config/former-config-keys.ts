// Config keys renamed since Kiln first shipped them. A file that still uses a former name
// keeps working: its values move to the current key, and boot warns once per file and
// key so the operator can rename it.
type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `tree` (one config file, parsed) with its former keys renamed: `executors` to
 * `runtimes`, and each queue's `executor` to `runtime`. Pushes a notice to `notices`
 * for each former key the file holds. Where a file has both names, the current wins.
 */
export function withCurrentKeys(tree: Tree, file: string, notices: string[]): Tree {
  let current = tree;
  if ('executors' in current) {
    const { executors, ...rest } = current;
    current = { ...rest, runtimes: rest.runtimes ?? executors };
    notices.push(deprecation(file, 'executors', 'runtimes', 'runtimes' in rest));
  }
  const tasks = current.tasks;
  const queues = isTree(tasks) ? tasks.queues : undefined;
  if (Array.isArray(queues) && queues.some((queue) => isTree(queue) && 'executor' in queue)) {
    const renamed = queues.map(withQueueRuntime);
    current = { ...current, tasks: { ...(tasks as Tree), queues: renamed } };
    const both = queues.some((queue) => isTree(queue) && 'executor' in queue && 'runtime' in queue);
    notices.push(deprecation(file, 'tasks.queues[].executor', 'runtime', both));
  }
  return current;
}

function withQueueRuntime(queue: unknown): unknown {
  if (!isTree(queue) || !('executor' in queue)) return queue;
  const { executor, ...rest } = queue;
  return { ...rest, runtime: rest.runtime ?? executor };
}

function deprecation(file: string, former: string, current: string, both: boolean): string {
  const outcome = both ? `ignored, since "${current}" is set too` : `read as "${current}"`;
  return `${file}: "${former}" is deprecated (${outcome}); rename it to "${current}"`;
}
