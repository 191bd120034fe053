// Turns a schedule's due time into exactly one fire record, and at most one task. The
// record's unique (schedule, scheduled time) is written in the task's transaction, and
// the schedule moves on in it only if it still waits for that time: a second leader
// for a moment, a trigger racing the loop, or a retried pass all lose on one of the
// two and roll their task back with it.
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { isForeignKeyViolation, isUniqueViolation } from '../../infra/database/sql-helpers';
import { Principal, UserAccountsService } from '../auth';
import { TasksService, TaskSpec } from '../tasks';
import { ConcurrencyPolicy } from './concurrency-policy';
import { CronCalendar } from './cron-calendar';
import { planDue } from './due-times';
import { FireKind, FireOutcome } from './fire-outcome';
import { ScheduleClock } from './schedule-clock';
import { SchedulesPrometheus } from './schedules.prometheus';
import { ScheduleFire } from './schedule-fire.entity';
import { SCHEDULE_ID_LABEL, SCHEDULED_AT_LABEL } from './schedule-labels';
import { Advance, ScheduleMovedError, ScheduleRepository } from './schedule.repository';
import { Schedule } from './schedule.entity';

const REASON_LENGTH = 500;

/** A fire's decision before it is written: submit, or record why not. */
type Verdict =
  | { submit: true; replaced: string | null }
  | { submit: false; outcome: FireOutcome; reason: string };

@Injectable()
export class ScheduleFirer {
  private readonly logger = new Logger(ScheduleFirer.name);

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly tasks: TasksService,
    private readonly users: UserAccountsService,
    private readonly clock: ScheduleClock,
    private readonly prometheus: SchedulesPrometheus,
  ) {}

  /** Handles every time of `schedule` that has come: one fires, older ones are missed. */
  async fireDue(schedule: Schedule): Promise<void> {
    if (!schedule.nextFireAt) return;
    const now = this.clock.now();
    const plan = planDue({
      calendar: new CronCalendar(schedule.cron, schedule.timezone),
      from: schedule.nextFireAt,
      now,
      startingDeadlineSeconds: schedule.startingDeadlineSeconds,
      maxMissed: schedule.historyLimit,
    });
    if (plan.missedUnlisted || plan.lookbackCut) {
      this.logger.warn(
        { scheduleId: schedule.id, unlisted: plan.missedUnlisted, lookbackCut: plan.lookbackCut },
        'more times were missed than the history keeps',
      );
    }
    const missed = plan.missed.map((time) =>
      this.fireRow(schedule.id, time, now, FireKind.Scheduled, {
        outcome: FireOutcome.Missed,
        reason: missedReason(time, plan.fire, schedule.startingDeadlineSeconds),
      }),
    );
    const advance: Advance = { from: schedule.nextFireAt, to: plan.next };
    if (plan.fire) await this.fire(schedule, plan.fire, FireKind.Scheduled, missed, advance);
    else if (await this.write(() => this.schedules.record(schedule.id, missed, advance)))
      this.prometheus.recorded(missed);
    await this.schedules.trimHistory(schedule.id, schedule.historyLimit);
  }

  /** A fire now, outside the cron times; the schedule's next time stays as it is. */
  async trigger(schedule: Schedule): Promise<ScheduleFire | null> {
    const now = this.clock.now();
    const fire = await this.fire(schedule, now, FireKind.Manual, [], { from: null });
    await this.schedules.trimHistory(schedule.id, schedule.historyLimit);
    return fire;
  }

  /** The fire record written for `time`, or null when another writer recorded it first. */
  private async fire(
    schedule: Schedule,
    time: Date,
    kind: FireKind,
    missed: ScheduleFire[],
    advance: Advance,
  ): Promise<ScheduleFire | null> {
    const now = this.clock.now();
    const owner = await this.ownerOf(schedule);
    const verdict = owner
      ? await this.verdict(schedule, owner)
      : {
          submit: false as const,
          outcome: FireOutcome.Skipped,
          reason: 'the owner is disabled or gone',
        };
    if (!verdict.submit || !owner) {
      const record = this.fireRow(
        schedule.id,
        time,
        now,
        kind,
        verdict as Extract<Verdict, { submit: false }>,
      );
      const written = await this.write(() =>
        this.schedules.record(schedule.id, [...missed, record], advance),
      );
      if (written) this.prometheus.recorded([...missed, record]);
      return written ? record : null;
    }
    return this.submit(schedule, owner, time, kind, missed, advance, verdict.replaced);
  }

  private async submit(
    schedule: Schedule,
    owner: Principal,
    time: Date,
    kind: FireKind,
    missed: ScheduleFire[],
    advance: Advance,
    replaced: string | null,
  ): Promise<ScheduleFire | null> {
    const now = this.clock.now();
    const record = this.fireRow(schedule.id, time, now, kind, {
      outcome: FireOutcome.Submitted,
      reason: replaced ? `replaced task ${replaced}, which was still running` : null,
    });
    const spec = TaskSpec.clone(schedule.template, {
      labels: {
        ...schedule.template.labels,
        [SCHEDULE_ID_LABEL]: schedule.id,
        [SCHEDULED_AT_LABEL]: time.toISOString(),
      },
    });
    try {
      await this.tasks.submitSpec(owner, spec, {
        reason: `fired by schedule ${schedule.id} for ${time.toISOString()}`,
        writeFirst: (manager, taskId) => {
          record.taskId = taskId;
          return this.schedules.recordWith(manager, schedule.id, [...missed, record], {
            ...advance,
            lastTaskId: taskId,
          });
        },
      });
      this.prometheus.recorded([...missed, record]);
      return record;
    } catch (error) {
      if (isLostRace(error)) return null;
      if (!(error instanceof DomainError)) throw error;
      // the submit was refused: the time is handled all the same, with the reason
      const failed = this.fireRow(schedule.id, time, now, kind, {
        outcome: FireOutcome.Failed,
        reason: error.message,
      });
      const written = await this.write(() =>
        this.schedules.record(schedule.id, [...missed, failed], advance),
      );
      if (written) this.prometheus.recorded([...missed, failed]);
      return written ? failed : null;
    }
  }

  /** What the concurrency policy says about the schedule's previous task. */
  private async verdict(schedule: Schedule, owner: Principal): Promise<Verdict> {
    const previous = schedule.lastTaskId;
    if (!previous || schedule.concurrencyPolicy === ConcurrencyPolicy.Allow)
      return { submit: true, replaced: null };
    const state = await this.tasks.stateOf(previous);
    if (!state || state.final) return { submit: true, replaced: null };
    if (schedule.concurrencyPolicy === ConcurrencyPolicy.Forbid) {
      return {
        submit: false,
        outcome: FireOutcome.Skipped,
        reason: `the previous task ${previous} is still ${state.status}`,
      };
    }
    await this.tasks
      .cancel(owner, previous)
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, taskId: previous },
          'could not cancel the task a fire replaces',
        ),
      );
    return { submit: true, replaced: previous };
  }

  /** The owner as a principal, with their current roles; null when disabled or deleted. */
  private async ownerOf(schedule: Schedule): Promise<Principal | null> {
    const user = await this.users.get(schedule.ownerId).catch(() => null);
    if (!user || user.disabled) return null;
    return { userId: user.id, username: user.username, roles: user.roles, scopes: 'all' };
  }

  /** Runs a write that may lose to another writer; false when it lost. */
  private async write(work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      if (isLostRace(error)) return false;
      throw error;
    }
  }

  private fireRow(
    scheduleId: string,
    scheduledAt: Date,
    firedAt: Date,
    kind: FireKind,
    result: { outcome: FireOutcome; reason: string | null },
  ): ScheduleFire {
    return Object.assign(new ScheduleFire(), {
      id: randomUUID(),
      scheduleId,
      scheduledAt,
      firedAt,
      kind,
      outcome: result.outcome,
      reason: result.reason?.slice(0, REASON_LENGTH) ?? null,
      taskId: null,
    });
  }
}

/** Another writer recorded this time, moved the schedule on, or deleted it, first. */
function isLostRace(error: unknown): boolean {
  return (
    error instanceof ScheduleMovedError || isUniqueViolation(error) || isForeignKeyViolation(error)
  );
}

function missedReason(time: Date, fired: Date | null, deadlineSeconds: number | null): string {
  if (fired) return `a later time, ${fired.toISOString()}, came before this one fired`;
  return `not fired within the starting deadline of ${deadlineSeconds} s`;
}
