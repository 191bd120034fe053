// The environment a local run starts with: a small, safe base from Kiln's own
// environment (never its secrets, such as KILN_JWT_SECRET or database URLs), then the
// task's env, then what only the runtime knows.
import type { RunSpec } from '../batch-runtime.port';

/** Variables passed through from Kiln's environment because programs expect them. */
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
];
const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface RunPlacement {
  outputDir: string;
  gpus: readonly number[];
}

export function buildRunEnvironment(
  spec: RunSpec,
  placement: RunPlacement,
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return {
    ...baseEnvironment(parentEnv),
    // Python buffers stdout when it is a pipe; metrics and progress would arrive at exit.
    PYTHONUNBUFFERED: '1',
    KILN_TASK_ID: spec.taskId,
    KILN_ATTEMPT: String(spec.attempt),
    KILN_HPARAMS: JSON.stringify(spec.hyperparameters),
    ...spec.env,
    KILN_OUTPUT_DIR: placement.outputDir,
    // Always set, even to nothing: a run that asked for no GPU must not see any.
    CUDA_VISIBLE_DEVICES: placement.gpus.join(','),
  };
}

/** What any local workload takes from Kiln's environment (a run, a service replica). */
export function baseEnvironment(parentEnv: NodeJS.ProcessEnv): Record<string, string> {
  const base: Record<string, string> = { PATH: FALLBACK_PATH };
  for (const name of PASSED_THROUGH) {
    const value = parentEnv[name];
    if (value !== undefined) base[name] = value;
  }
  return base;
}
