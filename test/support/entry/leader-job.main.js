// A real Kiln server process (from dist/) with a test-only leader job: a
// `@LeaderOnly() @Interval(1000)` handler that records each run (pid, start time, tick
// second, epoch) in the table leader_probe_runs of Kiln's own PostgreSQL database, and
// GET /api/v1/probe/pid, which answers with the serving process's pid. Runs through
// startServerProcesses, so WEB_CONCURRENCY applies. Plain JS, decorated with
// Reflect.decorate like compiled TypeScript (see slow-route.main.js).
const { Controller, Get, Inject, Injectable, Logger, Module } = require('@nestjs/common');
const { Interval } = require('@nestjs/schedule');
const { DataSource } = require('typeorm');
const { IS_PUBLIC } = require('../../../dist/common/decorators/public.decorator');
const { LeaderOnly } = require('../../../dist/common/scheduling/leader-only.decorator');
const { LEADER_LOCK } = require('../../../dist/infra/lock/leader-lock.port');
const { runOrExit, startServer } = require('../../../dist/bootstrap');
const { startServerProcesses } = require('../../../dist/common/process/cluster');

/** PostgreSQL's answers when another process creates the same table at the same moment. */
const CREATED_CONCURRENTLY = new Set(['23505', '42P07']);

class LeaderProbeJob {
  constructor(dataSource, lock) {
    this.dataSource = dataSource;
    this.lock = lock;
  }

  async onModuleInit() {
    try {
      await this.dataSource.query(
        `CREATE TABLE IF NOT EXISTS leader_probe_runs (
           pid integer NOT NULL,
           started_at bigint NOT NULL,
           tick bigint NOT NULL,
           epoch integer NOT NULL
         )`,
      );
    } catch (error) {
      if (!CREATED_CONCURRENTLY.has(error.code)) throw error;
    }
  }

  async tick(signal) {
    if (!(signal instanceof AbortSignal)) throw new Error('@LeaderOnly passed no AbortSignal');
    const startedAt = Date.now();
    await this.dataSource.query(
      'INSERT INTO leader_probe_runs (pid, started_at, tick, epoch) VALUES ($1, $2, $3, $4)',
      [process.pid, startedAt, Math.floor(startedAt / 1000), this.lock.term.epoch],
    );
    new Logger('LeaderProbe').log(`leader probe ran (epoch ${this.lock.term.epoch})`);
  }
}
Object.defineProperty(
  LeaderProbeJob.prototype,
  'tick',
  Reflect.decorate(
    [LeaderOnly(), Interval(1000)],
    LeaderProbeJob.prototype,
    'tick',
    Object.getOwnPropertyDescriptor(LeaderProbeJob.prototype, 'tick'),
  ),
);
Inject(DataSource)(LeaderProbeJob, undefined, 0);
Inject(LEADER_LOCK)(LeaderProbeJob, undefined, 1);
Injectable()(LeaderProbeJob);

class PidProbeController {
  pid() {
    return { pid: process.pid };
  }
}
Reflect.decorate(
  [Get('pid')],
  PidProbeController.prototype,
  'pid',
  Object.getOwnPropertyDescriptor(PidProbeController.prototype, 'pid'),
);
Reflect.defineMetadata(IS_PUBLIC, true, PidProbeController);
Controller('probe')(PidProbeController);

class LeaderProbeModule {}
Module({ controllers: [PidProbeController], providers: [LeaderProbeJob] })(LeaderProbeModule);

runOrExit(() => startServerProcesses(() => startServer({ imports: [LeaderProbeModule] })));
