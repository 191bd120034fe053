// Several Kiln processes may share one runs directory: the WEB_CONCURRENCY processes of
// one server, or the compose file's api and worker containers on one volume. A local run
// is the child of the process that launched it (its supervisor): only that process sees
// it end, reads its output pipes, and can signal it (another container has another pid
// namespace). Every process announces itself here and keeps a heartbeat, so the others
// can tell "supervised elsewhere, still running" from "its supervisor is gone", and pass
// a stop on to a live supervisor instead of declaring its run lost.
//
// Plain files rather than the database or Redis: the runtime knows neither, and the
// runs directory is the one thing every process that can serve a local run must share.
import { randomUUID } from 'node:crypto';
import {
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isRunning, ProcessIdentity, readProcessIdentity } from './process-identity';

/** How often a supervisor refreshes its heartbeat (and looks for stop requests). */
export const SUPERVISOR_TICK_MS = 1000;
/**
 * A supervisor in another pid namespace whose heartbeat is older than this is taken for
 * dead. Generous against a busy machine: a live one refreshes it every second.
 */
export const SUPERVISOR_STALE_MS = 15_000;

interface SupervisorRecord extends ProcessIdentity {
  id: string;
  /** Host name and pid namespace: where `pid` means something. */
  host: string;
  pidNamespace: string;
}

export class RunSupervisors {
  readonly selfId = randomUUID();
  private readonly directory: string;
  private self?: Promise<SupervisorRecord>;

  constructor(runsDir: string) {
    this.directory = join(runsDir, '.supervisors');
  }

  /**
   * Writes this process's record; call before it launches runs. Removes the records of
   * supervisors found dead on the way, so a restarted Kiln does not leave one per boot.
   */
  async announce(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await this.writeSelf();
    const names = await readdir(this.directory);
    for (const name of names.filter((entry) => entry.endsWith('.json'))) {
      const id = name.slice(0, -'.json'.length);
      if (!(await this.isAlive(id))) await rm(this.recordPath(id), { force: true });
    }
  }

  /**
   * Refreshes the heartbeat (the record's mtime). A record removed meanwhile (by a process
   * that took this one for dead after a long stall) is written again, but a runs directory
   * removed meanwhile is not made again.
   */
  async heartbeat(): Promise<void> {
    const now = new Date();
    await utimes(this.recordPath(this.selfId), now, now).catch(() => this.writeSelf());
  }

  /** Removes this process's record on a clean shutdown: its runs have all been stopped. */
  async withdraw(): Promise<void> {
    await rm(this.recordPath(this.selfId), { force: true });
  }

  /** Whether the process `id` names still supervises its runs. */
  async isAlive(id: string): Promise<boolean> {
    if (id === this.selfId) return true;
    const found = await this.read(id);
    if (!found) return false;
    const { record, heartbeatAt } = found;
    const self = await this.describeSelf();
    // Same host and pid namespace: /proc answers exactly, at once.
    if (record.host === self.host && record.pidNamespace === self.pidNamespace)
      return isRunning(record);
    return Date.now() - heartbeatAt < SUPERVISOR_STALE_MS;
  }

  private async writeSelf(): Promise<void> {
    // Write then rename, so a reader never sees half a record and takes it for dead.
    const path = this.recordPath(this.selfId);
    await writeFile(`${path}.tmp`, JSON.stringify(await this.describeSelf()));
    await rename(`${path}.tmp`, path);
  }

  private describeSelf(): Promise<SupervisorRecord> {
    this.self ??= (async () => ({
      id: this.selfId,
      pid: process.pid,
      startTime: (await readProcessIdentity(process.pid))?.startTime ?? '0',
      host: hostname(),
      pidNamespace: await readlink('/proc/self/ns/pid').catch(() => 'unknown'),
    }))();
    return this.self;
  }

  private async read(
    id: string,
  ): Promise<{ record: SupervisorRecord; heartbeatAt: number } | undefined> {
    const path = this.recordPath(id);
    try {
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      return { record: JSON.parse(text) as SupervisorRecord, heartbeatAt: info.mtimeMs };
    } catch {
      return undefined;
    }
  }

  private recordPath(id: string): string {
    return join(this.directory, `${id}.json`);
  }
}
