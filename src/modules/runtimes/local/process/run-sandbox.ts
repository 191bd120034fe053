// The bubblewrap sandbox a local run executes in when isolation is on: its own user, PID,
// mount, IPC and UTS namespaces, a file system of read-only system directories plus its
// own run directory, and (when Kiln is root) an unprivileged OS user. The run cannot see
// Kiln's processes, data directory, configuration or any other run. bubblewrap does the
// namespace and mount work; there is no library for it in Node, so Kiln builds its
// command line here. The threat model is in docs/architecture.md, "Run isolation".
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isInside } from './run-directory';

/** System directories every run reads (read-only); missing ones are skipped. */
const SYSTEM_DIRS = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/etc',
  '/opt',
];
/** How long the boot-time probe may take before the sandbox counts as not working. */
const PROBE_TIMEOUT_MS = 10_000;

export interface SandboxOptions {
  binary: string;
  /** Host paths runs may read, absolute. */
  readOnlyPaths: readonly string[];
  /**
   * Kiln's own paths (data directory, runs directory, working directory, config files):
   * masked wherever they fall inside a path runs may read, as under /opt or /etc.
   */
  hiddenPaths: readonly string[];
  network: boolean;
  /** The OS user and group runs get; undefined keeps Kiln's (then only namespaces separate them). */
  user?: { uid: number; gid: number };
}

/** Where one run lives, as the sandbox lays it out. */
export interface SandboxedRun {
  /** The run directory: the run's working root inside the sandbox. */
  runDir: string;
  /** Host directory shown at `runDir` inside the sandbox (Kiln's own files stay outside). */
  workDir: string;
  outputDir: string;
  hyperparametersPath: string;
  /** Working directory inside the sandbox. */
  cwd: string;
  /** Whether the run was given GPUs, so the GPU device nodes are shown to it. */
  usesGpus: boolean;
  /** Host paths shown read-only at the same place, over any mask (a served model). */
  readOnlyBinds?: readonly string[];
  /** Keep the host's network even when runs get none: a service replica must be reached. */
  sharesNetwork?: boolean;
  /** Keep running when Kiln dies, to be adopted by the next one (a service replica). */
  outlivesKiln?: boolean;
}

/** What to spawn for a sandboxed run. */
export interface SandboxCommand {
  file: string;
  args: string[];
  uid?: number;
  gid?: number;
}

export class RunSandbox {
  constructor(private readonly options: SandboxOptions) {}

  get user(): { uid: number; gid: number } | undefined {
    return this.options.user;
  }

  /** bwrap's command line running `argv` for the run. */
  wrap(argv: readonly string[], run: SandboxedRun): SandboxCommand {
    const args = [
      ...this.namespaceArgs(run.sharesNetwork === true, run.outlivesKiln === true),
      ...SYSTEM_DIRS.flatMap((dir) => ['--ro-bind-try', dir, dir]),
      // Before the paths runs may read, so one under /tmp is not covered by the new /tmp.
      ...['--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp'],
      ...this.readOnlyArgs(),
      ...(run.usesGpus ? gpuDeviceArgs() : []),
      // The work directory stands in for the run directory, so log.txt, handle.json and
      // exit.json (Kiln's records of the run, which it trusts) are out of the run's reach.
      ...['--bind', run.workDir, run.runDir],
      ...['--bind', run.outputDir, run.outputDir],
      ...['--ro-bind', run.hyperparametersPath, run.hyperparametersPath],
      ...(run.readOnlyBinds ?? []).flatMap((path) => ['--ro-bind', path, path]),
      ...['--chdir', run.cwd],
      '--',
      ...argv,
    ];
    return { file: this.options.binary, args, ...this.options.user };
  }

  /**
   * Why `argv[0]` cannot start inside the sandbox, or undefined when it can (as far as the
   * host can tell). bubblewrap reports a failed exec only as exit code 1, so a command
   * missing from the sandbox is caught here and refused like one missing on the host.
   */
  async commandProblem(command: string, env: Record<string, string>, run: SandboxedRun) {
    const visible = [...SYSTEM_DIRS, ...this.options.readOnlyPaths, run.runDir];
    if (!command.includes('/')) {
      const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => isAbsolute(dir));
      for (const dir of dirs.filter((dir) => isWithin(visible, dir))) {
        if (await isExecutable(join(dir, command))) return undefined;
      }
      return 'ENOENT: not found on the PATH inside the run sandbox';
    }
    if (!isAbsolute(command)) return undefined; // relative to the run's own directory
    if (!isWithin(visible, command)) return 'ENOENT: not visible inside the run sandbox';
    return (await isExecutable(command)) ? undefined : 'ENOENT: no executable at this path';
  }

  /** Runs `true` in a sandbox laid out like a run's; the error when that does not work. */
  async probe(scratchDir: string): Promise<string | undefined> {
    const command = this.wrap(['true'], {
      runDir: scratchDir,
      workDir: scratchDir,
      outputDir: scratchDir,
      hyperparametersPath: scratchDir,
      cwd: scratchDir,
      usesGpus: false,
    });
    try {
      await promisify(execFile)(command.file, command.args, {
        uid: command.uid,
        gid: command.gid,
        timeout: PROBE_TIMEOUT_MS,
        env: { PATH: '/usr/bin:/bin' },
      });
      return undefined;
    } catch (error) {
      const failure = error as Error & { stderr?: string };
      return (failure.stderr || failure.message).trim();
    }
  }

  /**
   * The paths runs may read, with Kiln's own paths masked inside them; a path runs may
   * read that lies inside one of Kiln's (./examples in Kiln's working directory) is
   * shown again after the mask.
   */
  private readOnlyArgs(): string[] {
    const { readOnlyPaths, hiddenPaths } = this.options;
    const visible = [...SYSTEM_DIRS, ...readOnlyPaths];
    const masked = hiddenPaths.filter((path) => isWithin(visible, path));
    const reshown = readOnlyPaths.filter((path) => isWithin(masked, path));
    return [
      ...readOnlyPaths.flatMap((path) => ['--ro-bind-try', path, path]),
      ...masked.flatMap(maskArgs),
      ...reshown.flatMap((path) => ['--ro-bind-try', path, path]),
    ];
  }

  private namespaceArgs(sharesNetwork: boolean, outlivesKiln: boolean): string[] {
    return [
      '--unshare-user',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
      ...(this.options.network || sharesNetwork ? [] : ['--unshare-net']),
      ...['--hostname', 'kiln-run'],
      // The run's processes in a session of their own, so a stop signal reaches them and
      // not bubblewrap (see signalRun), and no terminal of Kiln's can be written to.
      '--new-session',
      // A run outlives nobody: if Kiln dies, its runs die with it rather than go on
      // unsupervised, holding GPUs while the next Kiln retries them. A service replica
      // does outlive it: the next Kiln adopts it by its pid and start time.
      ...(outlivesKiln ? [] : ['--die-with-parent']),
      // No new user namespaces inside: they are the usual first step of kernel exploits.
      '--disable-userns',
    ];
  }
}

/** An empty directory over a directory, an empty file over a file (a config file, say). */
function maskArgs(path: string): string[] {
  let directory = true;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    // Gone: nothing to mask, and an empty directory in its place does no harm.
  }
  return directory ? ['--tmpfs', path] : ['--ro-bind', '/dev/null', path];
}

/** NVIDIA device nodes; runs pick their GPUs among them with CUDA_VISIBLE_DEVICES. */
function gpuDeviceArgs(): string[] {
  let names: string[];
  try {
    names = readdirSync('/dev').filter((name) => name.startsWith('nvidia'));
  } catch {
    return [];
  }
  return names.flatMap((name) => ['--dev-bind-try', `/dev/${name}`, `/dev/${name}`]);
}

function isWithin(roots: readonly string[], path: string): boolean {
  return roots.some((root) => isInside(root, resolve(path)));
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
