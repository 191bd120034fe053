// Replicas of one Kiln deployment (one database, one Redis prefix, one runs directory)
// as real processes, with what the fault suites ask of them: submit a shell script
// through whichever replica still answers, and wait for every accepted task to end.
import { unwrap, type KilnClient } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { clientAs } from './kiln-clients';
import { KilnProcess } from './kiln-process';

export const FINAL_STATUSES = ['succeeded', 'failed', 'timed_out', 'cancelled'];
/** The admin every replica set is seeded with. */
export const REPLICAS_ADMIN = { username: 'root', password: 'fault suite password 1' };
const ADMIN = REPLICAS_ADMIN;

/** The fields of a task the fault suites look at. */
export interface TaskView {
  id: string;
  status: string;
  attempt: number;
}

export interface SubmitResult {
  status: number;
  id?: string;
  headers: Headers;
  body: unknown;
}

export class KilnReplicas {
  private token = '';
  private next = 0;
  /** Replicas the test stopped or killed itself. */
  private readonly stopped = new Set<KilnProcess>();
  /** Replicas with KILN_ROLE=worker, which serve no API. */
  private readonly workers = new Set<KilnProcess>();

  private constructor(
    readonly env: Record<string, string>,
    readonly processes: KilnProcess[],
  ) {}

  /** Starts `count` replicas one after another (the first one takes the leader lock). */
  static async start(count: number, env: Record<string, string>): Promise<KilnReplicas> {
    const fullEnv = {
      KILN_ADMIN_USERNAME: ADMIN.username,
      KILN_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    };
    const replicas = new KilnReplicas(fullEnv, []);
    try {
      for (let i = 0; i < count; i++) await replicas.add();
      await replicas.login();
    } catch (error) {
      await replicas.stop();
      throw error;
    }
    return replicas;
  }

  /** Starts one more replica (e.g. to replace a killed one). */
  async add(env: Record<string, string> = {}): Promise<KilnProcess> {
    const kiln = await KilnProcess.start({ env: { ...this.env, ...env } });
    this.processes.push(kiln);
    if ({ ...this.env, ...env }.KILN_ROLE === 'worker') this.workers.add(kiln);
    return kiln;
  }

  /** Replicas that exited without being asked to. */
  get crashed(): KilnProcess[] {
    return this.processes.filter((kiln) => kiln.child.exitCode !== null && !this.stopped.has(kiln));
  }

  /**
   * Resolves after `ms`, or as soon as a replica crashes, with the last lines of each
   * crashed replica's output (where the cause shows).
   */
  async waitForCrash(ms: number): Promise<string[]> {
    await waitUntil(() => this.crashed.length > 0, { timeoutMs: ms, intervalMs: 100 });
    return this.crashReports();
  }

  crashReports(): string[] {
    return this.crashed.map((kiln) => kiln.text.slice(-1500));
  }

  async kill(kiln: KilnProcess, signal: NodeJS.Signals = 'SIGKILL') {
    this.stopped.add(kiln);
    return kiln.stop(signal);
  }

  private get live(): KilnProcess[] {
    return this.processes.filter((kiln) => kiln.child.exitCode === null && !this.stopped.has(kiln));
  }

  /** The public API of the next replica still serving it, as the admin once logged in. */
  private api(): KilnClient['api'] {
    const live = this.live.filter((kiln) => !this.workers.has(kiln));
    if (live.length === 0) throw new Error('no replica left');
    const url = live[this.next++ % live.length].url;
    return clientAs(url, this.token || undefined).api;
  }

  private async login(): Promise<void> {
    const session = await unwrap(this.api().POST('/api/v1/auth/login', { body: ADMIN }));
    this.token = session.accessToken;
  }

  /** Submits `script` for /bin/sh with no retries; a refused or failed request is reported, not thrown. */
  async submit(name: string, script: string): Promise<SubmitResult> {
    try {
      const command = ['/bin/sh', '-c', script];
      const { data, error, response } = await this.api().POST('/api/v1/tasks', {
        body: { name, command, maxRetries: 0 },
      });
      return {
        status: response.status,
        id: response.status === 201 ? data?.id : undefined,
        headers: response.headers,
        body: data ?? error,
      };
    } catch (error) {
      return { status: 0, headers: new Headers(), body: String(error) };
    }
  }

  async task(id: string): Promise<TaskView> {
    return unwrap(this.api().GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
  }

  async transitions(id: string): Promise<string[]> {
    const events = await unwrap(
      this.api().GET('/api/v1/tasks/{id}/events', { params: { path: { id } } }),
    );
    return events.map((event) => event.to);
  }

  /** Waits until the task's status is one of `statuses`; returns the task as last read. */
  async waitForStatus(id: string, statuses: string[], timeoutMs = 30_000): Promise<TaskView> {
    let task = await this.task(id);
    await waitUntil(async () => statuses.includes((task = await this.task(id)).status), {
      timeoutMs,
      intervalMs: 100,
    });
    return task;
  }

  /** Waits until every task in `ids` is final; returns the ones that are not. */
  async waitForFinal(ids: string[], timeoutMs: number): Promise<Map<string, string>> {
    const open = new Map(ids.map((id) => [id, 'unknown']));
    await waitUntil(
      async () => {
        for (const id of [...open.keys()]) {
          const status = await this.task(id)
            .then((task) => task.status)
            .catch(() => 'unreachable');
          if (FINAL_STATUSES.includes(status)) open.delete(id);
          else open.set(id, status);
        }
        return open.size === 0;
      },
      { timeoutMs, intervalMs: 250 },
    );
    return open;
  }

  /** SIGTERMs every replica still running. */
  async stop(): Promise<void> {
    await Promise.all(this.live.map((kiln) => this.kill(kiln, 'SIGTERM')));
  }

  get output(): string {
    return this.processes.map((kiln, i) => `--- replica ${i}\n${kiln.text}`).join('\n');
  }
}
