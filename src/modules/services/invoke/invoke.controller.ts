// The endpoint of every service: Kiln checks the caller's token (scope services:invoke,
// and the right to change the service: its owner or an admin), picks a ready replica in
// turn, and proxies the request there with @fastify/reply-from, streaming the answer
// back. The JSON body is kept as the bytes received (@RawJsonBody), so it goes on
// unparsed and can be sent again: a replica that refuses the connection (it just died) is
// skipped for another, and one whose connection breaks before it answered is retried
// once on another (see InvokeAttempts).
import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Req,
  RequestMethod,
  Res,
} from '@nestjs/common';
import { ApiDefaultResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../../../common/decorators/api-problems.decorator';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../../../common/errors/problem';
import { RawJsonBody } from '../../../common/http/raw-json-body.decorator';
import { RequestTimeout } from '../../../common/http/request-timeout.decorator';
import { Auth, CurrentUser, OwnershipPolicy, Principal, RequireScopes } from '../../auth';
import { ServiceRuntimeRegistry, type ServiceEndpoint } from '../../runtimes';
import { SERVICE_NAME_PARAM, ServiceNamePipe } from '../api/service-name.pipe';
import type { Service } from '../persistence/service.entity';
import {
  NoReadyReplicaError,
  ReplicaTimeoutError,
  ReplicaUnreachableError,
} from '../services.errors';
import { InvokeAttempts } from './invoke-attempts';
import { InvokePrometheus } from './invoke.prometheus';
import { ReplicaPicker } from './replica-picker';
import { ServiceDirectory } from './service-directory';
import { INVOCATION_STATS, InvocationStats } from './stats/invocation-stats.port';
import { upstreamFailureOf, type UpstreamFailure } from './upstream-failure';

const NAME = new ServiceNamePipe();
/** Headers of the caller's that are Kiln's business, not the replica's. */
const STRIPPED_REQUEST_HEADERS = ['authorization', 'cookie', 'x-kiln-replica'];
const NO_REPLICA_RETRY_AFTER_SECONDS = 2;
const INVOKE_PATH = ':name/invoke/*';
/** Every method of the endpoint, as Nest's middleware routes name it. */
export const INVOKE_ROUTE = { path: 'services/:name/invoke/{*path}', method: RequestMethod.ALL };
const FAILURE_REASONS: Partial<Record<UpstreamFailure, string>> = {
  unreached: 'the replica could not be reached',
  reset: 'the connection to the replica broke before it answered',
};

/** The contract of the endpoint, alike for every method it passes through. */
function InvokeOperation(method: string): MethodDecorator {
  return applyDecorators(
    RequireScopes('services:invoke'),
    RequestTimeout(0),
    RawJsonBody(),
    ApiOperation({
      summary: `${method} to a ready replica of the service: the path after invoke/, query, headers and JSON body pass through; the answer streams back`,
    }),
    SERVICE_NAME_PARAM,
    ApiParam({ name: 'path', description: 'The path on the replica, after invoke/', type: String }),
    ApiDefaultResponse({
      description:
        'The replica’s answer as it gave it (any status, headers and body); x-kiln-replica names the replica',
      content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
    }),
    ApiProblems({
      400: 'The service name is not valid',
      403: 'The token lacks services:invoke, or the caller is neither the owner nor an admin',
      404: 'No such service, or not the caller’s',
      413: 'The body is larger than the configured limit',
      415: 'The body is not application/json',
      502: 'No ready replica could be reached, the connection broke before an answer on the replica retried too, or the replica broke off its answer',
      503: 'No replica is ready; see Retry-After',
      504: 'The replica did not answer within invokeTimeoutSeconds',
    }),
  );
}

/** The body, when there is one, is the bytes received (see @RawJsonBody). */
type InvokeRequest = FastifyRequest<{ Params: { '*': string }; Body: Buffer | undefined }>;

interface Forwarding {
  service: Service;
  endpoints: ServiceEndpoint[];
  attempts: InvokeAttempts;
}

@ApiTags('services')
@Auth()
@Controller('services')
export class InvokeController {
  private readonly picker = new ReplicaPicker();

  constructor(
    private readonly directory: ServiceDirectory,
    private readonly runtimes: ServiceRuntimeRegistry,
    private readonly policy: OwnershipPolicy,
    private readonly prometheus: InvokePrometheus,
    @Inject(INVOCATION_STATS) private readonly stats: InvocationStats,
  ) {}

  @Get(INVOKE_PATH)
  @InvokeOperation('GET')
  invokeGet(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Req() request: InvokeRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.invoke(principal, name, request, reply);
  }

  @Post(INVOKE_PATH)
  @InvokeOperation('POST')
  invokePost(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Req() request: InvokeRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.invoke(principal, name, request, reply);
  }

  @Put(INVOKE_PATH)
  @InvokeOperation('PUT')
  invokePut(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Req() request: InvokeRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.invoke(principal, name, request, reply);
  }

  @Patch(INVOKE_PATH)
  @InvokeOperation('PATCH')
  invokePatch(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Req() request: InvokeRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.invoke(principal, name, request, reply);
  }

  @Delete(INVOKE_PATH)
  @InvokeOperation('DELETE')
  invokeDelete(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Req() request: InvokeRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.invoke(principal, name, request, reply);
  }

  private async invoke(
    principal: Principal,
    name: string,
    request: InvokeRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const service = await this.directory.byName(name);
    this.policy.assertCanChange(principal, service.ownerId, 'Service');
    const endpoints = service.handle
      ? await this.runtimes.get(service.runtime).endpoints(service.handle)
      : [];
    const attempts = new InvokeAttempts(service.invokeRetry);
    const started = performance.now();
    // once per invocation, however many replicas it took, with the status it ended with
    reply.raw.once('finish', () => this.observe(service, reply.statusCode, started, attempts));
    this.forward(request, reply, { service, endpoints, attempts });
  }

  private observe(
    service: Service,
    status: number,
    started: number,
    attempts: InvokeAttempts,
  ): void {
    const latencyMs = performance.now() - started;
    const retried = attempts.retried;
    this.prometheus.observe(service.name, status, latencyMs / 1000, { retried });
    this.stats.record(service.id, { status, latencyMs, retried, at: Date.now() });
  }

  private forward(request: InvokeRequest, reply: FastifyReply, forwarding: Forwarding): void {
    const { service, attempts } = forwarding;
    const endpoint = this.picker.pick(service.id, forwarding.endpoints, attempts.tried);
    if (!endpoint) {
      const error = attempts.tried.size
        ? new ReplicaUnreachableError(service.name, 'no ready replica took the request')
        : new NoReadyReplicaError(service.name, NO_REPLICA_RETRY_AFTER_SECONDS);
      return this.fail(request, reply, error);
    }
    attempts.sentTo(endpoint.url);
    void reply.from(upstreamUrl(endpoint.url, request), {
      ...bodyOf(request),
      timeout: service.invokeTimeoutSeconds * 1000,
      rewriteRequestHeaders: (_original, headers) => forwardedHeaders(request, headers),
      rewriteHeaders: (headers) => ({ ...headers, 'x-kiln-replica': endpoint.replica }),
      onError: (_reply, { error }) => {
        const failure = upstreamFailureOf(error);
        if (failure === 'unreached' || failure === 'reset') this.picker.markFailed(endpoint.url);
        if (attempts.triesAnother(failure)) return this.forward(request, reply, forwarding);
        this.fail(request, reply, this.errorOf(service, failure, error));
      },
    });
  }

  private errorOf(service: Service, failure: UpstreamFailure, error: Error): Error {
    if (failure === 'timeout')
      return new ReplicaTimeoutError(service.name, service.invokeTimeoutSeconds);
    return new ReplicaUnreachableError(service.name, FAILURE_REASONS[failure] ?? error.message);
  }

  private fail(request: FastifyRequest, reply: FastifyReply, error: Error): void {
    if (reply.sent || reply.raw.headersSent) {
      if (!reply.raw.writableEnded) reply.raw.destroy();
      return;
    }
    const problem = toProblem(error, request);
    void reply
      .status(problem.body.status)
      .headers(problem.headers)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem.body));
  }
}

/** The replica's URL for the path after `invoke/`, with the caller's query string. */
function upstreamUrl(base: string, request: InvokeRequest): string {
  const rest = request.params['*'] ?? '';
  const query = request.url.indexOf('?');
  return `${base}/${rest}${query >= 0 ? request.url.slice(query) : ''}`;
}

function forwardedHeaders(
  request: InvokeRequest,
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[] | undefined> {
  const forwarded: Record<string, string | string[] | undefined> = { ...headers };
  for (const name of STRIPPED_REQUEST_HEADERS) delete forwarded[name];
  forwarded['x-forwarded-for'] = request.ip;
  forwarded['x-forwarded-proto'] = request.protocol;
  forwarded['x-forwarded-host'] = request.hostname;
  forwarded['x-request-id'] = String(request.id);
  return forwarded;
}

/**
 * The body as received, sent on byte for byte (reply-from would otherwise serialize the
 * parsed value again). Without one, reply-from sends none.
 */
function bodyOf(request: InvokeRequest): { body?: Buffer; contentType?: string } {
  const body = request.body;
  if (!Buffer.isBuffer(body)) return {};
  return { body, contentType: request.headers['content-type'] ?? 'application/json' };
}
