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
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
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
import { Auth, CurrentUser, OwnershipPolicy, Principal, RequireScopes } from '../../auth';
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
import { Task } from '../persistence/entities/task.entity';
import { etagOf, toAttemptResponse, toEventResponse, toTaskResponse } from './task.mapper';
import { TaskListRepository } from '../persistence/task-list.repository';
import { WaitingReasons } from '../orchestration/waiting-reasons';
import { TasksService } from './tasks.service';
import { TASK_ID, TASK_NOT_FOUND } from './task-api';

const ID = new ParseUUIDPipe({ version: '4' });
const BACKLOG_FULL = 'The pending backlog is full; see Retry-After';
const CHANGED_SINCE = 'The task changed meanwhile; read it again';

@ApiTags('tasks')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly taskList: TaskListRepository,
    private readonly waitingReasons: WaitingReasons,
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
  @ApiOkResponse({
    type: TaskResponse,
    description: 'A replay: the task an earlier submit with this Idempotency-Key created',
  })
  @ApiProblems(JSON_BODY_PROBLEMS, {
    422: 'The Idempotency-Key was used before with a different body',
    429: BACKLOG_FULL,
  })
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
  @ApiProblems({ 400: 'The query or its cursor is not valid; `errors` names each field' })
  async listTasks(
    @CurrentUser() principal: Principal,
    @Query() query: ListTasksQuery,
  ): Promise<TaskPageResponse> {
    const page = await this.taskList.list(query, this.policy.listableOwner(principal));
    return {
      items: page.items.map((task) => this.respond(principal, task)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'A task; a pending one says its queue position and why it waits' })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND)
  async getTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.get(principal, id);
    reply.header('etag', etagOf(task));
    return this.respond(principal, task, await this.waitingReasons.of(task));
  }

  @Patch(':id')
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Rename, describe, relabel, or (while pending) reprioritize a task' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag last read; 412 if it changed since',
  })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, TASK_NOT_FOUND, {
    400: 'The body is not valid, or priority changes on a task that is no longer pending',
    412: 'The task changed since the ETag in If-Match',
  })
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
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, TASK_NOT_FOUND, {
    409: 'The task has succeeded, failed or timed out (a cancelled one answers 200)',
  })
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
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, TASK_NOT_FOUND, {
    409: 'The task is not failed, timed out or cancelled',
    412: CHANGED_SINCE,
    429: BACKLOG_FULL,
  })
  async retryTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<TaskResponse> {
    return this.respond(principal, await this.tasks.retry(principal, id));
  }

  @Post(':id/clone')
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Submit a new pending task with the same spec' })
  @ApiCreatedResponse({ type: TaskResponse, description: 'Created; Location names the task' })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, TASK_NOT_FOUND, {
    400: 'The source task’s spec is no longer valid here (e.g. its queue is gone)',
    429: BACKLOG_FULL,
  })
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
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND, {
    400: 'The task has not finished; cancel it first',
    409: 'Pending tasks depend on this task',
    412: CHANGED_SINCE,
  })
  async deleteTask(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<void> {
    await this.tasks.delete(principal, id);
  }

  @Get(':id/events')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'Every status change of the task, oldest first' })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND)
  async listTaskEvents(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<TaskEventResponse[]> {
    return (await this.tasks.events(principal, id)).map(toEventResponse);
  }

  @Get(':id/attempts')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'Every attempt of the task' })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND)
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
