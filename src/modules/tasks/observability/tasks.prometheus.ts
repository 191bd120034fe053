// Prometheus metrics of the task system, for dashboards and alerts: transitions as they
// happen (counted by the replica that made each one; sum them across replicas), and on
// each scrape the tasks by status and queue and the launch queue's jobs by state. Those
// two describe shared state, so only the leader reports them; summing them across
// replicas would multiply them. A scrape must not hang on a database or Redis that is
// down (it would lose every other metric with it): past the health-check timeout those
// two gauges are left out of that scrape.
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { withTimeout } from '../../../common/with-timeout';
import { KilnConfig } from '../../../config/kiln.config';
import { JOB_QUEUES, JobQueues } from '../../../infra/jobs/job-queue.port';
import { LEADER_LOCK, LeaderLock } from '../../../infra/lock/leader-lock.port';
import { TaskRepository } from '../persistence/task.repository';
import { LAUNCH_JOB_QUEUE } from '../orchestration/launch-order';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';

@Injectable()
export class TasksPrometheus {
  constructor(
    registry: Registry,
    lifecycle: TaskLifecycle,
    tasks: TaskRepository,
    @Inject(LEADER_LOCK) lock: LeaderLock,
    @Inject(JOB_QUEUES) queues: JobQueues,
    @Inject(KilnConfig) config: KilnConfig,
  ) {
    const bounded = <T>(read: Promise<T>): Promise<T | undefined> =>
      withTimeout(read, config.lifecycle.healthCheckTimeoutMs).catch(() => undefined);
    const transitionsTotal = new Counter({
      name: 'kiln_task_transitions_total',
      help: 'Task status changes made by this process',
      labelNames: ['from', 'to'],
      registers: [registry],
    });
    lifecycle.changes.on('change', ({ event }) => {
      if (event.kind === 'status') {
        transitionsTotal.inc({ from: event.fromStatus ?? 'none', to: event.toStatus });
      }
    });
    new Gauge({
      name: 'kiln_tasks',
      help: 'Tasks by status and queue (reported by the leader only)',
      labelNames: ['status', 'queue'],
      registers: [registry],
      async collect() {
        this.reset();
        if (!lock.isLeader) return;
        const rows = await bounded(tasks.countByStatusAndQueue());
        for (const row of rows ?? []) this.set({ status: row.status, queue: row.queue }, row.count);
      },
    });
    new Gauge({
      name: 'kiln_launch_queue_jobs',
      help: 'Launch jobs on the job queue by state (reported by the leader only)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        if (!lock.isLeader) return;
        const counts = await bounded(queues.get(LAUNCH_JOB_QUEUE).counts());
        for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
      },
    });
  }
}
