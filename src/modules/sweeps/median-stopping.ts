// The median rule of early stopping: a running trial whose objective at its latest step
// is worse than the median of the finished trials' values at that step is cancelled.
// It waits for a few finished trials, so the first ones set the bar, not chance.
import { Injectable, Logger } from '@nestjs/common';
import { Principal } from '../auth';
import { TasksService, TaskStatus } from '../tasks';
import { SweepTrial } from './sweep-trial.entity';
import { Sweep } from './sweep.entity';

/** Finished trials needed before any trial is judged. */
export const MEDIAN_STOPPING_MIN_FINISHED = 3;

@Injectable()
export class MedianStopping {
  private readonly logger = new Logger(MedianStopping.name);

  constructor(private readonly tasks: TasksService) {}

  /** Cancels the running trials that fall behind; returns how many it stopped. */
  async stopLaggards(
    sweep: Sweep,
    owner: Principal,
    trials: SweepTrial[],
    states: Map<string, TaskStatus>,
  ): Promise<number> {
    const running = trials.filter((trial) => states.get(trial.taskId) === TaskStatus.Running);
    const finished = trials
      .filter((trial) => states.get(trial.taskId) === TaskStatus.Succeeded)
      .map((trial) => trial.taskId);
    if (running.length === 0 || finished.length < MEDIAN_STOPPING_MIN_FINISHED) return 0;
    const { metric } = sweep.objective;
    const latest = await this.tasks.metricValues(
      running.map((trial) => trial.taskId),
      metric,
      'last',
    );
    let stopped = 0;
    for (const point of latest) {
      if (point.step === null) continue;
      const atStep = await this.tasks.metricValues(finished, metric, 'last', point.step);
      if (atStep.length < MEDIAN_STOPPING_MIN_FINISHED) continue;
      const bar = median(atStep.map((entry) => entry.value));
      const worse = sweep.objective.goal === 'minimize' ? point.value > bar : point.value < bar;
      if (!worse) continue;
      this.logger.log(
        {
          sweepId: sweep.id,
          taskId: point.taskId,
          step: point.step,
          value: point.value,
          median: bar,
        },
        'stopping a trial worse than the median of finished trials',
      );
      await this.tasks.cancel(owner, point.taskId);
      stopped++;
    }
    return stopped;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
