// Kills a test database's server backends, as a failover, a PostgreSQL restart or a
// pooler's idle timeout does to the connections of every client at once.
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL } from './postgres';

export class BackendTerminator {
  private timer?: NodeJS.Timeout;
  private pass: Promise<unknown> = Promise.resolve();
  /** Backends terminated so far. */
  terminated = 0;

  private constructor(
    private readonly admin: Client,
    private readonly database: string,
  ) {}

  static async open(database: string): Promise<BackendTerminator> {
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    return new BackendTerminator(admin, database);
  }

  /** Terminates the database's backends, all of them or the `limit` newest. */
  async terminate(limit?: number): Promise<number> {
    const { rows } = await this.admin.query(
      `SELECT pg_terminate_backend(pid) AS done FROM (
         SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
         ORDER BY backend_start DESC LIMIT $2) AS victims`,
      [this.database, limit ?? null],
    );
    const count = rows.filter((row: { done: boolean }) => row.done).length;
    this.terminated += count;
    return count;
  }

  /** Terminates `limit` backends (or all) every `intervalMs` until `stop()`. */
  repeat(intervalMs: number, limit?: number): void {
    this.timer = setInterval(() => {
      this.pass = this.pass.then(() => this.terminate(limit)).catch(() => undefined);
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.admin.end();
  }
}
