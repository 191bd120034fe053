import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  REQUEST_LINE_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { AuditAction, RequestOrigin } from '../../audit';
import { Auth, CurrentUser, Origin, Principal, Role } from '../../auth';
import type { QueueChanges, QueueDefinition } from '../../tasks';
import { CreateQueueDto } from './create-queue.dto';
import { DrainResponse, QueueListResponse, QueueResponse } from './queue.response';
import { QueueNameParam } from './queue-name.param';
import { queueResponseOf } from './queue-view.mapper';
import { QueuesAdminService } from './queues-admin.service';
import { UpdateQueueDto } from './update-queue.dto';

const NO_SUCH_QUEUE = { 404: 'No such queue' };

/** Documents the `{name}` path parameter that QueueNameParam validates. */
const ApiQueueName = (): MethodDecorator =>
  ApiParam({
    name: 'name',
    description: 'The queue’s name',
    schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
  });

@ApiTags('admin')
@Auth(Role.Admin)
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('admin/queues')
export class QueuesAdminController {
  constructor(private readonly queues: QueuesAdminService) {}

  @Get()
  @ApiOperation({ summary: 'List every task queue with its settings and live figures' })
  async listQueues(): Promise<QueueListResponse> {
    const now = Date.now();
    return { items: (await this.queues.list()).map((view) => queueResponseOf(view, now)) };
  }

  @Post()
  @ApiOperation({ summary: 'Create a task queue' })
  @ApiProblems(JSON_BODY_PROBLEMS, { 409: 'A queue of that name exists' })
  async createQueue(
    @CurrentUser() actor: Principal,
    @Body() body: CreateQueueDto,
    @Origin() origin: RequestOrigin,
  ): Promise<QueueResponse> {
    return queueResponseOf(await this.queues.create(actor, definitionOf(body), origin));
  }

  @Get(':name')
  @ApiOperation({ summary: 'Read a task queue with its live figures' })
  @ApiQueueName()
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_QUEUE)
  async getQueue(@Param() { name }: QueueNameParam): Promise<QueueResponse> {
    return queueResponseOf(await this.queues.get(name));
  }

  @Patch(':name')
  @ApiOperation({
    summary: 'Change a task queue; the next dispatch pass on every replica follows it',
  })
  @ApiQueueName()
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, NO_SUCH_QUEUE)
  async updateQueue(
    @CurrentUser() actor: Principal,
    @Param() { name }: QueueNameParam,
    @Body() body: UpdateQueueDto,
    @Origin() origin: RequestOrigin,
  ): Promise<QueueResponse> {
    return queueResponseOf(await this.queues.update(actor, name, changesOf(body), origin));
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a task queue that holds no unfinished task' })
  @ApiQueueName()
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_QUEUE, {
    409: 'The queue is the default queue or still holds unfinished tasks',
  })
  async deleteQueue(
    @CurrentUser() actor: Principal,
    @Param() { name }: QueueNameParam,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.queues.delete(actor, name, origin);
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a queue: it takes submits and dispatches nothing' })
  @ApiQueueName()
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_QUEUE)
  async pauseQueue(
    @CurrentUser() actor: Principal,
    @Param() { name }: QueueNameParam,
    @Origin() origin: RequestOrigin,
  ): Promise<QueueResponse> {
    return queueResponseOf(
      await this.queues.update(actor, name, { paused: true }, origin, AuditAction.QueuePaused),
    );
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused queue' })
  @ApiQueueName()
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_QUEUE)
  async resumeQueue(
    @CurrentUser() actor: Principal,
    @Param() { name }: QueueNameParam,
    @Origin() origin: RequestOrigin,
  ): Promise<QueueResponse> {
    return queueResponseOf(
      await this.queues.update(actor, name, { paused: false }, origin, AuditAction.QueueResumed),
    );
  }

  @Post(':name/drain')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel every pending task of a queue' })
  @ApiQueueName()
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_QUEUE)
  async drainQueue(
    @CurrentUser() actor: Principal,
    @Param() { name }: QueueNameParam,
    @Origin() origin: RequestOrigin,
  ): Promise<DrainResponse> {
    return { cancelled: await this.queues.drain(actor, name, origin) };
  }
}

const DEFAULT_RESOURCES = { cpu: 1, memoryMiB: 1024, gpu: 0 };

function definitionOf(body: CreateQueueDto): QueueDefinition {
  return {
    name: body.name,
    runtime: body.runtime,
    maxRunning: body.maxRunning,
    maxGpus: body.maxGpus,
    allowedRoles: body.allowedRoles ?? undefined,
    allowedUsers: body.allowedUsers ?? undefined,
    defaultResources: body.defaultResources ?? { ...DEFAULT_RESOURCES },
    paused: body.paused,
    minPriority: body.minPriority ?? undefined,
    maxPriority: body.maxPriority ?? undefined,
  };
}

function changesOf(body: UpdateQueueDto): QueueChanges {
  const changes: QueueChanges = {
    runtime: body.runtime,
    maxRunning: body.maxRunning,
    maxGpus: body.maxGpus,
    defaultResources: body.defaultResources,
    paused: body.paused,
  };
  for (const key of Object.keys(changes) as Array<keyof QueueChanges>) {
    if (changes[key] === undefined) delete changes[key];
  }
  // null returns an access list to the default rule; absent leaves it as it is
  if (body.allowedRoles !== undefined) changes.allowedRoles = body.allowedRoles ?? undefined;
  if (body.allowedUsers !== undefined) changes.allowedUsers = body.allowedUsers ?? undefined;
  if (body.minPriority !== undefined) changes.minPriority = body.minPriority ?? undefined;
  if (body.maxPriority !== undefined) changes.maxPriority = body.maxPriority ?? undefined;
  return changes;
}
