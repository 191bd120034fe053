import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Logger,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  REQUEST_LINE_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { Auth, CurrentUser, Principal, RequireScopes } from '../../auth';
import { ServiceRuntimeRegistry } from '../../runtimes';
import { INVOCATION_STATS, InvocationStats } from '../invoke/stats/invocation-stats.port';
import type { Service } from '../persistence/service.entity';
import { CreateServiceDto } from './dto/create-service.dto';
import { ListServicesQuery } from './dto/list-services.query';
import { RollbackServiceDto } from './dto/rollback-service.dto';
import { ScaleServiceDto } from './dto/scale-service.dto';
import {
  InvocationSummaryResponse,
  ServiceDetailResponse,
  ServiceEventListResponse,
  ServicePageResponse,
  ServiceResponse,
  ServiceRevisionListResponse,
  ServiceRevisionResponse,
} from './dto/service.response';
import { UpdateServiceDto } from './dto/update-service.dto';
import { SERVICE_NAME_PARAM, SERVICE_NOT_FOUND, ServiceNamePipe } from './service-name.pipe';
import {
  toEventResponse,
  toReplicaResponse,
  toRevisionResponse,
  toServiceResponse,
} from './service.mapper';
import { ServicesService } from './services.service';

const NAME = new ServiceNamePipe();
const EVENTS_SHOWN = 200;
const CHANGED = 'The service changed since the ETag in If-Match, or meanwhile';
const DEPLOY_PROBLEMS = {
  400: 'The body is not valid, or the spec cannot run on the queue; `errors` names each field',
  403: 'Viewers change nothing; the queue does not take services from the caller’s role',
  404: 'No such service; or the model’s task or file does not exist (or is not the caller’s)',
  409: 'The name is taken, the model’s task has not succeeded, the service is being deleted, or the owner’s quota has no room for the replicas (`quota-exceeded`: maxRunning, or maxGpus for replicas × GPUs; the detail gives the figures)',
} as const;

@ApiTags('services')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('services')
export class ServicesController {
  private readonly logger = new Logger(ServicesController.name);

  constructor(
    private readonly services: ServicesService,
    private readonly runtimes: ServiceRuntimeRegistry,
    @Inject(INVOCATION_STATS) private readonly invocationStats: InvocationStats,
  ) {}

  @Post()
  @RequireScopes('services:write')
  @ApiOperation({ summary: 'Deploy a model service (its first revision)' })
  @ApiCreatedResponse({ type: ServiceResponse, description: 'Created; Location names it' })
  @ApiProblems(JSON_BODY_PROBLEMS, DEPLOY_PROBLEMS)
  async createService(
    @CurrentUser() principal: Principal,
    @Body() body: CreateServiceDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceResponse> {
    const service = await this.services.create(principal, body);
    reply.header('location', `/api/v1/services/${service.name}`);
    reply.header('etag', etagOf(service));
    return this.respond(principal, service);
  }

  @Get()
  @RequireScopes('services:read')
  @ApiOperation({ summary: 'List the services the caller may see, by name' })
  @ApiProblems({ 400: 'The query is not valid; `errors` names each field' })
  async listServices(
    @CurrentUser() principal: Principal,
    @Query() query: ListServicesQuery,
  ): Promise<ServicePageResponse> {
    const page = await this.services.list(principal, query.limit ?? 50, query.cursor);
    return {
      items: await Promise.all(page.items.map((service) => this.respond(principal, service))),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':name')
  @RequireScopes('services:read')
  @ApiOperation({ summary: 'A service, with each replica as its runtime reports it' })
  @SERVICE_NAME_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, SERVICE_NOT_FOUND)
  async getService(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceDetailResponse> {
    const service = await this.services.get(principal, name);
    reply.header('etag', etagOf(service));
    return {
      ...(await this.respond(principal, service)),
      replicaList: await this.replicas(service),
      invocations: await this.invocations(service),
    };
  }

  @Patch(':name')
  @RequireScopes('services:write')
  @ApiOperation({
    summary:
      'Change a service; a change of model, command, image, env, resources, port or healthPath rolls out a new revision',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag last read; 412 if it changed',
  })
  @SERVICE_NAME_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, DEPLOY_PROBLEMS, { 412: CHANGED })
  async updateService(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Body() body: UpdateServiceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceResponse> {
    const service = await this.services.update(principal, name, body, parseIfMatch(ifMatch));
    reply.header('etag', etagOf(service));
    return this.respond(principal, service);
  }

  @Post(':name/scale')
  @HttpCode(200)
  @RequireScopes('services:write')
  @ApiOperation({ summary: 'Set the replicas wanted (0 stops them all and keeps the service)' })
  @SERVICE_NAME_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, SERVICE_NOT_FOUND, {
    403: 'Viewers change nothing',
    409: 'The service is being deleted, or the owner’s quota has no room for the replicas (`quota-exceeded`, naming the quota and the figures)',
    412: CHANGED,
  })
  async scaleService(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Body() body: ScaleServiceDto,
  ): Promise<ServiceResponse> {
    return this.respond(principal, await this.services.scale(principal, name, body.replicas));
  }

  @Post(':name/rollback')
  @HttpCode(200)
  @RequireScopes('services:write')
  @ApiOperation({ summary: 'Roll out an earlier revision’s spec again, as a new revision' })
  @SERVICE_NAME_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, {
    400: 'The body is not valid, or names the current revision',
    403: 'Viewers change nothing; the queue does not take services from the caller’s role',
    404: 'No such service (or not the caller’s), or no such revision',
    409: 'The service is being deleted, or the owner’s quota has no room for the replicas (`quota-exceeded`, naming the quota and the figures)',
    412: CHANGED,
  })
  async rollbackService(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Body() body: RollbackServiceDto,
  ): Promise<ServiceResponse> {
    return this.respond(principal, await this.services.rollback(principal, name, body.revision));
  }

  @Delete(':name')
  @HttpCode(202)
  @RequireScopes('services:write')
  @ApiOperation({ summary: 'Delete a service: its replicas are stopped, then it is gone' })
  @ApiAcceptedResponse({ description: 'Stopping; GET answers 404 once it is gone' })
  @SERVICE_NAME_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, SERVICE_NOT_FOUND, { 403: 'Viewers change nothing' })
  async deleteService(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
  ): Promise<void> {
    await this.services.delete(principal, name);
  }

  @Get(':name/revisions')
  @RequireScopes('services:read')
  @ApiOperation({ summary: 'Every revision of a service, newest first' })
  @SERVICE_NAME_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, SERVICE_NOT_FOUND)
  async listRevisions(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
  ): Promise<ServiceRevisionListResponse> {
    const service = await this.services.get(principal, name);
    const secrets = this.services.canSeeSecrets(principal, service);
    const revisions = await this.services.revisions(service);
    return { items: revisions.map((revision) => toRevisionResponse(revision, secrets)) };
  }

  @Get(':name/revisions/:number')
  @RequireScopes('services:read')
  @ApiOperation({ summary: 'One revision of a service' })
  @SERVICE_NAME_PARAM
  @ApiParam({ name: 'number', schema: { type: 'integer', minimum: 1 } })
  @ApiProblems(REQUEST_LINE_PROBLEMS, {
    404: 'No such service (or not the caller’s), or no such revision',
  })
  async getRevision(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Param('number', new ParseIntPipe({ exceptionFactory: badRevision })) number: number,
  ): Promise<ServiceRevisionResponse> {
    const service = await this.services.get(principal, name);
    const revision = await this.services.revision(service, number);
    return toRevisionResponse(revision, this.services.canSeeSecrets(principal, service));
  }

  @Get(':name/events')
  @RequireScopes('services:read')
  @ApiOperation({ summary: 'The service’s status changes, newest first (the last 200)' })
  @SERVICE_NAME_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, SERVICE_NOT_FOUND)
  async listEvents(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
  ): Promise<ServiceEventListResponse> {
    const service = await this.services.get(principal, name);
    const events = await this.services.events(service, EVENTS_SHOWN);
    return { items: events.map(toEventResponse) };
  }

  private async respond(principal: Principal, service: Service): Promise<ServiceResponse> {
    const target = await this.services.revision(service);
    return toServiceResponse(service, target, this.services.canSeeSecrets(principal, service));
  }

  /** A summary the store could not give leaves the rest of the detail standing. */
  private async invocations(service: Service): Promise<InvocationSummaryResponse | null> {
    try {
      return await this.invocationStats.summary(service.id);
    } catch (error) {
      this.logger.warn(`Invocation summary of ${service.name} unavailable: ${String(error)}`);
      return null;
    }
  }

  private async replicas(service: Service) {
    if (!service.handle || !this.runtimes.has(service.runtime)) return [];
    const status = await this.runtimes
      .get(service.runtime)
      .status(service.handle)
      .catch(() => undefined);
    return status?.state === 'deployed' ? status.replicas.map(toReplicaResponse) : [];
  }
}

function etagOf(service: Service): string {
  return `"${service.version}"`;
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) {
    throw new InvalidInputError('If-Match must be an ETag this API returned.', [
      { field: 'If-Match', message: 'is not an ETag of this service' },
    ]);
  }
  return Number(match[1]);
}

function badRevision(): InvalidInputError {
  return new InvalidInputError('The revision number is not valid.', [
    { field: 'number', message: 'must be a positive integer' },
  ]);
}
