// Whether local workloads run in the bubblewrap sandbox, decided once per Kiln process
// at boot, and the process to spawn for a command either way: one place, so every kind
// of local workload is isolated alike.
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { KilnConfig } from '../../../../config/kiln.config';
import { RunStartError } from '../local-runtime.errors';
import type { RunProcess } from './detached-process';
import { ancestorsBelow, isInside, localRunsDir, RunOwner, RunPaths } from './run-directory';
import { RunSandbox } from './run-sandbox';

/** What a workload sees beyond its own run directory. */
export interface SandboxExposure {
  /** Host paths it reads, at the same place (a service's model directory). */
  readOnlyBinds?: readonly string[];
  /** It keeps the host's network whatever the runs' setting (a service replica). */
  sharesNetwork?: boolean;
  /** It keeps running when Kiln dies (a service replica, adopted by the next Kiln). */
  outlivesKiln?: boolean;
}

@Injectable()
export class LocalSandboxing {
  private readonly logger = new Logger(LocalSandboxing.name);
  private readonly runsDir: string;
  private decision?: Promise<void>;
  /** Set once the sandbox has been found to work (see decide). */
  private sandbox?: RunSandbox;

  constructor(@Inject(KilnConfig) private readonly config: KilnConfig) {
    this.runsDir = localRunsDir(config);
  }

  /** Whether workloads execute in the sandbox, apart from Kiln and from each other. */
  get isolates(): boolean {
    return this.sandbox !== undefined;
  }

  /** The OS user sandboxed workloads run as, when it is not Kiln's. */
  get user(): RunOwner | undefined {
    return this.sandbox?.user;
  }

  /**
   * What a workload takes from Kiln's environment: in the sandbox locale and time zone
   * only, since Kiln's PATH, HOME and USER name places and a user the sandbox does not have.
   */
  parentEnv(): NodeJS.ProcessEnv {
    if (!this.sandbox) return process.env;
    const { LANG, LC_ALL, TZ } = process.env;
    return { LANG, LC_ALL, TZ };
  }

  /**
   * Decides, once, whether workloads are sandboxed: `sandbox` insists (boot fails when
   * bubblewrap does not work here), `auto` uses it when it works, `none` never does.
   */
  decide(): Promise<void> {
    this.decision ??= this.probeAndDecide();
    return this.decision;
  }

  /**
   * The process to spawn for `argv` in the prepared run directory `paths`: the command
   * itself, or the sandbox wrapping it. Throws RunStartError when the sandbox cannot
   * find the command.
   */
  async processFor(
    argv: string[],
    paths: RunPaths,
    cwd: string,
    env: Record<string, string>,
    usesGpus: boolean,
    exposure: SandboxExposure = {},
  ): Promise<RunProcess> {
    const sandbox = this.sandbox;
    if (!sandbox) {
      const [file, ...args] = argv;
      return { file, args, cwd, env };
    }
    // Kiln's HOME is not in the sandbox; the run's own directory is (unless the task sets one).
    const runEnv = { HOME: paths.runDir, TMPDIR: '/tmp', ...env };
    const layout = { ...paths, cwd, usesGpus, ...exposure };
    const problem = await sandbox.commandProblem(argv[0], runEnv, layout);
    if (problem) throw new RunStartError(`could not start ${JSON.stringify(argv[0])}: ${problem}`);
    // bubblewrap itself starts in the work directory; it moves into the run's cwd.
    return { ...sandbox.wrap(argv, layout), cwd: paths.workDir, env: runEnv, sandboxed: true };
  }

  private async probeAndDecide(): Promise<void> {
    const { isolation } = this.config.runtimes.local;
    if (isolation === 'none') return this.warnUnisolated('KILN_LOCAL_ISOLATION is none');
    const sandbox = this.newSandbox();
    const problem = await this.probeSandbox(sandbox);
    if (!problem) {
      this.sandbox = sandbox;
      const user = sandbox.user ? `as uid ${sandbox.user.uid}` : "as Kiln's uid";
      this.logger.log(`Local runs are sandboxed (bubblewrap, ${user})`);
      return;
    }
    if (isolation === 'sandbox') {
      throw new Error(
        `KILN_LOCAL_ISOLATION=sandbox but the run sandbox does not work here: ${problem}. ` +
          'Install bubblewrap (Debian: apt-get install bubblewrap) and allow user namespaces, or set KILN_LOCAL_ISOLATION=auto.',
      );
    }
    this.warnUnisolated(`the run sandbox does not work here (${problem})`);
  }

  private newSandbox(): RunSandbox {
    const local = this.config.runtimes.local;
    const root = process.getuid?.() === 0;
    return new RunSandbox({
      binary: local.sandboxBinary,
      readOnlyPaths: local.readOnlyPaths.map((path) => resolve(process.cwd(), path)),
      hiddenPaths: [
        resolve(process.cwd(), this.config.dataDir),
        this.runsDir,
        process.cwd(),
        ...(this.config.sourceFiles ?? []),
      ],
      network: local.runNetwork,
      user: root ? { uid: local.runUid, gid: local.runGid } : undefined,
    });
  }

  /** Runs `true` in a sandbox laid out as a run's would be; why it failed, if it did. */
  private async probeSandbox(sandbox: RunSandbox): Promise<string | undefined> {
    const probeDir = join(this.runsDir, '.sandbox-probe');
    try {
      await mkdir(probeDir, { recursive: true });
      await this.makeRunsDirTraversable();
      if (sandbox.user) await chmod(probeDir, 0o777);
      return await sandbox.probe(probeDir);
    } catch (error) {
      return (error as Error).message;
    } finally {
      await rm(probeDir, { recursive: true, force: true });
    }
  }

  /**
   * A run user other than Kiln's must pass through the runs directory (and the data
   * directory holding it) to reach its own run directory: execute only, no listing.
   */
  private async makeRunsDirTraversable(): Promise<void> {
    const dataDir = resolve(process.cwd(), this.config.dataDir);
    const dirs = isInside(dataDir, this.runsDir)
      ? [dataDir, ...ancestorsBelow(dataDir, this.runsDir)]
      : [this.runsDir];
    for (const dir of dirs) await chmod(dir, 0o711);
  }

  private warnUnisolated(why: string): void {
    this.logger.warn(
      `Local runs are NOT isolated: ${why}. They run with Kiln's privileges, so local queues ` +
        'take tasks from admins only unless their allowedRoles say otherwise. ' +
        'Install bubblewrap and set KILN_LOCAL_ISOLATION=sandbox to isolate them.',
    );
  }
}
