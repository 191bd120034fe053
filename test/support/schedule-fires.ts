// What the database holds about a schedule's fires, for the suites that run real Kiln
// processes: the fire records in time order, and how many tasks each scheduled second
// got (from the labels a fire puts on its task).
import { Client } from 'pg';

export interface FireRow {
  scheduledAt: Date;
  firedAt: Date;
  outcome: string;
  taskId: string | null;
}

export class ScheduleFires {
  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<ScheduleFires> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new ScheduleFires(client);
  }

  async of(scheduleId: string): Promise<FireRow[]> {
    const { rows } = await this.client.query<FireRow>(
      `SELECT scheduled_at AS "scheduledAt", fired_at AS "firedAt", outcome, task_id AS "taskId"
         FROM schedule_fires WHERE schedule_id = $1 ORDER BY scheduled_at`,
      [scheduleId],
    );
    return rows;
  }

  async count(scheduleId: string): Promise<number> {
    const { rows } = await this.client.query<{ count: string }>(
      'SELECT count(*) AS count FROM schedule_fires WHERE schedule_id = $1',
      [scheduleId],
    );
    return Number(rows[0].count);
  }

  /** Tasks per scheduled time, for every time that got at least one. */
  async tasksPerSecond(scheduleId: string): Promise<Map<string, number>> {
    const { rows } = await this.client.query<{ at: string; tasks: string }>(
      `SELECT value AS at, count(*) AS tasks FROM task_labels
        WHERE key = 'kiln.dev/scheduled-at'
          AND task_id IN (SELECT task_id FROM task_labels WHERE key = 'kiln.dev/schedule' AND value = $1)
        GROUP BY value`,
      [scheduleId],
    );
    return new Map(rows.map((row) => [row.at, Number(row.tasks)]));
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** The gaps between consecutive records' times, in ms: all 1000 when none is missing. */
export function stepsBetween(fires: FireRow[]): number[] {
  return fires
    .slice(1)
    .map((fire, i) => fire.scheduledAt.getTime() - fires[i].scheduledAt.getTime());
}
