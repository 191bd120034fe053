import { Registry } from 'prom-client';
import type { MetricPoint } from '../../runtimes';
import type { NewMetricPoint, TaskMetricsRepository } from './task-metrics.repository';
import { TaskMetricsService } from './task-metrics.service';

// The buffer's rules with a scripted repository; the SQL itself is covered on real
// databases by test/integration/task-metrics.int-spec.ts.
class ScriptedRepository {
  readonly written: NewMetricPoint[] = [];
  readonly batches: number[] = [];
  failures: Error[] = [];
  /** Rows the database refuses for good, whatever batch they come in. */
  refuses: (row: NewMetricPoint) => boolean = () => false;
  /** When set, inserts wait for it, so a test can look while a batch is on its way. */
  hold: Promise<void> | undefined;

  async insertMany(rows: readonly NewMetricPoint[]): Promise<void> {
    await this.hold;
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (rows.some(this.refuses)) throw permanent;
    this.batches.push(rows.length);
    this.written.push(...rows);
  }

  async latestTime(taskId: string, attempt: number): Promise<Date | undefined> {
    const times = this.written
      .filter((row) => row.taskId === taskId && row.attempt === attempt)
      .map((row) => row.recordedAt.getTime());
    return times.length > 0 ? new Date(Math.max(...times)) : undefined;
  }
}

const points = (count: number, from = 0): MetricPoint[] =>
  Array.from({ length: count }, (_, i) => ({
    name: 'loss',
    step: from + i,
    value: i,
    time: new Date(0),
  }));

const transient = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const permanent = Object.assign(new Error('value too long'), { code: '22001' });

function serviceWith(options: { batchSize?: number; maxBufferedPoints?: number } = {}) {
  const repository = new ScriptedRepository();
  const service = new TaskMetricsService(repository as unknown as TaskMetricsRepository, {
    flushIntervalMs: 60_000,
    ...options,
  });
  return { repository, service };
}

describe('TaskMetricsService buffering', () => {
  afterEach(() => jest.useRealTimers());

  it('writes in batches of batchSize', async () => {
    const { repository, service } = serviceWith({ batchSize: 4 });
    service.record('t', 1, points(10));
    await service.flush();
    expect(repository.batches).toEqual([4, 4, 2]);
    expect(repository.written.map((row) => row.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes a full batch without waiting for the interval', async () => {
    jest.useFakeTimers();
    const { repository, service } = serviceWith({ batchSize: 5 });
    service.record('t', 1, points(5));
    // No timer may fire (the interval is a minute): only record() can have started the write.
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.batches).toEqual([5]);
  });

  it('writes a partial batch once the interval passes', async () => {
    jest.useFakeTimers();
    const { repository, service } = serviceWith({ batchSize: 500 });
    service.record('t', 1, points(3));
    expect(repository.batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(repository.batches).toEqual([3]);
  });

  it('drops the oldest points past maxBufferedPoints and counts them', async () => {
    const { repository, service } = serviceWith({ batchSize: 100, maxBufferedPoints: 5 });
    service.record('t', 1, points(8));
    expect(service.pendingPoints).toBe(5);
    expect(service.droppedPoints).toBe(3);
    await service.flush();
    expect(repository.written.map((row) => row.step)).toEqual([3, 4, 5, 6, 7]);
  });

  it('counts dropped points in kiln_task_metric_points_dropped_total', async () => {
    const registry = new Registry();
    const service = new TaskMetricsService(
      new ScriptedRepository() as unknown as TaskMetricsRepository,
      { maxBufferedPoints: 2, flushIntervalMs: 60_000 },
      registry,
    );
    service.record('t', 1, points(5));
    const metric = await registry.getSingleMetricAsString('kiln_task_metric_points_dropped_total');
    expect(metric).toMatch(/^kiln_task_metric_points_dropped_total 3$/m);
    await service.flush();
  });

  it('keeps a batch that failed transiently and writes it on the next flush', async () => {
    const { repository, service } = serviceWith({ batchSize: 2 });
    repository.failures = [transient];
    service.record('t', 1, points(3));
    await expect(service.flush()).rejects.toBe(transient);
    expect(service.pendingPoints).toBe(3);
    await service.flush();
    expect(repository.written.map((row) => row.step)).toEqual([0, 1, 2]);
    expect(service.droppedPoints).toBe(0);
  });

  it('drops only the point the database refuses for good, not the rest of its batch', async () => {
    const { repository, service } = serviceWith({ batchSize: 10 });
    repository.refuses = (row) => row.step === 1;
    service.record('t', 1, points(3));
    await service.flush();
    expect(repository.written.map((row) => row.step)).toEqual([0, 2]);
    expect(service.droppedPoints).toBe(1);
  });

  it('writes other tasks’ points of a batch that holds a point the database refuses', async () => {
    const { repository, service } = serviceWith({ batchSize: 10 });
    repository.refuses = (row) => row.taskId === 'bad' && row.step === 0;
    service.record('other', 1, points(2));
    service.record('bad', 1, points(2));
    service.record('third', 1, points(1));
    await service.flush();
    expect(repository.written.map((row) => `${row.taskId}:${row.step}`).sort()).toEqual([
      'bad:1',
      'other:0',
      'other:1',
      'third:0',
    ]);
    expect(service.droppedPoints).toBe(1);
  });

  it('puts back what is unwritten when the database goes away while a batch is split', async () => {
    const { repository, service } = serviceWith({ batchSize: 10 });
    repository.refuses = (row) => row.step === 0;
    service.record('t', 1, points(3));
    repository.failures = [permanent, permanent, transient];
    await expect(service.flush()).rejects.toBe(transient);
    await service.flush();
    expect(repository.written.map((row) => row.step)).toEqual([1, 2]);
    expect(service.droppedPoints).toBe(1);
  });

  it('retries a transient failure on its own', async () => {
    jest.useFakeTimers();
    const { repository, service } = serviceWith({ batchSize: 2 });
    repository.failures = [transient];
    service.record('t', 1, points(2));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.written).toEqual([]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(repository.written.map((row) => row.step)).toEqual([0, 1]);
  });
});

describe('TaskMetricsService.latestTime', () => {
  const at = (seconds: number): MetricPoint => ({
    name: 'loss',
    value: seconds,
    time: new Date(seconds * 1000),
  });

  it('is undefined for an attempt without points', async () => {
    const { service } = serviceWith();
    service.record('t', 1, [at(5)]);
    expect(await service.latestTime('t', 2)).toBeUndefined();
    expect(await service.latestTime('other', 1)).toBeUndefined();
  });

  it('is the newest time among written and still-buffered points of the attempt', async () => {
    const { service } = serviceWith();
    service.record('t', 1, [at(3), at(7), at(5)]);
    await service.flush();
    expect(await service.latestTime('t', 1)).toEqual(new Date(7000));
    service.record('t', 1, [at(9)]);
    service.record('t', 2, [at(20)]);
    service.record('other', 1, [at(30)]);
    expect(service.pendingPoints).toBe(3);
    expect(await service.latestTime('t', 1)).toEqual(new Date(9000));
    service.record('t', 1, [at(8)]); // an older point recorded later changes nothing
    expect(await service.latestTime('t', 1)).toEqual(new Date(9000));
    await service.flush();
  });

  it('counts the batch that is being written, which is neither buffered nor stored', async () => {
    const { repository, service } = serviceWith({ batchSize: 2 });
    let release!: () => void;
    repository.hold = new Promise((resolve) => (release = resolve));
    service.record('t', 1, [at(4), at(6)]); // a full batch: its write starts at once
    expect(service.pendingPoints).toBe(0);
    expect(repository.written).toEqual([]);
    expect(await service.latestTime('t', 1)).toEqual(new Date(6000));
    release();
    await service.flush();
    expect(await service.latestTime('t', 1)).toEqual(new Date(6000));
  });
});
