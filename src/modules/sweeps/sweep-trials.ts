// Submits a sweep's next trials, up to its parallelism. A trial's row, keyed by (sweep,
// index), and the sweep's count moved on from exactly that index are written in the
// trial task's transaction, so two leaders for a moment submit each trial once and
// never more than `parallelism` at once.
import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { isUniqueViolation } from '../../infra/database/sql-helpers';
import { Principal, UserAccountsService } from '../auth';
import { isFinal, TasksService, TaskSpec } from '../tasks';
import { MedianStopping } from './median-stopping';
import { trialsOf } from './search-space';
import { SWEEP_ID_LABEL, SWEEP_TRIAL_LABEL } from './sweep-labels';
import { SweepStatus } from './sweep-status';
import { SweepTrial } from './sweep-trial.entity';
import { Sweep } from './sweep.entity';
import { SweepMovedError, SweepRepository } from './sweep.repository';

@Injectable()
export class SweepTrials {
  private readonly logger = new Logger(SweepTrials.name);

  constructor(
    private readonly sweeps: SweepRepository,
    private readonly tasks: TasksService,
    private readonly users: UserAccountsService,
    private readonly medianStopping: MedianStopping,
  ) {}

  /** Submits what parallelism allows, and completes the sweep once every trial is final. */
  async advance(sweep: Sweep): Promise<void> {
    const trials = await this.sweeps.trialsOf(sweep.id);
    const states = await this.tasks.statesOf(trials.map((trial) => trial.taskId));
    const owner = await this.ownerOf(sweep);
    if (!owner) {
      this.logger.warn({ sweepId: sweep.id }, 'the owner of a running sweep is disabled or gone');
      return;
    }
    // a stopped trial is cancelling now, still active: its slot frees at the next tick
    if (sweep.earlyStopping === 'median')
      await this.medianStopping.stopLaggards(sweep, owner, trials, states);
    const active = trials.filter((trial) => {
      const status = states.get(trial.taskId);
      return status !== undefined && !isFinal(status);
    }).length;
    if (sweep.trialsSubmitted >= sweep.trialCount) {
      if (active === 0) await this.sweeps.finish(sweep.id, SweepStatus.Completed);
      return;
    }
    const room = Math.min(sweep.parallelism - active, sweep.trialCount - sweep.trialsSubmitted);
    if (room <= 0) return;
    const planned = trialsOf(sweep.parameters, sweep.strategy, sweep.trialCount, sweep.seed);
    for (let index = sweep.trialsSubmitted; index < sweep.trialsSubmitted + room; index++) {
      if (!(await this.submit(sweep, owner, index, planned[index]))) return;
    }
  }

  /** True when trial `index` was submitted here; false when someone else moved first. */
  private async submit(
    sweep: Sweep,
    owner: Principal,
    index: number,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const spec = TaskSpec.clone(sweep.template, {
      name: `${sweep.template.name} #${index + 1}`.slice(0, 200),
      hyperparameters: { ...sweep.template.hyperparameters, ...values },
      labels: {
        ...sweep.template.labels,
        [SWEEP_ID_LABEL]: sweep.id,
        [SWEEP_TRIAL_LABEL]: String(index),
      },
    });
    try {
      await this.tasks.submitSpec(owner, spec, {
        reason: `trial ${index} of sweep ${sweep.id}`,
        writeFirst: (manager, taskId) =>
          this.sweeps.recordTrial(
            manager,
            Object.assign(new SweepTrial(), {
              sweepId: sweep.id,
              index,
              hyperparameters: values,
              taskId,
            }),
          ),
      });
      return true;
    } catch (error) {
      if (error instanceof SweepMovedError || isUniqueViolation(error)) return false;
      // a refused submit (backlog full, queue closed to the owner): the next tick tries again
      if (error instanceof DomainError) {
        this.logger.warn(
          { sweepId: sweep.id, index, reason: error.message },
          'a trial could not be submitted',
        );
        return false;
      }
      throw error;
    }
  }

  private async ownerOf(sweep: Sweep): Promise<Principal | null> {
    const user = await this.users.get(sweep.ownerId).catch(() => null);
    if (!user || user.disabled) return null;
    return { userId: user.id, username: user.username, roles: user.roles, scopes: 'all' };
  }
}
