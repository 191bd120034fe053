import { EventEmitter } from 'node:events';
import { KilnConfig } from '../../../config/kiln.config';
import { JobQueues } from '../../../infra/jobs/job-queue.port';
import { LeaderLock } from '../../../infra/lock/leader-lock.port';
import { ScheduleFireLog } from '../../schedules';
import { ServiceEventLog } from '../../services';
import { TaskEventLog, TaskLifecycle } from '../../tasks';
import { DeliveriesRepository } from '../deliveries.repository';
import { WebhooksRepository } from '../webhooks.repository';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSender } from './webhook-sender';

/** An outbox whose every pass reads positions that are not set yet: a pass, counted. */
function outbox() {
  const changes = new EventEmitter();
  const positionReads = jest.fn().mockResolvedValue(null);
  const deliveries = {
    outboxPosition: positionReads,
    stalePending: jest.fn().mockResolvedValue([]),
  } as unknown as DeliveriesRepository;
  const config = {
    webhooks: { backoffMs: 1000, backoffMaxMs: 60_000, maxAttempts: 5, timeoutMs: 10_000 },
  } as KilnConfig;
  const subject = new WebhookOutbox(
    config,
    { isLeader: true } as LeaderLock,
    { driver: 'memory' } as JobQueues,
    {} as TaskEventLog,
    {} as ServiceEventLog,
    {} as ScheduleFireLog,
    { changes } as unknown as TaskLifecycle,
    {} as WebhooksRepository,
    deliveries,
    {} as WebhookSender,
  );
  subject.onModuleInit();
  /** Passes so far: each reads the three sources' positions. */
  const passes = () => positionReads.mock.calls.length / 3;
  return { subject, changes, passes };
}

describe('WebhookOutbox', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reads a burst of task changes in one pass, once they are old enough to be read', async () => {
    const { subject, changes, passes } = outbox();
    for (let change = 0; change < 200; change++) changes.emit('change', {});
    await jest.advanceTimersByTimeAsync(499);
    expect(passes()).toBe(0); // a pass now would find every change too young to read
    await jest.advanceTimersByTimeAsync(1);
    expect(passes()).toBe(1);
    subject.onModuleDestroy();
  });

  it('under a steady stream of changes runs at most one woken pass per half second', async () => {
    const { subject, changes, passes } = outbox();
    for (let ms = 0; ms < 2000; ms += 10) {
      changes.emit('change', {});
      await jest.advanceTimersByTimeAsync(10);
    }
    expect(passes()).toBe(4);
    subject.onModuleDestroy();
  });
});
