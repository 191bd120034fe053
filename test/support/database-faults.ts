// Faults of a test database, injected from an admin connection: its backends killed (as
// a failover, a restart or a pooler's idle timeout does), or the database down for a
// while (no connection accepted, every open one killed) without stopping the server that
// other suites share.
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL } from './postgres';

export class DatabaseFaults {
  private timer?: NodeJS.Timeout;
  private pass: Promise<unknown> = Promise.resolve();
  /** Backends terminated so far. */
  terminated = 0;

  private constructor(
    private readonly admin: Client,
    private readonly database: string,
  ) {}

  static async open(database: string): Promise<DatabaseFaults> {
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    return new DatabaseFaults(admin, database);
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

  /** The database goes down: it refuses new connections and its open ones are killed. */
  async takeDown(): Promise<void> {
    await this.admin.query(`ALTER DATABASE "${this.database}" ALLOW_CONNECTIONS false`);
    await this.terminate();
  }

  async bringUp(): Promise<void> {
    await this.admin.query(`ALTER DATABASE "${this.database}" ALLOW_CONNECTIONS true`);
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
