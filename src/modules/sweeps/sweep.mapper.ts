// Entities to API views: progress from the trials' statuses, the leaderboard from their
// objective values.
import { TaskSpec } from '../tasks';
import type {
  SweepProgressResponse,
  SweepResponse,
  SweepTrialResponse,
} from './dto/sweep.response';
import type { SweepObjective } from './sweep-status';
import type { Sweep } from './sweep.entity';
import type { TrialView } from './sweeps.service';

const ACTIVE = new Set(['pending', 'queued', 'running', 'cancelling']);

export function toSweepResponse(
  sweep: Sweep,
  trials: TrialView[],
  options: { showEnv: boolean; withTrials: boolean },
): SweepResponse {
  const views = trials.map(toTrialResponse);
  const leaderboard = rank(views, sweep.objective);
  return {
    id: sweep.id,
    ownerId: sweep.ownerId,
    name: sweep.name,
    status: sweep.status,
    task: TaskSpec.toRequest(sweep.template, { withEnv: options.showEnv }),
    parameters: sweep.parameters,
    strategy: sweep.strategy,
    seed: sweep.seed,
    parallelism: sweep.parallelism,
    objective: sweep.objective,
    earlyStopping: sweep.earlyStopping,
    progress: progressOf(sweep, views),
    leaderboard: options.withTrials ? leaderboard : [],
    ...(leaderboard.length ? { best: leaderboard[0] } : {}),
    trials: options.withTrials ? views : [],
    createdAt: new Date(sweep.createdAt).toISOString(),
    updatedAt: new Date(sweep.updatedAt).toISOString(),
  };
}

export function toTrialResponse(view: TrialView): SweepTrialResponse {
  return {
    index: view.trial.index,
    taskId: view.trial.taskId,
    status: view.status,
    hyperparameters: view.trial.hyperparameters,
    value: view.value,
    step: view.step,
  };
}

/** Trials that reported the objective, best first; ties by index. */
function rank(trials: SweepTrialResponse[], objective: SweepObjective): SweepTrialResponse[] {
  const sign = objective.goal === 'minimize' ? 1 : -1;
  return trials
    .filter((trial) => trial.value !== null)
    .sort((a, b) => sign * (a.value! - b.value!) || a.index - b.index);
}

function progressOf(sweep: Sweep, trials: SweepTrialResponse[]): SweepProgressResponse {
  const count = (test: (status: string) => boolean) =>
    trials.filter((trial) => test(trial.status)).length;
  return {
    total: sweep.trialCount,
    submitted: sweep.trialsSubmitted,
    active: count((status) => ACTIVE.has(status)),
    succeeded: count((status) => status === 'succeeded'),
    unsuccessful: count((status) => !ACTIVE.has(status) && status !== 'succeeded'),
  };
}
