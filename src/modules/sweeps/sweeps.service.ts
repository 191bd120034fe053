// Commands and reads of sweeps from the REST API, each checking ownership first.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../../common/errors/domain-error';
import { KeysetPage, keysetPage } from '../../common/pagination/keyset-page';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../../common/pagination/page.query';
import { decodeTimeIdCursor, encodeTimeIdCursor } from '../../common/pagination/time-id-cursor';
import { OwnershipPolicy, Principal } from '../auth';
import { isFinal, TasksService, TaskSpec } from '../tasks';
import { CreateSweepDto, SearchParameterDto } from './dto/create-sweep.dto';
import { gridSize, SearchParameter } from './search-space';
import { SweepStatus } from './sweep-status';
import { SweepTicker } from './sweep-ticker';
import { SweepTrial } from './sweep-trial.entity';
import { Sweep } from './sweep.entity';
import { SweepRepository } from './sweep.repository';
import { decodeTrialCursor, encodeTrialCursor } from './trial-cursor';

/** A trial with where its task stands and its objective value. */
export interface TrialView {
  trial: SweepTrial;
  status: string;
  value: number | null;
  step: number | null;
}

@Injectable()
export class SweepsService {
  constructor(
    private readonly sweeps: SweepRepository,
    private readonly tasks: TasksService,
    private readonly policy: OwnershipPolicy,
    private readonly ticker: SweepTicker,
  ) {}

  async create(principal: Principal, dto: CreateSweepDto): Promise<Sweep> {
    this.policy.assertCanCreate(principal);
    const strategy = dto.strategy ?? 'grid';
    const parameters = dto.parameters.map((parameter, index) =>
      checkedParameter(parameter, index, strategy),
    );
    const names = new Set(parameters.map((parameter) => parameter.name));
    if (names.size !== parameters.length)
      throw new InvalidInputError('Each parameter may appear once.', [
        { field: 'parameters', message: 'names must be unique' },
      ]);
    if (dto.task.dependsOn?.length)
      throw new InvalidInputError('A trial cannot depend on other tasks.', [
        { field: 'task.dependsOn', message: 'must be empty' },
      ]);
    let template: TaskSpec;
    try {
      template = this.tasks.specOf(principal, dto.task);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      throw new InvalidInputError(
        error.message,
        error.fieldProblems.map((problem) => ({ ...problem, field: `task.${problem.field}` })),
      );
    }
    const now = new Date();
    const sweep = Object.assign(new Sweep(), {
      id: randomUUID(),
      ownerId: principal.userId,
      name: dto.name,
      template,
      parameters,
      strategy,
      seed: dto.seed ?? 0,
      trialCount:
        strategy === 'grid' ? Math.min(dto.maxTrials, gridSize(parameters)) : dto.maxTrials,
      parallelism: dto.parallelism ?? 1,
      objective: {
        metric: dto.objective.metric,
        goal: dto.objective.goal,
        value: dto.objective.value ?? 'last',
      },
      earlyStopping: dto.earlyStopping ?? 'none',
      status: SweepStatus.Running,
      trialsSubmitted: 0,
      createdAt: now,
      updatedAt: now,
    });
    await this.sweeps.insert(sweep);
    this.ticker.wake();
    return sweep;
  }

  /** A page of the sweeps the caller may see, oldest first. */
  async list(principal: Principal, query: PageQuery): Promise<KeysetPage<Sweep>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.sweeps.page({
      ownerId: this.policy.listableOwner(principal),
      limit: limit + 1,
      after: query.cursor ? decodeTimeIdCursor(query.cursor) : undefined,
    });
    return keysetPage(rows, limit, (last) =>
      encodeTimeIdCursor({ at: last.createdAt, id: last.id }),
    );
  }

  async get(principal: Principal, id: string): Promise<Sweep> {
    const sweep = await this.sweeps.findById(id);
    if (!sweep) throw new NotFoundError('Sweep not found.');
    this.policy.assertCanRead(principal, sweep.ownerId, 'Sweep');
    return sweep;
  }

  /** Every trial with its task's status and objective value, by index. */
  async trials(sweep: Sweep): Promise<TrialView[]> {
    return this.views(sweep, await this.sweeps.trialsOf(sweep.id));
  }

  /** A page of the trials, by index, each with its task's status and objective value. */
  async trialsPage(sweep: Sweep, query: PageQuery): Promise<KeysetPage<TrialView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeTrialCursor(query.cursor) : undefined;
    const rows = await this.sweeps.trialsPage(sweep.id, limit + 1, after);
    const page = keysetPage(rows, limit, (last) => encodeTrialCursor(last.index));
    return { items: await this.views(sweep, page.items), nextCursor: page.nextCursor };
  }

  private async views(sweep: Sweep, trials: SweepTrial[]): Promise<TrialView[]> {
    const taskIds = trials.map((trial) => trial.taskId);
    const { metric, goal, value } = sweep.objective;
    const pick = value === 'last' ? 'last' : goal === 'minimize' ? 'min' : 'max';
    const [states, values] = await Promise.all([
      this.tasks.statesOf(taskIds),
      this.tasks.metricValues(taskIds, metric, pick),
    ]);
    const byTask = new Map(values.map((entry) => [entry.taskId, entry]));
    return trials.map((trial) => ({
      trial,
      status: states.get(trial.taskId) ?? 'deleted',
      value: byTask.get(trial.taskId)?.value ?? null,
      step: byTask.get(trial.taskId)?.step ?? null,
    }));
  }

  /** Stops the sweep and cancels each unfinished trial. */
  async cancel(principal: Principal, id: string): Promise<Sweep> {
    const sweep = await this.get(principal, id);
    this.policy.assertCanChange(principal, sweep.ownerId, 'Sweep');
    await this.sweeps.finish(id, SweepStatus.Cancelled);
    const trials = await this.sweeps.trialsOf(id);
    const states = await this.tasks.statesOf(trials.map((trial) => trial.taskId));
    for (const trial of trials) {
      const status = states.get(trial.taskId);
      if (status !== undefined && !isFinal(status))
        await this.tasks.cancel(principal, trial.taskId);
    }
    return this.get(principal, id);
  }
}

/** Rules across fields of a parameter, named by its place in the list. */
function checkedParameter(
  parameter: SearchParameterDto,
  index: number,
  strategy: string,
): SearchParameter {
  const field = `parameters.${index}`;
  const fail = (message: string) =>
    new InvalidInputError(`Parameter ${parameter.name}: ${message}.`, [{ field, message }]);
  const range = parameter.min !== undefined || parameter.max !== undefined;
  if (parameter.values && range) throw fail('give values or a min/max range, not both');
  if (!parameter.values && !range) throw fail('give values or a min/max range');
  if (parameter.values) return { name: parameter.name, values: parameter.values };
  if (strategy === 'grid') throw fail('a grid takes values lists only; use random for a range');
  if (parameter.min === undefined || parameter.max === undefined)
    throw fail('a range needs both min and max');
  if (parameter.min > parameter.max) throw fail('min must not exceed max');
  if (parameter.scale === 'log' && parameter.min <= 0) throw fail('a log scale needs min above 0');
  return {
    name: parameter.name,
    min: parameter.min,
    max: parameter.max,
    type: parameter.type ?? 'float',
    scale: parameter.scale ?? 'linear',
  };
}
