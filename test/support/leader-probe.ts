// Helpers for tests that run test/support/entry/leader-job.main.js: read the runs its
// leader job recorded, and ask a process whether it leads.
import { get } from 'node:http';
import { resolve } from 'node:path';
import { Client } from 'pg';

export const LEADER_JOB_ENTRY = resolve(__dirname, 'entry', 'leader-job.main.js');

export interface ProbeRun {
  pid: number;
  startedAt: number;
  tick: number;
  epoch: number;
}

/** Every run the leader job recorded, oldest first (empty before the table exists). */
export async function readProbeRuns(databaseUrl: string): Promise<ProbeRun[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query<{ name: string | null }>(
      `SELECT to_regclass('leader_probe_runs') AS name`,
    );
    if (!exists.rows[0].name) return [];
    const { rows } = await client.query<Record<keyof ProbeRun, string>>(
      'SELECT pid, started_at AS "startedAt", tick, epoch FROM leader_probe_runs ORDER BY started_at',
    );
    return rows.map((row) => ({
      pid: Number(row.pid),
      startedAt: Number(row.startedAt),
      tick: Number(row.tick),
      epoch: Number(row.epoch),
    }));
  } finally {
    await client.end();
  }
}

/** The process's `kiln_leader` gauge (0 or 1), or undefined when it does not answer. */
export async function leaderGauge(baseUrl: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const match = /^kiln_leader (\d+)/m.exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GET /api/v1/probe/pid on a new connection each time (node:cluster spreads
 * connections, not requests, so a kept-alive connection would always reach one process).
 */
export function pidServingRequest(baseUrl: string): Promise<number> {
  return new Promise((done, fail) => {
    const request = get(`${baseUrl}/api/v1/probe/pid`, { agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        try {
          done((JSON.parse(body) as { pid: number }).pid);
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    request.on('error', fail);
  });
}

/** Gaps in ms between consecutive runs. */
export function gapsBetween(runs: ProbeRun[]): number[] {
  return runs.slice(1).map((run, index) => run.startedAt - runs[index].startedAt);
}
