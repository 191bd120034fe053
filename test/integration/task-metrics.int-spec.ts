import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { DatabaseModule } from '../../src/infra/database/database.module';
import { SCHEMA } from '../../src/schema';
import type { MetricPoint } from '../../src/modules/runtimes/run-reporter.port';
import { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { TaskMetricPoint } from '../../src/modules/tasks/training-metrics/task-metric-point.entity';
import { TaskMetricsModule } from '../../src/modules/tasks/training-metrics/task-metrics.module';
import { TaskMetricsRepository } from '../../src/modules/tasks/training-metrics/task-metrics.repository';
import { TaskMetricsService } from '../../src/modules/tasks/training-metrics/task-metrics.service';
import { databaseTargets } from '../support/database-targets';
import { insertTaskRow } from '../support/task-row';
import { testConfig } from '../support/test-config';

const targets = databaseTargets('kiln-task-metrics');

const START = Date.parse('2026-11-23T09:00:00.000Z');

/** A noisy, falling loss curve with a known spike and dip, one point per step. */
function lossCurve(count: number, spikeStep: number, dipStep: number): MetricPoint[] {
  return Array.from({ length: count }, (_, step) => ({
    name: 'train/loss',
    step,
    value:
      step === spikeStep ? 99 : step === dipStep ? -99 : 10 / (1 + step / 100) + Math.sin(step),
    time: new Date(START + step * 10),
  }));
}

describe.each(targets)('task metrics on $name', (target) => {
  let url: string;
  let tearDown: () => Promise<void>;
  let app: INestApplicationContext;
  let metrics: TaskMetricsService;

  async function startApp(): Promise<INestApplicationContext> {
    const config = testConfig({ KILN_DATABASE_URL: url, KILN_DATABASE_MIGRATE_ON_BOOT: 'true' });
    const moduleRef = await Test.createTestingModule({
      imports: [DatabaseModule.forRoot(config, SCHEMA), TaskMetricsModule],
    }).compile();
    return moduleRef.init();
  }

  /** A task for points to belong to: each point references its task. */
  async function newTaskId(): Promise<string> {
    return (await insertTaskRow(app.get(DataSource))).id;
  }

  async function countRows(taskId: string): Promise<number> {
    return app.get(DataSource).getRepository(TaskMetricPoint).countBy({ taskId });
  }

  beforeAll(async () => {
    ({ url, tearDown } = await target.setUp());
    app = await startApp();
    metrics = app.get(TaskMetricsService);
  });

  afterAll(async () => {
    await app?.close();
    await tearDown?.();
  });

  it('writes 10,000 points in a few batches and reads them back downsampled', async () => {
    const taskId = await newTaskId();
    const insertMany = jest.spyOn(app.get(TaskMetricsRepository), 'insertMany');
    const curve = lossCurve(10_000, 6_543, 2_109);
    // As a run prints them: one line, one record call.
    for (const point of curve) metrics.record(taskId, 1, [point]);
    metrics.record(taskId, 1, [{ name: 'lr', value: 0.001, time: new Date(START) }]);
    await metrics.flush();

    expect(await countRows(taskId)).toBe(10_001);
    expect(insertMany.mock.calls.length).toBeLessThanOrEqual(25);
    insertMany.mockRestore();

    const series = await metrics.series(taskId, { maxPoints: 500 });
    expect(series.map((s) => [s.name, s.attempt, s.points.length])).toEqual([
      ['lr', 1, 1],
      ['train/loss', 1, 500],
    ]);
    const loss = series[1].points;
    const steps = loss.map((point) => point.step as number);
    expect(steps.every((step, i) => i === 0 || steps[i - 1] < step)).toBe(true);
    expect(loss[0]).toEqual({ step: 0, value: curve[0].value, time: '2026-11-23T09:00:00.000Z' });
    expect(loss[499]).toEqual({
      step: 9_999,
      value: curve[9_999].value,
      time: new Date(START + 9_999 * 10).toISOString(),
    });
    expect(loss).toContainEqual({
      step: 6_543,
      value: 99,
      time: new Date(START + 65_430).toISOString(),
    });
    expect(loss).toContainEqual({
      step: 2_109,
      value: -99,
      time: new Date(START + 21_090).toISOString(),
    });
  });

  it('reduces a long series in the database to first, last and the extremes of each bucket', async () => {
    const taskId = await newTaskId();
    const curve = lossCurve(3_000, 1_234, 2_345);
    metrics.record(taskId, 1, curve);
    await metrics.flush();
    const reduced = await app.get(TaskMetricsRepository).findReducedSeries(taskId, 1, 100);
    expect(reduced.length).toBeLessThanOrEqual(202);
    expect(reduced.length).toBeGreaterThan(150);
    const steps = reduced.map((point) => point.step as number);
    expect(steps.every((step, i) => i === 0 || steps[i - 1] < step)).toBe(true);
    expect(steps).toEqual(expect.arrayContaining([0, 1_234, 2_345, 2_999]));
  });

  it('returns every point when maxPoints covers the series', async () => {
    const taskId = await newTaskId();
    const curve = lossCurve(3_000, -1, -1);
    metrics.record(taskId, 1, curve);
    const [series] = await metrics.series(taskId, { maxPoints: 3_000 });
    expect(series.points.map((point) => point.value)).toEqual(curve.map((point) => point.value));
  });

  it('returns only the named series', async () => {
    const taskId = await newTaskId();
    metrics.record(taskId, 1, [
      { name: 'a', step: 1, value: 1, time: new Date(START) },
      { name: 'b', step: 1, value: 2, time: new Date(START) },
      { name: 'c', step: 1, value: 3, time: new Date(START) },
    ]);
    const series = await metrics.series(taskId, { names: ['c', 'a', 'missing'], maxPoints: 10 });
    expect(series.map((s) => s.name)).toEqual(['a', 'c']);
  });

  it('sees recorded points without an explicit flush', async () => {
    const taskId = await newTaskId();
    metrics.record(taskId, 1, [{ name: 'acc', step: 3, value: 0.5, time: new Date(START) }]);
    const series = await metrics.series(taskId, { maxPoints: 10 });
    expect(series).toEqual([
      {
        name: 'acc',
        attempt: 1,
        points: [{ step: 3, value: 0.5, time: '2026-11-23T09:00:00.000Z' }],
      },
    ]);
  });

  it('orders by step then time, with points that have no step last', async () => {
    const taskId = await newTaskId();
    const at = (ms: number) => new Date(START + ms);
    metrics.record(taskId, 1, [
      { name: 'm', value: 7, time: at(0) },
      { name: 'm', step: 2, value: 3, time: at(5) },
      { name: 'm', step: 1, value: 2, time: at(9) },
      { name: 'm', step: 1, value: 1, time: at(1) },
      { name: 'm', step: 10_000_000_000, value: 4, time: at(2) },
    ]);
    const [series] = await metrics.series(taskId, { maxPoints: 10 });
    expect(series.points.map((p) => [p.step, p.value])).toEqual([
      [1, 1],
      [1, 2],
      [2, 3],
      [10_000_000_000, 4],
      [null, 7],
    ]);
  });

  it('reads the latest attempt by default and any attempt on request', async () => {
    const taskId = await newTaskId();
    metrics.record(taskId, 1, [{ name: 'loss', step: 0, value: 1, time: new Date(START) }]);
    metrics.record(taskId, 2, [{ name: 'loss', step: 0, value: 2, time: new Date(START) }]);
    const latest = await metrics.series(taskId, { maxPoints: 10 });
    expect(latest.map((s) => [s.attempt, s.points[0].value])).toEqual([[2, 2]]);
    const first = await metrics.series(taskId, { maxPoints: 10, attempt: 1 });
    expect(first.map((s) => [s.attempt, s.points[0].value])).toEqual([[1, 1]]);
    expect(await metrics.series(taskId, { maxPoints: 10, attempt: 3 })).toEqual([]);
    expect(await metrics.series(randomUUID(), { maxPoints: 10 })).toEqual([]);
  });

  it('knows the time of an attempt’s newest point, stored or still buffered', async () => {
    const taskId = await newTaskId();
    const at = (ms: number) => new Date(START + ms);
    expect(await metrics.latestTime(taskId, 1)).toBeUndefined();
    metrics.record(taskId, 1, [
      { name: 'loss', step: 1, value: 1, time: at(1_001) },
      { name: 'acc', step: 1, value: 1, time: at(7_123) },
      { name: 'loss', step: 2, value: 1, time: at(5_000) },
    ]);
    metrics.record(taskId, 2, [{ name: 'loss', step: 1, value: 1, time: at(9_000) }]);
    await metrics.flush();
    // from the table, to the millisecond, and per attempt
    expect(await app.get(TaskMetricsRepository).latestTime(taskId, 1)).toEqual(at(7_123));
    expect(await metrics.latestTime(taskId, 1)).toEqual(at(7_123));
    expect(await metrics.latestTime(taskId, 3)).toBeUndefined();

    metrics.record(taskId, 1, [{ name: 'loss', step: 3, value: 1, time: at(8_000) }]);
    expect(metrics.pendingPoints).toBe(1);
    expect(await metrics.latestTime(taskId, 1)).toEqual(at(8_000));
    await metrics.flush();
    expect(await metrics.latestTime(taskId, 1)).toEqual(at(8_000));
  });

  it('keeps every point of a batch but the one the database refuses, other tasks’ included', async () => {
    // A NUL in a name (or an Invalid Date): PostgreSQL refuses the row, SQLite may not.
    const refused = target.name === 'PostgreSQL';
    const goodTask = await newTaskId();
    const badTask = await newTaskId();
    metrics.record(goodTask, 1, lossCurve(3, -1, -1));
    metrics.record(badTask, 1, [
      { name: 'loss', step: 0, value: 1, time: new Date(START) },
      { name: 'lo\u0000ss', step: 1, value: 2, time: new Date(START) },
      { name: 'loss', step: 2, value: 3, time: new Date(START) },
    ]);
    metrics.record(await newTaskId(), 1, lossCurve(2, -1, -1));
    const droppedBefore = metrics.droppedPoints;
    await metrics.flush();
    expect(await countRows(goodTask)).toBe(3);
    expect(await countRows(badTask)).toBe(refused ? 2 : 3);
    expect(metrics.droppedPoints - droppedBefore).toBe(refused ? 1 : 0);
  });

  it('drops the points of a task deleted before they were written, and keeps the others', async () => {
    const kept = await newTaskId();
    const deleted = await newTaskId();
    metrics.record(kept, 1, lossCurve(3, -1, -1));
    metrics.record(deleted, 1, lossCurve(2, -1, -1));
    await app.get(DataSource).getRepository(Task).delete({ id: deleted });
    const droppedBefore = metrics.droppedPoints;
    await metrics.flush();
    expect(await countRows(kept)).toBe(3);
    expect(await countRows(deleted)).toBe(0);
    expect(metrics.droppedPoints - droppedBefore).toBe(2);
  });

  it('lists the distinct names of a task', async () => {
    const taskId = await newTaskId();
    metrics.record(taskId, 1, [
      { name: 'val/acc', value: 1, time: new Date(START) },
      { name: 'train/loss', value: 1, time: new Date(START) },
      { name: 'val/acc', value: 2, time: new Date(START) },
    ]);
    metrics.record(await newTaskId(), 1, [{ name: 'other', value: 1, time: new Date(START) }]);
    await metrics.flush();
    expect(await metrics.names(taskId)).toEqual(['train/loss', 'val/acc']);
  });

  it('deletes a task’s stored and still-buffered points, and only those', async () => {
    const taskId = await newTaskId();
    const otherId = await newTaskId();
    metrics.record(taskId, 1, [{ name: 'loss', value: 1, time: new Date(START) }]);
    metrics.record(otherId, 1, [{ name: 'loss', value: 1, time: new Date(START) }]);
    await metrics.flush();
    metrics.record(taskId, 1, [{ name: 'loss', value: 2, time: new Date(START) }]);
    await metrics.deleteForTask(taskId);
    await metrics.flush();
    expect(await countRows(taskId)).toBe(0);
    expect(await countRows(otherId)).toBe(1);
  });

  it('writes buffered points when the module shuts down', async () => {
    const taskId = await newTaskId();
    const points = lossCurve(120, -1, -1);
    metrics.record(taskId, 1, points);
    expect(metrics.pendingPoints).toBe(120);
    await app.close();
    app = await startApp();
    metrics = app.get(TaskMetricsService);
    expect(await countRows(taskId)).toBe(120);
  });
});
