// The `kiln` command line against a real Kiln on the embedded default, driven as a
// child process the way a user's shell or a CI job drives it.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { credentialsPath } from '../../clients/typescript/src/cli/credentials-store';
import { unwrap } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { KilnCli } from '../support/kiln-cli';
import { clientAs } from '../support/kiln-clients';
import { KilnProcess } from '../support/kiln-process';
import { tempDataDir } from '../support/test-config';

const PASSWORD = 'a long enough password';

/** The attempts `kiln` named on stderr as it followed them, in order. */
function headersOf(stderr: string): string[] {
  return [...stderr.matchAll(/── attempt (\d+) ──/g)].map((match) => match[1]);
}
const EXAMPLE = resolve(__dirname, '..', '..', 'examples', 'logistic_regression.py');

describe('kiln (the command line)', () => {
  let kiln: KilnProcess;
  let cli: KilnCli;

  beforeAll(async () => {
    kiln = await KilnProcess.start({
      // the webhook commands subscribe a local address
      env: { KILN_ADMIN_PASSWORD: PASSWORD, KILN_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    });
    cli = new KilnCli(kiln.url);
    const login = await cli.run(['login', '-u', 'admin'], { stdin: `${PASSWORD}\n` });
    expect(login).toMatchObject({ code: 0 });
  }, 60_000);

  afterAll(async () => {
    await kiln?.stop();
  });

  it('refuses a wrong password with the server’s reason and exit code 3', async () => {
    const other = new KilnCli(kiln.url);
    const result = await other.run(['login', '-u', 'admin'], { stdin: 'not the password\n' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Login failed: The username or password is incorrect.');
    expect((await other.run(['whoami'])).code).toBe(3);
  });

  it('keeps the session in a file only its user can read, and whoami names the user', async () => {
    const path = credentialsPath({ KILN_CONFIG_DIR: cli.configDir });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const result = await cli.run(['whoami']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(`admin (admin) at ${kiln.url}`);
  });

  it('logout ends the session on the server and forgets it here', async () => {
    const other = new KilnCli(kiln.url);
    expect(await other.run(['login', '-u', 'admin'], { stdin: `${PASSWORD}\n` })).toMatchObject({
      code: 0,
    });
    const path = credentialsPath({ KILN_CONFIG_DIR: other.configDir });
    const { refreshToken } = JSON.parse(readFileSync(path, 'utf8'));
    expect(await other.run(['logout'])).toMatchObject({ code: 0 });
    expect(existsSync(path)).toBe(false);
    expect((await other.run(['whoami'])).code).toBe(3);
    const refresh = await clientAs(kiln.url).api.POST('/api/v1/auth/refresh', {
      body: { refreshToken },
    });
    expect(refresh.response.status).toBe(401);
  });

  it('works without a login from KILN_URL and an API token in KILN_TOKEN, as in CI', async () => {
    const admin = clientAs(kiln.url);
    await admin.login('admin', PASSWORD);
    const created = await unwrap(admin.api.POST('/api/v1/auth/tokens', { body: { name: 'ci' } }));
    const ci = new KilnCli(kiln.url);
    const result = await ci.run(['run', '--', '/bin/echo', 'from ci'], {
      env: { KILN_TOKEN: created.token },
    });
    expect(result).toMatchObject({ code: 0, stdout: 'from ci\n' });
    expect(existsSync(credentialsPath({ KILN_CONFIG_DIR: ci.configDir }))).toBe(false);
  });

  it('renews a session whose access token no longer works and keeps the rotated pair', async () => {
    const path = credentialsPath({ KILN_CONFIG_DIR: cli.configDir });
    const before = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...before, accessToken: 'expired' }));
    expect(await cli.run(['whoami'])).toMatchObject({ code: 0 });
    const after = JSON.parse(readFileSync(path, 'utf8'));
    expect(after.accessToken).not.toBe('expired');
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('run follows the log of the command after -- and exits 0 when the task succeeds', async () => {
    const result = await cli.run(['run', '-p', 'epochs=3', '--', 'python3', EXAMPLE]);
    expect(result.stdout).toContain('training logistic regression with {"epochs": 3');
    expect(result.stdout).toContain('done: loss=');
    expect(result.stderr).toMatch(/task \S+ succeeded \(exit code 0\)/);
    expect(result.code).toBe(0);
  });

  it('run exits 1 when the task fails, after printing its output', async () => {
    const result = await cli.run([
      'run',
      '--name',
      'boom',
      '--',
      '/bin/sh',
      '-c',
      'echo boom; exit 3',
    ]);
    expect(result.stdout).toContain('boom');
    expect(result.stderr).toMatch(/task \S+ failed \(exit code 3\)/);
    expect(result.code).toBe(1);
  });

  it('run prints every attempt of a retried task once and in order, then exits 1', async () => {
    const script = 'echo "attempt $KILN_ATTEMPT"; exit 3';
    // no backoff: the retry starts at once, while the first attempt's stream is closing
    const args = ['run', '--retries', '2', '--retry-backoff', '0', '--', '/bin/sh', '-c', script];
    const result = await cli.run(args);
    expect(result.stdout).toBe('attempt 1\nattempt 2\nattempt 3\n');
    expect(headersOf(result.stderr)).toEqual(['1', '2', '3']);
    expect(result.code).toBe(1);
  });

  it('logs -f names the attempt it follows and switches to the retry when the attempt fails', async () => {
    // attempt 1 holds its second line until the test has seen the first one followed live
    const gate = join(tempDataDir('kiln-cli-gate-'), 'go');
    const script =
      `echo "attempt $KILN_ATTEMPT line 1"; ` +
      `[ "$KILN_ATTEMPT" -ge 2 ] || while [ ! -e ${gate} ]; do sleep 0.05; done; ` +
      'echo "attempt $KILN_ATTEMPT line 2"; [ "$KILN_ATTEMPT" -ge 2 ] || exit 3';
    const args = ['run', '-d', '--retries', '1', '--retry-backoff', '0', '--', '/bin/sh', '-c'];
    const id = (await cli.run([...args, script])).stdout.trim();
    const following = cli.start(['logs', '-f', id]);
    await following.waitForStdout('attempt 1 line 1');
    expect(following.stdout).toBe('attempt 1 line 1\n');
    writeFileSync(gate, '');
    const result = await following.result;
    expect(result.stdout).toBe(
      'attempt 1 line 1\nattempt 1 line 2\nattempt 2 line 1\nattempt 2 line 2\n',
    );
    expect(headersOf(result.stderr)).toEqual(['1', '2']);
    expect(result.code).toBe(0);
    const task = JSON.parse((await cli.run(['get', id, '-o', 'json'])).stdout);
    expect(task).toMatchObject({ status: 'succeeded', attempt: 2 });
  });

  it('logs -f --attempt follows that attempt only', async () => {
    const script = 'echo "attempt $KILN_ATTEMPT"; [ "$KILN_ATTEMPT" -ge 2 ] || exit 3';
    const args = ['run', '-d', '--retries', '1', '--retry-backoff', '0', '--', '/bin/sh', '-c'];
    const id = (await cli.run([...args, script])).stdout.trim();
    expect(await cli.run(['wait', id])).toMatchObject({ code: 0 });
    const first = await cli.run(['logs', '-f', id, '--attempt', '1']);
    expect(first).toMatchObject({ code: 0, stdout: 'attempt 1\n' });
    expect(headersOf(first.stderr)).toEqual(['1']);
  });

  it('ls -o json prints the tasks as JSON a script can parse', async () => {
    const submitted = await cli.run(['run', '--detach', '--label', 'suite=cli', '--', 'true']);
    const id = submitted.stdout.trim();
    const result = await cli.run(['ls', '--label', 'suite=cli', '-o', 'json']);
    expect(result.code).toBe(0);
    const tasks = JSON.parse(result.stdout) as Array<{ id: string; labels: object }>;
    expect(tasks).toEqual([expect.objectContaining({ id, labels: { suite: 'cli' } })]);
  });

  it('logs -f prints the live log and returns when the task ends', async () => {
    const script = 'for i in 1 2 3; do echo "line $i"; sleep 0.2; done';
    const id = (await cli.run(['run', '-d', '--', '/bin/sh', '-c', script])).stdout.trim();
    const result = await cli.run(['logs', '-f', id]);
    expect(result).toMatchObject({ code: 0, stdout: 'line 1\nline 2\nline 3\n' });
    expect(headersOf(result.stderr)).toEqual(['1']);
    const task = JSON.parse((await cli.run(['get', id, '-o', 'json'])).stdout);
    expect(task.status).toBe('succeeded');
  });

  it('Ctrl-C on run without a terminal cancels the task and exits 130', async () => {
    const running = cli.start(['run', '--', '/bin/sh', '-c', 'echo started; sleep 600']);
    await running.waitForStdout('started');
    running.child.kill('SIGINT');
    const result = await running.result;
    expect(result.stderr).toContain('Cancelling task');
    expect(result.stderr).toMatch(/task \S+ cancelled/);
    expect(result.code).toBe(130);
  });

  it('events -f prints the history, then each new event once, until the task ends', async () => {
    const id = (await cli.run(['run', '-d', '--', '/bin/sh', '-c', 'sleep 1'])).stdout.trim();
    const result = await cli.run(['events', '-f', id, '-o', 'json']);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; to: string });
    const ids = events.map((event) => event.id);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    expect(events.map((event) => event.to)).toEqual(
      expect.arrayContaining(['pending', 'queued', 'running']),
    );
    expect(events.at(-1)).toMatchObject({ to: 'succeeded' });
  });

  it('apply -f submits a YAML task, and wait exits by how it ended', async () => {
    const file = join(cli.configDir, 'task.yaml');
    writeFileSync(
      file,
      [
        'name: applied',
        'command: [python3, ' + EXAMPLE + ']',
        'hyperparameters: { epochs: 2 }',
      ].join('\n'),
    );
    const applied = await cli.run(['apply', '-f', file]);
    expect(applied.code).toBe(0);
    const id = applied.stdout.trim();
    expect(await cli.run(['wait', id])).toMatchObject({ code: 0 });

    const metrics = await cli.run(['metrics', id, '--name', 'loss']);
    expect(metrics.stdout).toMatch(/^loss +1 +2 /m);
    const model = await cli.run(['artifacts', id, 'model.json']);
    expect(JSON.parse(model.stdout)).toEqual(
      expect.objectContaining({ weights: expect.any(Array) }),
    );
  });

  it('clone copies a task under a new name, and retry runs a failed one again', async () => {
    const failed = await cli.run(['run', '-d', '--name', 'flaky', '--', '/bin/sh', '-c', 'exit 4']);
    const id = failed.stdout.trim();
    expect(await cli.run(['wait', id])).toMatchObject({ code: 1 });

    const clone = await cli.run(['clone', id, '--name', 'flaky-again']);
    const copy = JSON.parse((await cli.run(['get', clone.stdout.trim(), '-o', 'json'])).stdout);
    expect(copy).toMatchObject({ name: 'flaky-again', command: ['/bin/sh', '-c', 'exit 4'] });

    expect((await cli.run(['retry', id])).code).toBe(0);
    expect(await cli.run(['wait', id])).toMatchObject({ code: 1 });
    const events = JSON.parse((await cli.run(['events', id, '-o', 'json'])).stdout);
    expect(events.filter((event: { to: string }) => event.to === 'failed')).toHaveLength(2);
  });

  it('an unknown task is reported with the problem’s title and detail and exit code 2', async () => {
    const result = await cli.run(['get', '00000000-0000-4000-8000-000000000000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^kiln: Not Found: .+/m);
  });

  it('completion bash completes command names and each command’s options', async () => {
    const script = (await cli.run(['completion', 'bash'])).stdout;
    const complete = (words: string) =>
      cli.runShell(
        `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _kiln; echo "\${COMPREPLY[*]}"`,
      );
    expect((await complete('kiln lo')).trim()).toBe('login logout logs');
    expect((await complete('kiln logs --')).trim()).toBe('--follow --attempt --tail --help');
    expect((await complete('kiln admin webhooks u')).trim()).toBe('update');
    expect((await complete('kiln services logs --')).trim()).toBe(
      '--follow --replica --tail --help',
    );
    expect((await complete('kiln schedules update nightly --c')).trim()).toBe(
      '--cron --concurrency',
    );
  });

  describe('services, schedules, sweeps and administration', () => {
    const SERVE = [
      'python3',
      resolve(__dirname, '..', '..', 'examples', 'serve_logistic_regression.py'),
    ];
    const json = async <T>(args: string[]): Promise<T> => {
      const result = await cli.run([...args, '-o', 'json']);
      expect(result).toMatchObject({ code: 0 });
      return JSON.parse(result.stdout) as T;
    };
    async function until<T>(args: string[], check: (value: T) => boolean): Promise<T> {
      let value: T | undefined;
      const reached = await waitUntil(async () => check((value = await json<T>(args))), {
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      if (!reached.satisfied) throw new Error(`kiln ${args.join(' ')}: ${JSON.stringify(value)}`);
      return value!;
    }

    it('services: deploys a trained model, calls it, scales, rolls back, reads logs and deletes it', async () => {
      const trained = await cli.run(['run', '-d', '-p', 'epochs=3', '--', 'python3', EXAMPLE]);
      const modelTask = trained.stdout.trim();
      expect(await cli.run(['wait', modelTask])).toMatchObject({ code: 0 });

      const deployIris = ['services', 'deploy', 'iris', '--model', modelTask];
      const deploy = [...deployIris, '--', ...SERVE];
      expect(await cli.run(deploy)).toMatchObject({
        code: 0,
        stdout: 'iris revision 1 deploying\n',
      });
      await until<{ status: string }>(['services', 'get', 'iris'], (s) => s.status === 'ready');
      const listed = await json<Array<{ name: string }>>(['services', 'ls']);
      expect(listed.map((service) => service.name)).toContain('iris');

      const body = JSON.stringify({ instances: [[1, 2, 3, 4]] });
      const invoked = await cli.run(['services', 'invoke', 'iris', 'predict', '-d', body]);
      expect(invoked.code).toBe(0);
      expect(JSON.parse(invoked.stdout)).toMatchObject({ predictions: [expect.any(Number)] });

      const shown = await cli.run(['services', 'get', 'iris']);
      expect(shown.stdout).toMatch(/^Status: +ready$/m);
      expect(shown.stdout).toMatch(/^Invoke retry: +on /m);
      expect(shown.stdout).toMatch(/^REPLICA +STATE +REVISION +RESTARTS/m);
      const logs = await cli.run(['services', 'logs', 'iris', '--tail', '50']);
      expect(logs.stdout).toContain('serving 4-feature logistic regression');
      // followed from its first line until the next revision's rollout stops it
      const following = cli.start(['services', 'logs', '-f', 'iris', '--replica', '1']);
      await following.waitForStdout('serving 4-feature logistic regression');
      const noSuchReplica = await cli.run(['services', 'logs', 'iris', '--replica', '9']);
      expect(noSuchReplica).toMatchObject({ code: 2 });
      expect(noSuchReplica.stderr).toContain('there is no replica 9');

      expect(await cli.run(['services', 'scale', 'iris', '2'])).toMatchObject({
        code: 0,
        stdout: 'iris scaled to 2\n',
      });
      await until<{ replicas: { ready: number } }>(
        ['services', 'get', 'iris'],
        (s) => s.replicas.ready === 2,
      );
      // a second deploy of the same name is a new revision (its environment changed), which
      // rollback undoes; it also turns the retry off, which the update sends on. The flags
      // go before `--`: after it they are arguments of the serving command.
      const changes = ['-e', 'STAGE=two', '--label', 'stage=two', '--no-invoke-retry'];
      const again = await cli.run([...deployIris, ...changes, '--', ...SERVE]);
      expect(again.stdout).toMatch(/^iris revision 2 /);
      const admin = clientAs(kiln.url);
      await admin.login('admin', PASSWORD);
      const updated = await unwrap(
        admin.api.GET('/api/v1/services/{name}', { params: { path: { name: 'iris' } } }),
      );
      expect(updated).toMatchObject({ invokeRetry: false, labels: { stage: 'two' } });
      expect((await cli.run(['services', 'get', 'iris'])).stdout).toMatch(/^Invoke retry: +off$/m);
      await until<{ servingRevision: number }>(
        ['services', 'get', 'iris'],
        (s) => s.servingRevision === 2,
      );
      const followed = await following.result;
      expect(followed.code).toBe(0);
      expect(followed.stdout).toContain('serving 4-feature logistic regression');
      // the flag alone, on a service that exists, changes the setting and makes no revision
      const retryOn = await cli.run(['services', 'deploy', 'iris', '--invoke-retry']);
      expect(retryOn).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^iris revision 2 /),
      });
      expect((await cli.run(['services', 'get', 'iris'])).stdout).toMatch(/^Invoke retry: +on /m);
      const back = await cli.run(['services', 'rollback', 'iris', '--revision', '1']);
      expect(back.stdout).toMatch(/^iris revision 3 /);
      const revisions = await json<Array<{ number: number; cause: string }>>([
        'services',
        'revisions',
        'iris',
      ]);
      expect(revisions.map((revision) => revision.number)).toEqual([3, 2, 1]);
      expect(revisions[0].cause).toContain('rollback to revision 1');
      const table = await cli.run(['services', 'revisions', 'iris']);
      expect(table.stdout).toMatch(/^REVISION +CAUSE +MODEL +RUNS +BY +AGE$/m);
      const events = await cli.run(['services', 'events', 'iris']);
      expect(events.stdout).toMatch(/^TIME +REVISION +CHANGE +BY +REASON$/m);
      expect(events.stdout).toMatch(/ 1 +deploying → ready /);
      expect(events.stdout).toContain('scaled to 2');
      const eventList = await json<Array<{ kind: string }>>(['services', 'events', 'iris']);
      expect(eventList.map((event) => event.kind)).toContain('scale');
      const noRevision = await cli.run(['services', 'rollback', 'iris', '--revision', '99']);
      expect(noRevision.code).toBe(2);
      expect(noRevision.stderr).toMatch(/^kiln: .+: .+/m);

      expect(await cli.run(['services', 'delete', 'iris'])).toMatchObject({ code: 0 });
      const gone = await cli.run(['services', 'get', 'iris']);
      expect(gone.code).toBe(2);
      expect(gone.stderr).toMatch(/^kiln: Not Found: .+/m);
    }, 120_000);

    it('schedules: creates from a file, fires on demand, suspends, resumes and deletes', async () => {
      const file = join(cli.configDir, 'schedule.yaml');
      writeFileSync(
        file,
        [
          'kind: Schedule',
          'name: yearly',
          'cron: "0 3 1 1 *"',
          'timezone: UTC',
          'task: { name: from-schedule, command: [/bin/echo, scheduled] }',
        ].join('\n'),
      );
      const created = await cli.run(['apply', '-f', file]);
      expect(created.code).toBe(0);
      const id = created.stdout.trim();
      const listed = await json<Array<{ id: string; name: string }>>(['schedules', 'ls']);
      expect(listed).toEqual(
        expect.arrayContaining([expect.objectContaining({ id, name: 'yearly' })]),
      );

      const fired = await cli.run(['schedules', 'trigger', id]);
      expect(fired.code).toBe(0);
      const taskId = fired.stdout.trim();
      expect(await cli.run(['wait', taskId])).toMatchObject({ code: 0 });
      expect((await cli.run(['logs', taskId])).stdout).toBe('scheduled\n');

      expect(await cli.run(['schedules', 'suspend', id])).toMatchObject({
        stdout: `${id} suspended\n`,
      });
      expect(await cli.run(['schedules', 'resume', id])).toMatchObject({
        stdout: `${id} active\n`,
      });
      const shown = await cli.run(['schedules', 'get', id]);
      expect(shown.stdout).toMatch(/^Cron: +0 3 1 1 \* \(UTC\)$/m);
      expect(shown.stdout).toContain(taskId);

      // by name: new timing, suspended, and a task template from a file
      const change = join(cli.configDir, 'change.yaml');
      writeFileSync(change, 'task: { name: changed, command: [/bin/echo, changed] }\n');
      const changed = await json<{ cron: string; timezone: string; suspended: boolean }>([
        'schedules',
        'update',
        'yearly',
        '--cron',
        '0 4 1 1 *',
        '--timezone',
        'Europe/Berlin',
        '--suspend',
        '-f',
        change,
      ]);
      expect(changed).toMatchObject({
        cron: '0 4 1 1 *',
        timezone: 'Europe/Berlin',
        suspended: true,
        task: expect.objectContaining({ name: 'changed' }),
      });
      const resumed = await cli.run(['schedules', 'update', id, '--resume']);
      expect(resumed.stdout).toMatch(/^Suspended: +no$/m);
      const badCron = await cli.run(['schedules', 'update', id, '--cron', '61 * * * *']);
      expect(badCron.code).toBe(2);
      expect(badCron.stderr).toMatch(/^kiln: Bad Request: .+/m);
      expect(badCron.stderr).toMatch(/^ {2}cron: .+/m);
      const unknown = await cli.run(['schedules', 'update', 'no-such-schedule', '--suspend']);
      expect(unknown).toMatchObject({ code: 2 });
      expect(unknown.stderr).toContain('no schedule is named no-such-schedule');
      expect(await cli.run(['schedules', 'delete', id])).toMatchObject({ code: 0 });
      expect((await cli.run(['schedules', 'get', id])).code).toBe(2);
    }, 60_000);

    it('sweeps: runs a small grid to a leaderboard', async () => {
      const file = join(cli.configDir, 'sweep.yaml');
      writeFileSync(
        file,
        [
          'name: lr grid',
          `task: { name: logreg, command: [python3, ${EXAMPLE}], hyperparameters: { epochs: 2, samples: 200 } }`,
          'parameters: [{ name: learning_rate, values: [0.1, 0.5] }]',
          'strategy: grid',
          'maxTrials: 10',
          'objective: { metric: loss, goal: minimize }',
        ].join('\n'),
      );
      const created = await cli.run(['sweeps', 'create', '-f', file]);
      expect(created).toMatchObject({ code: 0, stderr: '' });
      const id = created.stdout.trim();
      await until<{ status: string }>(
        ['sweeps', 'get', id],
        (sweep) => sweep.status === 'completed',
      );
      const shown = await cli.run(['sweeps', 'get', id]);
      expect(shown.stdout).toMatch(/^Trials: +2: 0 active, 2 succeeded/m);
      expect(shown.stdout).toMatch(/^# +VALUE +STATUS +TASK +HYPERPARAMETERS$/m);
      expect(shown.stdout).toContain('{"learning_rate":0.5}');
      const listed = await json<Array<{ id: string }>>(['sweeps', 'ls']);
      expect(listed.map((sweep) => sweep.id)).toContain(id);
      // cancelling a sweep that has ended changes nothing
      expect(await cli.run(['sweeps', 'cancel', id])).toMatchObject({
        code: 0,
        stdout: `${id} completed\n`,
      });
    }, 90_000);

    it('admin: users, queues, quotas, the audit log and webhooks', async () => {
      const created = await cli.run(['admin', 'users', 'create', 'carol', '--role', 'member'], {
        env: { KILN_NEW_PASSWORD: 'a long enough password here' },
      });
      expect(created).toMatchObject({ code: 0, stderr: '' });
      const carol = created.stdout.trim();
      const users = await json<Array<{ id: string; username: string }>>(['admin', 'users', 'ls']);
      expect(users.find((user) => user.id === carol)?.username).toBe('carol');
      const weak = await cli.run(['admin', 'users', 'create', 'dave'], {
        env: { KILN_NEW_PASSWORD: 'x' },
      });
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/^ {2}password: .+/m);

      const queues = await cli.run(['admin', 'queues', 'ls']);
      expect(queues.stdout).toMatch(/^NAME +RUNTIME +PAUSED +RUNNING +GPUS +PENDING +QUEUED$/m);
      expect(queues.stdout).toMatch(/^default +local +no /m);
      expect(await cli.run(['admin', 'queues', 'pause', 'default'])).toMatchObject({
        stdout: 'default paused\n',
      });
      expect(await cli.run(['admin', 'queues', 'resume', 'default'])).toMatchObject({
        stdout: 'default running\n',
      });

      expect((await cli.run(['admin', 'quotas', 'set', carol, '--max-running', '2'])).code).toBe(0);
      const quotas = await json<{ items: Array<{ userId: string; overrides: object }> }>([
        'admin',
        'quotas',
        'ls',
      ]);
      expect(quotas.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            userId: carol,
            overrides: expect.objectContaining({ maxRunning: 2 }),
          }),
        ]),
      );
      expect((await cli.run(['admin', 'quotas', 'clear', carol])).code).toBe(0);

      const audit = await json<Array<{ action: string; target: { id: string } }>>([
        'admin',
        'audit',
        '--action',
        'admin.user.created',
      ]);
      expect(audit).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: 'admin.user.created',
            target: expect.objectContaining({ id: carol }),
          }),
        ]),
      );

      const hook = await cli.run([
        'admin',
        'webhooks',
        'create',
        'http://127.0.0.1:9/hook',
        '--status',
        'failed',
      ]);
      expect(hook).toMatchObject({ code: 0, stderr: '' });
      const [hookId, secretLine] = hook.stdout.trim().split('\n');
      expect(secretLine).toMatch(/^secret: \S+/);
      const hooks = await json<Array<{ id: string; statuses: string[] }>>([
        'admin',
        'webhooks',
        'ls',
      ]);
      expect(hooks).toEqual([expect.objectContaining({ id: hookId, statuses: ['failed'] })]);
      const changedHook = await json<Record<string, unknown>>([
        'admin',
        'webhooks',
        'update',
        hookId,
        '--deliver-to',
        'http://127.0.0.1:9/other',
        '--event',
        'task.status',
        'service.status',
        '--all-statuses',
        '--disable',
      ]);
      expect(changedHook).toMatchObject({
        url: 'http://127.0.0.1:9/other',
        events: ['task.status', 'service.status'],
        statuses: null,
        enabled: false,
      });
      const enabled = await cli.run(['admin', 'webhooks', 'update', hookId, '--enable']);
      expect(enabled.stdout).toMatch(/^Enabled: +yes$/m);
      const badUrl = await cli.run([
        'admin',
        'webhooks',
        'update',
        hookId,
        '--deliver-to',
        'not a url',
      ]);
      expect(badUrl.code).toBe(2);
      expect(badUrl.stderr).toMatch(/^kiln: Bad Request: .+/m);
      expect(await cli.run(['admin', 'webhooks', 'delete', hookId])).toMatchObject({ code: 0 });
    });
  });

  describe('on a terminal', () => {
    // eslint-disable-next-line no-control-regex -- terminal escapes are what is looked for
    const ESCAPES = /\x1b\[[0-9;]*[A-Za-z]/g;
    const visibleLines = (text: string) =>
      text
        .replace(ESCAPES, '')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '');

    it('run keeps a progress bar from the run’s KILN_PROGRESS lines under its log', async () => {
      const script = 'echo KILN_PROGRESS 0.25; echo halfway; echo KILN_PROGRESS 0.5; echo done';
      const result = await cli.onTerminal(['run', '--name', 'bar', '--', '/bin/sh', '-c', script], {
        columns: 80,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('[##########------------------------------]  25%  bar');
      expect(result.stdout).toContain('[####################--------------------]  50%  bar');
      // each log line first erases the bar, so the bar never mixes into the log
      expect(result.stdout).toContain('\r\x1b[2Khalfway');
    });

    it('ls fits its table into 80 columns, colours the status, and drops colour with NO_COLOR', async () => {
      const name = `a-very-long-task-name-${'x'.repeat(80)}`;
      for (let i = 0; i < 2; i++)
        expect(
          await cli.run(['run', '--name', name, '--label', 'suite=terminal', '--', 'true']),
        ).toMatchObject({ code: 0 });
      const args = ['ls', '--label', 'suite=terminal'];
      const coloured = await cli.onTerminal(args, { columns: 80 });
      const lines = visibleLines(coloured.stdout);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^ID +NAME +STATUS +QUEUE +PROGRESS +AGE$/);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
      expect(lines[1]).toMatch(/^[0-9a-f-]{36} {2}a-very\S*… {2}succeeded {2}default {2}100% /);
      expect(coloured.stdout).toContain('\x1b[32msucceeded');
      const plain = await cli.onTerminal(args, { columns: 80, env: { NO_COLOR: '1' } });
      expect(plain.stdout).not.toMatch(ESCAPES);
      const withoutAge = (rows: string[]) => rows.map((row) => row.replace(/\s+\S+$/, ''));
      expect(withoutAge(visibleLines(plain.stdout))).toEqual(withoutAge(lines));
    });
  });
});
