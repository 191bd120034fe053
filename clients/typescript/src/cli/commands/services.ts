// `kiln services …`: model services, a trained model served by N replicas.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { unwrap, type KilnClient } from '../../kiln-client';
import { collect, paginate } from '../../pagination';
import type { Replica, Service, ServiceDetail, ServiceSubmission } from '../../types';
import { keyValues, printDetails } from '../details';
import { CliExit, EXIT } from '../exit-codes';
import { collectPair, positiveInteger } from '../key-values';
import { outputOption, print, type OutputFormat } from '../output-format';
import { loggedInClient } from '../session';
import { readSpecFile } from '../spec-file';
import type { Column } from '../table';
import { age } from '../task-columns';
import { out } from '../terminal';
import { examples } from './examples';
import { revisionsCommand, serviceEventsCommand } from './service-history';
import { serviceLogsCommand } from './service-logs';

/** How often `delete` asks whether a service it deleted is gone. */
const DELETE_POLL_MS = 250;

const SERVICE_COLUMNS: Column<Service>[] = [
  { header: 'NAME', value: (service) => service.name, flexible: true },
  { header: 'STATUS', value: (service) => service.status, paint: paintServiceStatus },
  { header: 'READY', value: (s) => `${s.replicas.ready}/${s.replicas.desired}` },
  {
    header: 'REVISION',
    value: (s) =>
      (s.servingRevision === s.revision ? '' : `${s.servingRevision ?? '-'}→`) + s.revision,
  },
  { header: 'QUEUE', value: (service) => service.queue, flexible: true },
  { header: 'AGE', value: (service) => age(service.createdAt) },
];

const REPLICA_COLUMNS: Column<Replica>[] = [
  { header: 'REPLICA', value: (replica) => replica.name },
  { header: 'STATE', value: (replica) => replica.state },
  { header: 'REVISION', value: (replica) => String(replica.revision) },
  { header: 'RESTARTS', value: (replica) => String(replica.restarts) },
  { header: 'REASON', value: (replica) => replica.reason ?? '', flexible: true },
];

function paintServiceStatus(text: string, service: Service): string {
  if (service.status === 'ready') return out.green(text);
  if (service.status === 'failed' || service.status === 'degraded') return out.red(text);
  return out.dim(text);
}

interface DeployOptions {
  file?: string;
  model?: string;
  image?: string;
  replicas?: number;
  port?: number;
  queue?: string;
  healthPath?: string;
  env?: Record<string, string>;
  label?: Record<string, string>;
  /** Undefined unless a flag says: a new service then gets Kiln's default, an update keeps it. */
  invokeRetry?: boolean;
}

export function servicesCommand(): Command {
  const services = new Command('services')
    .alias('svc')
    .description('model services: deploy a trained model, scale it, roll it back, call it');
  services.addCommand(
    new Command('ls')
      .alias('list')
      .description('list services')
      .addOption(outputOption())
      .action(async (options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const all = await collect(
          paginate((cursor) =>
            unwrap(client.api.GET('/api/v1/services', { params: { query: { cursor } } })),
          ),
          10_000,
        );
        print(options.output, all, all, SERVICE_COLUMNS);
      }),
  );
  services.addCommand(
    new Command('get')
      .description('show a service, its spec and its replicas')
      .argument('<name>', 'service name')
      .addOption(outputOption())
      .action(async (name: string, options: { output: OutputFormat }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const service = await getService(client, name);
        printDetails(options.output, service, describeService(service));
        if (options.output === 'table' && service.replicaList.length) {
          process.stdout.write('\n');
          print('table', [], service.replicaList, REPLICA_COLUMNS);
        }
      }),
  );
  services.addCommand(
    new Command('deploy')
      .description(
        'deploy a service (a new one, or a new revision of an existing one) from flags or a file',
      )
      .argument('[name]', 'service name (or `name:` in the file)')
      .argument('[command...]', 'the serving command, after --')
      .option(
        '-f, --file <path>',
        'the service as YAML or JSON (the body of POST /api/v1/services)',
      )
      .option('--model <task[:path]>', "serve this task's output (default path: model.json)")
      .option('--image <image>', 'container image (Kubernetes queues)')
      .option('--replicas <n>', 'replicas', positiveInteger)
      .option('--port <port>', 'the port the serving command listens on', positiveInteger)
      .option('--queue <queue>', 'queue to run the replicas on (new services only)')
      .option('--health-path <path>', 'readiness path, e.g. /healthz')
      .option('-e, --env <KEY=VALUE>', 'environment variable; repeatable', collectPair)
      .option('--label <key=value>', 'label; repeatable', collectPair)
      .option(
        '--invoke-retry',
        'send an invocation whose connection broke before any answer once more, to another replica (the default)',
      )
      .option(
        '--no-invoke-retry',
        'never send an invocation twice: for requests that must not repeat',
      )
      .addHelpText(
        'after',
        examples(
          'kiln services deploy iris --model "$TASK" --replicas 2 -- python3 examples/serve_logistic_regression.py',
          'kiln services deploy -f service.yaml',
        ),
      )
      .action(
        async (
          name: string | undefined,
          command: string[],
          options: DeployOptions,
          self: Command,
        ) => {
          const client = loggedInClient(self.optsWithGlobals());
          const body = deploymentOf(name, command, options);
          const service = await deploy(client, body);
          process.stdout.write(`${service.name} revision ${service.revision} ${service.status}\n`);
        },
      ),
  );
  services.addCommand(
    new Command('scale')
      .description('set how many replicas a service runs')
      .argument('<name>', 'service name')
      .argument('<replicas>', 'replicas', positiveInteger)
      .action(async (name: string, replicas: number, _options, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        const service = await unwrap(
          client.api.POST('/api/v1/services/{name}/scale', {
            params: { path: { name } },
            body: { replicas },
          }),
        );
        process.stdout.write(`${service.name} scaled to ${service.replicas.desired}\n`);
      }),
  );
  services.addCommand(
    new Command('rollback')
      .description('roll a service back to an earlier revision (as a new revision)')
      .argument('<name>', 'service name')
      .argument('[revision]', 'the revision to go back to (or --revision)', positiveInteger)
      .option('--revision <n>', 'the revision to go back to', positiveInteger)
      .addOption(outputOption())
      .addHelpText(
        'after',
        examples(
          'kiln services revisions iris          # which revisions there are',
          'kiln services rollback iris --revision 1',
        ),
      )
      .action(
        async (
          name: string,
          positional: number | undefined,
          options: { revision?: number; output: OutputFormat },
          self: Command,
        ) => {
          const revision = options.revision ?? positional;
          if (revision === undefined)
            throw new CliExit(EXIT.error, 'name the revision to go back to: --revision N');
          const client = loggedInClient(self.optsWithGlobals());
          const service = await unwrap(
            client.api.POST('/api/v1/services/{name}/rollback', {
              params: { path: { name } },
              body: { revision },
            }),
          );
          if (options.output === 'table')
            process.stdout.write(
              `${service.name} revision ${service.revision} ${service.status}\n`,
            );
          else printDetails(options.output, service, []);
        },
      ),
  );
  services.addCommand(
    new Command('delete')
      .description('stop a service and delete it; waits until its replicas are gone')
      .argument('<names...>', 'service names')
      .option('--no-wait', 'return once the deletion is accepted')
      .action(async (names: string[], options: { wait: boolean }, self: Command) => {
        const client = loggedInClient(self.optsWithGlobals());
        for (const name of names) {
          const ofService = { params: { path: { name } } };
          await unwrap(client.api.DELETE('/api/v1/services/{name}', ofService));
          if (!options.wait) {
            process.stdout.write(`${name} is being deleted\n`);
            continue;
          }
          await untilGone(client, name);
          process.stdout.write(`${name} deleted\n`);
        }
      }),
  );
  services.addCommand(serviceLogsCommand());
  services.addCommand(revisionsCommand());
  services.addCommand(serviceEventsCommand());
  services.addCommand(invokeCommand());
  return services;
}

function invokeCommand(): Command {
  return new Command('invoke')
    .description('call a service through Kiln and print its answer')
    .argument('<name>', 'service name')
    .argument('[path]', 'path on the service', 'predict')
    .option('-X, --method <method>', 'HTTP method (default: POST with -d, else GET)')
    .option('-d, --data <json>', 'request body (JSON); @file reads a file, @- standard input')
    .addHelpText(
      'after',
      examples(
        `kiln services invoke iris predict -d '{"instances": [[1, 2, 3, 4]]}'`,
        'kiln services invoke iris healthz',
      ),
    )
    .action(
      async (
        name: string,
        path: string,
        options: { method?: string; data?: string },
        self: Command,
      ) => {
        const client = loggedInClient(self.optsWithGlobals());
        const body = options.data === undefined ? undefined : dataOf(options.data);
        const method = (options.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
        // The proxied body is the service's own, which the spec does not describe, so the
        // call goes through the client's authenticated fetch rather than a typed operation.
        const url = `${client.options.baseUrl.replace(/\/+$/, '')}/api/v1/services/${encodeURIComponent(name)}/invoke/${path.replace(/^\/+/, '')}`;
        const response = await client.session.fetch(
          new Request(url, {
            method,
            body,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
          }),
        );
        const text = await response.text();
        if (!response.ok) {
          process.stdout.write(text.endsWith('\n') || !text ? text : `${text}\n`);
          throw new CliExit(EXIT.error, `the service answered ${response.status}`);
        }
        process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      },
    );
}

function dataOf(data: string): string {
  if (!data.startsWith('@')) return data;
  return readFileSync(data === '@-' ? 0 : data.slice(1), 'utf8');
}

function getService(client: KilnClient, name: string): Promise<ServiceDetail> {
  return unwrap(client.api.GET('/api/v1/services/{name}', { params: { path: { name } } }));
}

function deploymentOf(
  name: string | undefined,
  command: string[],
  options: DeployOptions,
): ServiceSubmission {
  const fromFile = options.file ? readSpecFile(options.file) : undefined;
  if (fromFile?.kind !== undefined && fromFile.kind !== 'Service')
    throw new CliExit(EXIT.error, `${options.file} holds kind: ${fromFile.kind}, not Service`);
  const [taskId, path = 'model.json'] = options.model?.split(':') ?? [];
  const fromFlags: Partial<ServiceSubmission> = {
    name,
    command: command.length ? command : undefined,
    model: taskId ? { taskId, path } : undefined,
    image: options.image,
    replicas: options.replicas,
    port: options.port,
    queue: options.queue,
    healthPath: options.healthPath,
    env: options.env,
    labels: options.label,
    invokeRetry: options.invokeRetry,
  };
  const body = { ...fromFile?.body, ...withoutUndefined(fromFlags) } as ServiceSubmission;
  if (!body.name) throw new CliExit(EXIT.error, 'name the service (an argument or `name:`)');
  return body;
}

/** Creates the service, or, when one of that name exists, deploys a new revision of it. */
export async function deploy(client: KilnClient, body: ServiceSubmission): Promise<Service> {
  const created = await client.api.POST('/api/v1/services', { body });
  if (created.response.status !== 409) return unwrap(Promise.resolve(created));
  const { name, queue: _queue, ...change } = body;
  return unwrap(
    client.api.PATCH('/api/v1/services/{name}', { params: { path: { name } }, body: change }),
  );
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function describeService(service: ServiceDetail) {
  const spec = service.spec;
  return [
    ['Name', service.name],
    ['Status', service.status],
    ['Reason', service.reason ?? undefined],
    ['Replicas', `${service.replicas.ready} ready of ${service.replicas.desired}`],
    ['Revision', `${service.revision} (serving ${service.servingRevision ?? 'none'})`],
    [
      'Rollout',
      service.rollout
        ? `${service.rollout.state} to revision ${service.rollout.revision}`
        : undefined,
    ],
    ['Queue', `${service.queue} (${service.runtime})`],
    ['Endpoint', service.endpoint],
    ['Model', spec.model ? `${spec.model.taskId}:${spec.model.path}` : undefined],
    ['Command', spec.command?.join(' ')],
    ['Image', spec.image ?? undefined],
    ['Port', String(spec.port)],
    ['Invoke retry', service.invokeRetry ? 'on (once, on another replica)' : 'off'],
    ['Labels', keyValues(service.labels)],
    ['Created', `${service.createdAt} (${age(service.createdAt)} ago)`],
  ] satisfies Array<[string, string | undefined]>;
}

/** The service stops its replicas first and is gone (404) once they are. */
async function untilGone(client: KilnClient, name: string): Promise<void> {
  for (;;) {
    const read = await client.api.GET('/api/v1/services/{name}', { params: { path: { name } } });
    if (read.response.status === 404) return;
    await unwrap(Promise.resolve(read)); // any other problem ends the wait with its message
    await new Promise((resolve) => setTimeout(resolve, DELETE_POLL_MS));
  }
}
