import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { InvalidInputError } from '../../common/errors/domain-error';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { RequireScopes } from '../auth/decorators/require-scopes.decorator';
import { OwnershipPolicy } from '../auth/ownership.policy';
import { Principal } from '../auth/principal';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQuery } from './dto/list-tasks.query';
import {
  TaskAttemptResponse,
  TaskEventResponse,
  TaskPageResponse,
  TaskResponse,
  WaitingResponse,
} from './dto/task.response';
import { UpdateTaskDto } from './dto/update-task.dto';
import { Task } from './entities/task.entity';
import { etagOf, toAttemptResponse, toEventResponse, toTaskResponse } from './task.mapper';
import { TasksQuery } from './tasks.query';
import { TasksService } from './tasks.service';

const ID = new ParseUUIDPipe({ version: '4' });

@ApiTags('tasks')
@Auth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly query: TasksQuery,
    private readonly policy: OwnershipPolicy,
  ) {}

  @Post()
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Submit a training task' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retried submits with the same key return the first task',
  })
  @ApiCreatedResponse({ type: TaskResponse, description: 'Created; Location names the task' })
  @ApiTooManyRequestsResponse({ description: 'The pending backlog is full; see Retry-After' })
  async submitTask(
    @CurrentUser() principal: Principal,
    @Body() body: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const key = checkIdempotencyKey(idempotencyKey);
    const { task, replayed } = await this.tasks.submit(principal, body, key);
    reply.status(replayed ? 200 : 201);
    reply.header('location', `/api/v1/tasks/${task.id}`);
    reply.header('etag', etagOf(task));
    if (replayed) reply.header('idempotent-replayed', 'true');
    return this.respond(principal, task);
  }

  @Get()
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'List tasks the caller may see, newest first or by priority' })
  async listTasks(
    @CurrentUser() principal: Principal,
    @Query() query: ListTasksQuery,
  ): Promise<TaskPageResponse> {
    const page = await this.query.list(query, this.policy.listableOwner(principal));
    return {
      items: page.items.map((task) => this.respond(principal, task)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'A task; a pending one says its queue position and why it waits' })
  @ApiNotFoundResponse({ description: 'No such task, or not the caller’s' })
  async getTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.get(principal, id);
    reply.header('etag', etagOf(task));
    return this.respond(principal, task, await this.query.waiting(task));
  }

  @Patch(':id')
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Rename, describe, relabel, or (while pending) reprioritize a task' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag last read; 412 if it changed since',
  })
  @ApiPreconditionFailedResponse({ description: 'The task changed since the ETag in If-Match' })
  async updateTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Body() body: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.update(principal, id, body, parseIfMatch(ifMatch));
    reply.header('etag', etagOf(task));
    return this.respond(principal, task);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Cancel: pending and queued at once, running through cancelling' })
  @ApiConflictResponse({ description: 'The task has already finished' })
  async cancelTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<TaskResponse> {
    return this.respond(principal, await this.tasks.cancel(principal, id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Run a failed, timed-out or cancelled task again' })
  @ApiConflictResponse({ description: 'The task is not in a status that can be retried' })
  async retryTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<TaskResponse> {
    return this.respond(principal, await this.tasks.retry(principal, id));
  }

  @Post(':id/clone')
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Submit a new pending task with the same spec' })
  @ApiCreatedResponse({ type: TaskResponse })
  async cloneTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.clone(principal, id);
    reply.header('location', `/api/v1/tasks/${task.id}`);
    return this.respond(principal, task);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Delete a finished task with its logs, metrics and artifacts' })
  async deleteTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<void> {
    await this.tasks.delete(principal, id);
  }

  @Get(':id/events')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'Every status change of the task, oldest first' })
  async listTaskEvents(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<TaskEventResponse[]> {
    return (await this.tasks.events(principal, id)).map(toEventResponse);
  }

  @Get(':id/attempts')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'Every attempt of the task' })
  async listTaskAttempts(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<TaskAttemptResponse[]> {
    return (await this.tasks.attempts(principal, id)).map(toAttemptResponse);
  }

  private respond(principal: Principal, task: Task, waiting?: WaitingResponse): TaskResponse {
    return toTaskResponse(task, this.policy.canSeeSecrets(principal, task.ownerId), waiting);
  }
}

function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (/^[\x21-\x7e]{1,128}$/.test(key)) return key;
  throw new InvalidInputError('The Idempotency-Key header is not valid.', [
    { field: 'Idempotency-Key', message: 'must be 1-128 visible ASCII characters' },
  ]);
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (match) return Number(match[1]);
  throw new InvalidInputError('The If-Match header is not an ETag this API returned.', [
    { field: 'If-Match', message: 'must be an ETag such as W/"3"' },
  ]);
}
