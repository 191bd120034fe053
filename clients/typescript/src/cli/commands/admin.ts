// `kiln admin …`: what an admin manages over the API: users, queues, quotas, the audit
// log and webhooks.
import { Command, Option } from 'commander';
import { unwrap } from '../../kiln-client';
import { collect, paginate } from '../../pagination';
import type {
  AuditEntry,
  AuditQuery,
  Queue,
  QuotaChange,
  User,
  UserQuota,
  UserRole,
  Webhook,
  WebhookSubmission,
} from '../../types';
import { keyValues } from '../details';
import { CliExit, EXIT } from '../exit-codes';
import { positiveInteger } from '../key-values';
import { outputOption, print, type OutputFormat } from '../output-format';
import { ask } from '../prompt';
import { loggedInClient } from '../session';
import { readSpecFile } from '../spec-file';
import type { Column } from '../table';
import { age } from '../task-columns';
import { examples } from './examples';
import { webhookUpdateCommand } from './webhook-update';

const USER_COLUMNS: Column<User>[] = [
  { header: 'ID', value: (user) => user.id },
  { header: 'USERNAME', value: (user) => user.username, flexible: true },
  { header: 'ROLES', value: (user) => user.roles.join(',') },
  { header: 'DISABLED', value: (user) => (user.disabled ? 'yes' : 'no') },
  { header: 'LAST LOGIN', value: (user) => (user.lastLoginAt ? age(user.lastLoginAt) : '') },
];

const QUEUE_COLUMNS: Column<Queue>[] = [
  { header: 'NAME', value: (queue) => queue.name, flexible: true },
  { header: 'RUNTIME', value: (queue) => queue.runtime },
  { header: 'PAUSED', value: (queue) => (queue.paused ? 'yes' : 'no') },
  { header: 'RUNNING', value: (queue) => `${queue.running}/${queue.maxRunning}` },
  { header: 'GPUS', value: (queue) => `${queue.gpusInUse}/${queue.maxGpus}` },
  { header: 'PENDING', value: (queue) => String(queue.pending) },
  { header: 'QUEUED', value: (queue) => String(queue.queued) },
];

const QUOTA_COLUMNS: Column<UserQuota>[] = [
  { header: 'USER', value: (quota) => quota.userId },
  { header: 'RUNNING', value: (q) => `${q.usage.running}/${q.effective.maxRunning}` },
  { header: 'GPUS', value: (q) => `${q.usage.gpus}/${q.effective.maxGpus}` },
  { header: 'PENDING', value: (q) => `${q.usage.pending}/${q.effective.maxPending}` },
  { header: 'OVERRIDES', value: (q) => keyValues(q.overrides) ?? '', flexible: true },
];

const AUDIT_COLUMNS: Column<AuditEntry>[] = [
  { header: 'TIME', value: (entry) => entry.occurredAt },
  { header: 'ACTION', value: (entry) => entry.action },
  { header: 'ACTOR', value: (entry) => entry.actor?.username ?? '' },
  {
    header: 'TARGET',
    value: (entry) => (entry.target ? `${entry.target.type} ${entry.target.id}` : ''),
    flexible: true,
  },
  { header: 'IP', value: (entry) => entry.ip ?? '' },
];

const WEBHOOK_COLUMNS: Column<Webhook>[] = [
  { header: 'ID', value: (webhook) => webhook.id },
  { header: 'URL', value: (webhook) => webhook.url, flexible: true },
  { header: 'STATUSES', value: (webhook) => webhook.statuses?.join(',') ?? 'all' },
  { header: 'ENABLED', value: (webhook) => (webhook.enabled ? 'yes' : 'no') },
  { header: 'FAILURES', value: (webhook) => String(webhook.consecutiveFailures) },
];

export function adminCommand(): Command {
  return new Command('admin')
    .description('administration: users, queues, quotas, the audit log, webhooks')
    .addCommand(usersCommand())
    .addCommand(queuesCommand())
    .addCommand(quotasCommand())
    .addCommand(auditCommand())
    .addCommand(webhooksCommand());
}

function usersCommand(): Command {
  const users = new Command('users').description('user accounts');
  users.addCommand(
    new Command('ls')
      .alias('list')
      .description('list users')
      .addOption(
        new Option('--role <role>', 'only this role').choices(['admin', 'member', 'viewer']),
      )
      .addOption(outputOption())
      .action(async (options: { role?: UserRole; output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const all = await collect(
          paginate((cursor) =>
            unwrap(
              client.api.GET('/api/v1/admin/users', {
                params: { query: { cursor, role: options.role } },
              }),
            ),
          ),
        );
        print(options.output, all, all, USER_COLUMNS);
      }),
  );
  users.addCommand(
    new Command('create')
      .description('create a user; the password is asked for (or read from KILN_NEW_PASSWORD)')
      .argument('<username>', 'login name')
      .option('--role <role...>', 'roles (admin, member, viewer); member by default')
      .option('--email <email>', 'email address')
      .option('--display-name <name>', 'name shown in the console')
      .addHelpText('after', examples('kiln admin users create alice --role member'))
      .action(
        async (
          username: string,
          options: { role?: UserRole[]; email?: string; displayName?: string },
          self: Command,
        ) => {
          const client = loggedInClient(self.optsWithGlobals());
          const password =
            process.env.KILN_NEW_PASSWORD ??
            (await ask(`Password for ${username}: `, { secret: true }));
          const user = await unwrap(
            client.api.POST('/api/v1/admin/users', {
              body: {
                username,
                password,
                roles: options.role,
                email: options.email,
                displayName: options.displayName,
              },
            }),
          );
          process.stdout.write(`${user.id}\n`);
        },
      ),
  );
  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users.addCommand(
      new Command(action)
        .description(
          disabled
            ? 'disable a user: their sessions and tokens stop at once'
            : 'enable a user again',
        )
        .argument('<id>', 'user id')
        .action(async (id: string, _options, self: Command) => {
          const client = loggedInClient(self.optsWithGlobals());
          const user = await unwrap(
            client.api.PATCH('/api/v1/admin/users/{id}', {
              params: { path: { id } },
              body: { disabled },
            }),
          );
          process.stdout.write(`${user.username} ${user.disabled ? 'disabled' : 'enabled'}\n`);
        }),
    );
  }
  return users;
}

function queuesCommand(): Command {
  const queues = new Command('queues').description('task queues and their live figures');
  queues.addCommand(
    new Command('ls')
      .alias('list')
      .description('list queues with what runs and waits on each')
      .addOption(outputOption())
      .action(async (options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const { items } = await unwrap(client.api.GET('/api/v1/admin/queues'));
        print(options.output, items, items, QUEUE_COLUMNS);
      }),
  );
  queues.addCommand(
    new Command('create')
      .description(
        'create a queue from a YAML or JSON file (the body of POST /api/v1/admin/queues)',
      )
      .requiredOption('-f, --file <path>', 'the file, or - for standard input')
      .action(async (options: { file: string }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const { body } = readSpecFile(options.file);
        const queue = await unwrap(
          client.api.POST('/api/v1/admin/queues', { body: body as never }),
        );
        process.stdout.write(`${queue.name}\n`);
      }),
  );
  for (const [action, description] of [
    ['pause', 'stop launching from a queue (what runs keeps running)'],
    ['resume', 'launch from a paused queue again'],
    ['drain', 'cancel everything that waits in a queue'],
  ] as const) {
    queues.addCommand(
      new Command(action)
        .description(description)
        .argument('<name>', 'queue name')
        .action(async (name: string, _options, self: Command) => {
          const client = loggedInClient(self.optsWithGlobals());
          const params = { params: { path: { name } } };
          if (action === 'drain') {
            const drained = await unwrap(
              client.api.POST('/api/v1/admin/queues/{name}/drain', params),
            );
            process.stdout.write(`${name}: ${drained.cancelled} cancelled\n`);
            return;
          }
          const queue = await unwrap(
            action === 'pause'
              ? client.api.POST('/api/v1/admin/queues/{name}/pause', params)
              : client.api.POST('/api/v1/admin/queues/{name}/resume', params),
          );
          process.stdout.write(`${queue.name} ${queue.paused ? 'paused' : 'running'}\n`);
        }),
    );
  }
  queues.addCommand(
    new Command('delete')
      .description('delete an empty queue')
      .argument('<name>', 'queue name')
      .action(async (name: string, _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        await unwrap(
          client.api.DELETE('/api/v1/admin/queues/{name}', { params: { path: { name } } }),
        );
        process.stdout.write(`${name} deleted\n`);
      }),
  );
  return queues;
}

function quotasCommand(): Command {
  const quotas = new Command('quotas').description("users' quotas and what they use of them");
  quotas.addCommand(
    new Command('ls')
      .alias('list')
      .description('list users with an override or tasks that count against a quota')
      .addOption(outputOption())
      .action(async (options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const list = await unwrap(client.api.GET('/api/v1/admin/quotas'));
        print(options.output, list, list.items, QUOTA_COLUMNS);
      }),
  );
  quotas.addCommand(
    new Command('set')
      .description("override a user's limits (the others keep theirs)")
      .argument('<userId>', 'user id')
      .option('--max-running <n>', 'tasks running at once', positiveInteger)
      .option('--max-gpus <n>', 'GPUs in use at once', positiveInteger)
      .option('--max-pending <n>', 'tasks waiting at once', positiveInteger)
      .addHelpText('after', examples('kiln admin quotas set "$USER_ID" --max-running 2'))
      .action(async (userId: string, options: QuotaChange, self: Command) => {
        if (Object.values(options).every((value) => value === undefined))
          throw new CliExit(EXIT.error, 'name a limit: --max-running, --max-gpus or --max-pending');
        const client = loggedInClient(self.optsWithGlobals());
        const quota = await unwrap(
          client.api.PATCH('/api/v1/admin/quotas/{userId}', {
            params: { path: { userId } },
            body: options,
          }),
        );
        print('table', quota, [quota], QUOTA_COLUMNS);
      }),
  );
  quotas.addCommand(
    new Command('clear')
      .description("drop a user's overrides: the defaults apply again")
      .argument('<userId>', 'user id')
      .action(async (userId: string, _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        await unwrap(
          client.api.DELETE('/api/v1/admin/quotas/{userId}', { params: { path: { userId } } }),
        );
        process.stdout.write(`${userId} cleared\n`);
      }),
  );
  return quotas;
}

function auditCommand(): Command {
  return new Command('audit')
    .description('the audit log, newest first')
    .option('--action <action...>', 'only these actions, e.g. auth.login.failed')
    .option('--actor <userId>', 'only what this user did')
    .option('--since <time>', 'only from this RFC 3339 time on')
    .option('--limit <n>', 'at most this many', positiveInteger, 50)
    .addOption(outputOption())
    .addHelpText('after', examples('kiln admin audit --action auth.login.failed --limit 20'))
    .action(
      async (
        options: {
          action?: AuditQuery['action'];
          actor?: string;
          since?: string;
          limit: number;
          output: OutputFormat;
        },
        self: Command,
      ) => {
        const client = loggedInClient(self.optsWithGlobals());
        const query: AuditQuery = {
          action: options.action,
          actor: options.actor,
          since: options.since,
          limit: Math.min(options.limit, 200),
        };
        const entries = await collect(
          paginate((cursor) =>
            unwrap(
              client.api.GET('/api/v1/admin/audit', { params: { query: { ...query, cursor } } }),
            ),
          ),
          options.limit,
        );
        print(options.output, entries, entries, AUDIT_COLUMNS);
      },
    );
}

function webhooksCommand(): Command {
  const webhooks = new Command('webhooks').description('outgoing webhooks on task status changes');
  webhooks.addCommand(
    new Command('ls')
      .alias('list')
      .description('list webhooks')
      .addOption(outputOption())
      .action(async (options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const { items } = await unwrap(client.api.GET('/api/v1/webhooks'));
        print(options.output, items, items, WEBHOOK_COLUMNS);
      }),
  );
  webhooks.addCommand(
    new Command('create')
      .description('subscribe a URL; prints the id and the signing secret (shown once)')
      .argument('<url>', 'where deliveries are POSTed')
      .option('--status <status...>', 'only these task statuses, e.g. succeeded failed')
      .option('--all-tasks', "every user's tasks, not only yours (admins)")
      .action(
        async (
          url: string,
          options: { status?: WebhookSubmission['statuses']; allTasks?: boolean },
          self: Command,
        ) => {
          const client = loggedInClient(self.optsWithGlobals());
          const webhook = await unwrap(
            client.api.POST('/api/v1/webhooks', {
              body: { url, statuses: options.status, allTasks: options.allTasks },
            }),
          );
          process.stdout.write(`${webhook.id}\nsecret: ${webhook.secret}\n`);
        },
      ),
  );
  webhooks.addCommand(webhookUpdateCommand());
  webhooks.addCommand(
    new Command('ping')
      .description('send a test delivery now')
      .argument('<id>', 'webhook id')
      .action(async (id: string, _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const delivery = await unwrap(
          client.api.POST('/api/v1/webhooks/{id}/ping', { params: { path: { id } } }),
        );
        process.stdout.write(`${delivery.id} ${delivery.status}\n`);
      }),
  );
  webhooks.addCommand(
    new Command('delete')
      .description('delete a webhook')
      .argument('<id>', 'webhook id')
      .action(async (id: string, _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        await unwrap(client.api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } }));
        process.stdout.write(`${id} deleted\n`);
      }),
  );
  return webhooks;
}
