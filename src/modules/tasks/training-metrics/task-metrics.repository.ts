import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TaskMetricPoint } from './task-metric-point.entity';

export type NewMetricPoint = Omit<TaskMetricPoint, 'id'>;

export interface StoredMetricPoint {
  name: string;
  step: number | null;
  value: number;
  recordedAt: Date;
}

/** Every query of task_metric_points. */
@Injectable()
export class TaskMetricsRepository {
  constructor(
    @InjectRepository(TaskMetricPoint) private readonly points: Repository<TaskMetricPoint>,
  ) {}

  /**
   * One value of metric `name` per task of `taskIds` that reported it, from its latest
   * attempt: the point with the highest step (then the latest), or the lowest or highest
   * value, among points up to `maxStep` when given. Tasks without such a point are left
   * out.
   */
  async valuePerTask(
    taskIds: readonly string[],
    name: string,
    pick: 'last' | 'min' | 'max',
    maxStep?: number,
  ): Promise<Array<{ taskId: string; value: number; step: number | null }>> {
    if (taskIds.length === 0) return [];
    const order =
      pick === 'last'
        ? 'CASE WHEN step IS NULL THEN 1 ELSE 0 END DESC, step DESC, recorded_at DESC, id DESC'
        : `value ${pick === 'min' ? 'ASC' : 'DESC'}, id DESC`;
    const rows: Array<{ task_id: string; value: number | string; step: number | string | null }> =
      await this.points.manager
        .createQueryBuilder()
        .select(['ranked.task_id AS task_id', 'ranked.value AS value', 'ranked.step AS step'])
        .from((inner) => {
          const ranked = inner
            .select(['p.task_id AS task_id', 'p.value AS value', 'p.step AS step'])
            .addSelect(`ROW_NUMBER() OVER (PARTITION BY p.task_id ORDER BY ${order})`, 'position')
            .from(TaskMetricPoint, 'p')
            .where('p.task_id IN (:...taskIds)', { taskIds: [...taskIds] })
            .andWhere('p.name = :name', { name })
            .andWhere(
              'p.attempt = (SELECT MAX(a.attempt) FROM task_metric_points a WHERE a.task_id = p.task_id)',
            );
          if (maxStep !== undefined) ranked.andWhere('p.step <= :maxStep', { maxStep });
          return ranked;
        }, 'ranked')
        .where('ranked.position = 1')
        .getRawMany();
    return rows.map((row) => ({
      taskId: row.task_id,
      value: Number(row.value),
      step: row.step === null ? null : Number(row.step),
    }));
  }

  /** One multi-row INSERT; the caller keeps batches within the databases' parameter limits. */
  async insertMany(rows: readonly NewMetricPoint[]): Promise<void> {
    if (rows.length === 0) return;
    await this.points
      .createQueryBuilder()
      .insert()
      .into(TaskMetricPoint)
      .values(rows as NewMetricPoint[])
      // Nothing reads the generated ids back; skipping it saves a RETURNING / re-select.
      .updateEntity(false)
      .execute();
  }

  /**
   * The points of one attempt, by name, then step (points without a step last, on both
   * databases), then time, pre-reduced in the database so a long series never travels
   * whole: each series keeps its first and last point and the lowest and highest point
   * of each of `buckets` equal runs in between (at most 2 * buckets + 2 rows). A series
   * of at most `buckets` + 2 points comes back whole. What downsample() must keep (first,
   * last, extremes) survives this step, and memory stays bounded by `buckets`.
   */
  async findReducedSeries(
    taskId: string,
    attempt: number,
    buckets: number,
    names?: readonly string[],
  ): Promise<StoredMetricPoint[]> {
    const nameFilter = names === undefined ? '' : 'AND name IN (:...names)';
    const sql = `
      WITH ordered AS (
        SELECT name, step, value, recorded_at,
          ROW_NUMBER() OVER (PARTITION BY name ORDER BY
            CASE WHEN step IS NULL THEN 1 ELSE 0 END, step, recorded_at, id) AS position,
          COUNT(*) OVER (PARTITION BY name) AS total
        FROM task_metric_points
        WHERE task_id = :taskId AND attempt = :attempt ${nameFilter}
      ),
      bucketed AS (
        SELECT ordered.*,
          CASE WHEN position = 1 OR position = total THEN -position
            ELSE ((position - 2) * :buckets) / (total - 2) END AS bucket
        FROM ordered
      ),
      ranked AS (
        SELECT bucketed.*,
          ROW_NUMBER() OVER (PARTITION BY name, bucket ORDER BY value, position) AS from_lowest,
          ROW_NUMBER() OVER (PARTITION BY name, bucket ORDER BY value DESC, position) AS from_highest
        FROM bucketed
      )
      SELECT name, step, value, recorded_at FROM ranked
      WHERE from_lowest = 1 OR from_highest = 1
      ORDER BY name, position`;
    const driver = this.points.manager.connection.driver;
    const [query, parameters] = driver.escapeQueryWithParameters(sql, {
      taskId,
      attempt,
      buckets,
      names,
    });
    const rows: Record<string, unknown>[] = await this.points.query(query, parameters);
    return rows.map((row) => this.toStoredPoint(row));
  }

  /** The highest attempt that reported any metric, or undefined when none did. */
  async latestAttempt(taskId: string): Promise<number | undefined> {
    const row: { latest: number | string | null } | undefined = await this.points
      .createQueryBuilder('point')
      .select('MAX(point.attempt)', 'latest')
      .where('point.taskId = :taskId', { taskId })
      .getRawOne();
    return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
  }

  /** The time of the attempt's newest point, or undefined when it has none. */
  async latestTime(taskId: string, attempt: number): Promise<Date | undefined> {
    const newest = await this.points.findOne({
      select: { recordedAt: true },
      where: { taskId, attempt },
      order: { recordedAt: 'DESC' },
    });
    return newest?.recordedAt;
  }

  async distinctNames(taskId: string): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.points
      .createQueryBuilder('point')
      .select('DISTINCT point.name', 'name')
      .where('point.taskId = :taskId', { taskId })
      .orderBy('name', 'ASC')
      .getRawMany();
    return rows.map((row) => row.name);
  }

  async deleteByTask(taskId: string): Promise<void> {
    await this.points.delete({ taskId });
  }

  private toStoredPoint(row: Record<string, unknown>): StoredMetricPoint {
    const metadata = this.points.metadata;
    const driver = this.points.manager.connection.driver;
    const recordedAt = metadata.findColumnWithPropertyName('recordedAt')!;
    return {
      name: row.name as string,
      // PostgreSQL returns bigint as a string.
      step: row.step === null ? null : Number(row.step),
      value: Number(row.value),
      // SQLite returns the UTC text TypeORM wrote; the driver turns it back into a Date.
      recordedAt: driver.prepareHydratedValue(row.recorded_at, recordedAt) as Date,
    };
  }
}
