// A replica's output: its last lines as text, or followed live as Server-Sent Events
// until the replica stops. Replicas are named as GET /services/{name} lists them.
import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiProblems,
  REQUEST_LINE_PROBLEMS,
  TOO_MANY_STREAMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { RequestTimeout } from '../../../common/http/request-timeout.decorator';
import { lastEventIdOf, SseStream } from '../../../common/http/sse';
import { Auth, CurrentUser, OpenStreams, Principal, RequireScopes } from '../../auth';
import { ServiceRuntimeRegistry } from '../../runtimes';
import type { Service } from '../persistence/service.entity';
import { ReplicaLogsQuery } from './dto/replica-logs.query';
import { SERVICE_NAME_PARAM, SERVICE_NOT_FOUND, ServiceNamePipe } from './service-name.pipe';
import { ServicesService } from './services.service';

const NAME = new ServiceNamePipe();
const REPLICA_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const DEFAULT_TAIL = 1000;
const REPLICA_PARAM = ApiParam({
  name: 'replica',
  description: 'A replica’s name, as GET /services/{name} lists it',
  schema: { type: 'string', pattern: REPLICA_NAME.source },
});

@ApiTags('services')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('services')
export class ReplicaLogsController {
  private readonly logger = new Logger(ReplicaLogsController.name);

  constructor(
    private readonly services: ServicesService,
    private readonly runtimes: ServiceRuntimeRegistry,
    private readonly streams: OpenStreams,
  ) {}

  @Get(':name/replicas/:replica/logs')
  @RequireScopes('services:read')
  @ApiOperation({ summary: 'A replica’s last log lines as text' })
  @ApiOkResponse({
    description: 'Log lines, each ending in a newline; empty for a replica this runtime lacks',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @SERVICE_NAME_PARAM
  @REPLICA_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, SERVICE_NOT_FOUND)
  async readReplicaLogs(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Param('replica') replica: string,
    @Query() query: ReplicaLogsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const service = await this.readable(principal, name, replica);
    const tail = query.tail ?? DEFAULT_TAIL;
    const lines: string[] = [];
    for await (const line of this.logsOf(service, replica)) {
      lines.push(line);
      if (lines.length > tail) lines.shift();
    }
    reply.header('content-type', 'text/plain; charset=utf-8');
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  @Get(':name/replicas/:replica/logs/stream')
  @RequireScopes('services:read')
  @RequestTimeout(0)
  @ApiOperation({ summary: 'Follow a replica’s log as Server-Sent Events until it stops' })
  @ApiOkResponse({
    description:
      'Server-Sent Events: one `message` per log line (its id is the line number), then `end`',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @SERVICE_NAME_PARAM
  @REPLICA_PARAM
  @ApiProblems(REQUEST_LINE_PROBLEMS, SERVICE_NOT_FOUND, { 429: TOO_MANY_STREAMS })
  async streamReplicaLogs(
    @CurrentUser() principal: Principal,
    @Param('name', NAME) name: string,
    @Param('replica') replica: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const service = await this.readable(principal, name, replica); // 404 before the stream
    const stream = this.streams.open(principal, () => new SseStream(request, reply));
    const resumeAt = lastEventIdOf(request);
    let line = resumeAt === undefined ? 0 : resumeAt + 1;
    try {
      const follow = { follow: true, sinceLine: line, signal: stream.signal };
      for await (const text of this.logsOf(service, replica, follow)) {
        stream.send({ id: line++, data: text });
      }
      stream.send({ event: 'end', data: { replica } });
    } catch (error) {
      this.logger.warn({ err: error, service: name, replica }, 'replica log stream failed');
      if (!stream.signal.aborted)
        stream.send({ event: 'error', data: { detail: 'The log stream failed.' } });
    } finally {
      stream.close();
    }
  }

  private async readable(principal: Principal, name: string, replica: string): Promise<Service> {
    if (!REPLICA_NAME.test(replica)) {
      throw new InvalidInputError('The replica name is not valid.', [
        { field: 'replica', message: 'must be a replica name as the service lists it' },
      ]);
    }
    return this.services.get(principal, name);
  }

  private logsOf(
    service: Service,
    replica: string,
    options?: { follow: boolean; sinceLine: number; signal: AbortSignal },
  ): AsyncIterable<string> {
    if (!service.handle || !this.runtimes.has(service.runtime)) return (async function* () {})();
    return this.runtimes.get(service.runtime).logs(service.handle, replica, options);
  }
}
