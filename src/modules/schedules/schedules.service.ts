// Commands on schedules from the REST API. Each read and change checks ownership first;
// the template is checked in full as a submit is, so a schedule never stores a task
// that could not be submitted when it was made.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../../common/errors/domain-error';
import { KeysetPage, keysetPage } from '../../common/pagination/keyset-page';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../../common/pagination/page.query';
import { decodeTimeIdCursor, encodeTimeIdCursor } from '../../common/pagination/time-id-cursor';
import { OwnershipPolicy, Principal } from '../auth';
import { CreateTaskDto, TasksService, TaskSpec } from '../tasks';
import { ConcurrencyPolicy } from './concurrency-policy';
import { CronCalendar, InvalidCronError } from './cron-calendar';
import { CreateScheduleDto, DEFAULT_HISTORY_LIMIT } from './dto/create-schedule.dto';
import { UpdateScheduleDto } from './dto/update-schedule.dto';
import { ScheduleClock } from './schedule-clock';
import { ScheduleFire } from './schedule-fire.entity';
import { ScheduleFirer } from './schedule-firer';
import { Schedule } from './schedule.entity';
import { ScheduleRepository } from './schedule.repository';
import { ScheduleChangedError } from './schedules.errors';

@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly tasks: TasksService,
    private readonly policy: OwnershipPolicy,
    private readonly firer: ScheduleFirer,
    private readonly clock: ScheduleClock,
  ) {}

  async create(principal: Principal, dto: CreateScheduleDto): Promise<Schedule> {
    this.policy.assertCanCreate(principal);
    const timezone = dto.timezone ?? 'UTC';
    const calendar = calendarOf(dto.cron, timezone);
    const suspended = dto.suspend ?? false;
    const now = this.clock.now();
    const schedule = Object.assign(new Schedule(), {
      id: randomUUID(),
      ownerId: principal.userId,
      name: dto.name,
      cron: dto.cron,
      timezone,
      template: this.templateOf(principal, dto.task),
      concurrencyPolicy: dto.concurrencyPolicy ?? ConcurrencyPolicy.Allow,
      startingDeadlineSeconds: dto.startingDeadlineSeconds ?? null,
      suspended,
      historyLimit: dto.historyLimit ?? DEFAULT_HISTORY_LIMIT,
      nextFireAt: suspended ? null : calendar.next(now),
      lastTaskId: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await this.schedules.insert(schedule);
    return schedule;
  }

  /** A page of the schedules the caller may see, oldest first. */
  async list(principal: Principal, query: PageQuery): Promise<KeysetPage<Schedule>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.schedules.page({
      ownerId: this.policy.listableOwner(principal),
      limit: limit + 1,
      after: query.cursor ? decodeTimeIdCursor(query.cursor) : undefined,
    });
    return keysetPage(rows, limit, (last) =>
      encodeTimeIdCursor({ at: last.createdAt, id: last.id }),
    );
  }

  /** A page of a schedule's fire records, newest first. */
  async fires(schedule: Schedule, query: PageQuery): Promise<KeysetPage<ScheduleFire>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeTimeIdCursor(query.cursor) : undefined;
    const rows = await this.schedules.firesPage(schedule.id, limit + 1, after);
    return keysetPage(rows, limit, (last) =>
      encodeTimeIdCursor({ at: last.scheduledAt, id: last.id }),
    );
  }

  async get(principal: Principal, id: string): Promise<Schedule> {
    const schedule = await this.schedules.findById(id);
    if (!schedule) throw new NotFoundError('Schedule not found.');
    this.policy.assertCanRead(principal, schedule.ownerId, 'Schedule');
    return schedule;
  }

  history(schedule: Schedule): Promise<ScheduleFire[]> {
    return this.schedules.history(schedule.id, schedule.historyLimit);
  }

  /** The next `count` fire times, none while suspended. */
  upcoming(schedule: Schedule, count: number): Date[] {
    if (schedule.suspended) return [];
    return calendarOf(schedule.cron, schedule.timezone).upcoming(this.clock.now(), count);
  }

  /**
   * A new expression, zone or resumption starts from the next time after now: times
   * that passed while suspended or under the old expression never fire.
   */
  async update(principal: Principal, id: string, dto: UpdateScheduleDto): Promise<Schedule> {
    const schedule = await this.get(principal, id);
    this.policy.assertCanChange(principal, schedule.ownerId, 'Schedule');
    const cron = dto.cron ?? schedule.cron;
    const timezone = dto.timezone ?? schedule.timezone;
    const suspended = dto.suspend ?? schedule.suspended;
    const calendar = calendarOf(cron, timezone);
    const timing =
      cron !== schedule.cron || timezone !== schedule.timezone || suspended !== schedule.suspended;
    const changes: Partial<Schedule> = {
      name: dto.name ?? schedule.name,
      cron,
      timezone,
      suspended,
      concurrencyPolicy: dto.concurrencyPolicy ?? schedule.concurrencyPolicy,
      startingDeadlineSeconds:
        dto.startingDeadlineSeconds === undefined
          ? schedule.startingDeadlineSeconds
          : dto.startingDeadlineSeconds,
      historyLimit: dto.historyLimit ?? schedule.historyLimit,
      template: dto.task ? this.templateOf(principal, dto.task) : schedule.template,
      nextFireAt: !timing
        ? schedule.nextFireAt
        : suspended
          ? null
          : calendar.next(this.clock.now()),
    };
    if (!(await this.schedules.update(id, schedule.version, changes)))
      throw new ScheduleChangedError();
    return this.get(principal, id);
  }

  setSuspended(principal: Principal, id: string, suspend: boolean): Promise<Schedule> {
    return this.update(principal, id, { suspend });
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const schedule = await this.get(principal, id);
    this.policy.assertCanChange(principal, schedule.ownerId, 'Schedule');
    await this.schedules.delete(id);
  }

  /** Fires now, under the concurrency policy; the record says what came of it. */
  async trigger(principal: Principal, id: string): Promise<ScheduleFire> {
    const schedule = await this.get(principal, id);
    this.policy.assertCanChange(principal, schedule.ownerId, 'Schedule');
    const fire = await this.firer.trigger(schedule);
    // two triggers in the same millisecond: the second loses the unique time
    if (!fire) throw new ScheduleChangedError();
    return fire;
  }

  private templateOf(principal: Principal, task: CreateTaskDto): TaskSpec {
    if (task.dependsOn?.length) {
      throw new InvalidInputError('A scheduled task cannot depend on other tasks.', [
        { field: 'task.dependsOn', message: 'must be empty: each fire makes a new task' },
      ]);
    }
    try {
      return this.tasks.specOf(principal, task);
    } catch (error) {
      if (error instanceof InvalidInputError) throw prefixed(error, 'task');
      throw error;
    }
  }
}

function calendarOf(cron: string, timezone: string): CronCalendar {
  try {
    return new CronCalendar(cron, timezone);
  } catch (error) {
    if (!(error instanceof InvalidCronError)) throw error;
    const field = error.message.includes('zone') ? 'timezone' : 'cron';
    throw new InvalidInputError(`The ${field} is not valid: ${error.message}.`, [
      { field, message: error.message },
    ]);
  }
}

/** The template's field problems, named as fields of the schedule's `task`. */
function prefixed(error: InvalidInputError, parent: string): InvalidInputError {
  return new InvalidInputError(
    error.message,
    error.fieldProblems.map((problem) => ({ ...problem, field: `${parent}.${problem.field}` })),
  );
}
