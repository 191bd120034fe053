import {
  Body,
  Controller,
  Delete,
  Get,
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
  ApiNoContentResponse,
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
} from '../../common/decorators/api-problems.decorator';
import { ApiUuidParam } from '../../common/decorators/api-uuid-param.decorator';
import { Auth, CurrentUser, OwnershipPolicy, Principal, RequireScopes } from '../auth';
import { CreateScheduleDto } from './dto/create-schedule.dto';
import { ListScheduleFiresQuery, ListSchedulesQuery } from './dto/list-schedules.query';
import {
  ScheduleFirePageResponse,
  ScheduleFireResponse,
  SchedulePageResponse,
  ScheduleResponse,
} from './dto/schedule.response';
import { UpdateScheduleDto } from './dto/update-schedule.dto';
import { toFireResponse, toScheduleResponse } from './schedule.mapper';
import { Schedule } from './schedule.entity';
import { SchedulesService } from './schedules.service';

const ID = new ParseUUIDPipe({ version: '4' });
const SCHEDULE_ID = ApiUuidParam('The schedule’s id');
const NOT_FOUND = { 404: 'No such schedule, or not the caller’s' } as const;
const CHANGED = { 409: 'The schedule changed meanwhile; read it again' } as const;
const UPCOMING = 5;

@ApiTags('schedules')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly policy: OwnershipPolicy,
  ) {}

  @Post()
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Create a schedule: a task template fired on a cron expression' })
  @ApiCreatedResponse({ type: ScheduleResponse, description: 'Created; Location names it' })
  @ApiProblems(JSON_BODY_PROBLEMS, {
    403: 'Viewers create nothing, or the queue is not open to the caller',
  })
  async createSchedule(
    @CurrentUser() principal: Principal,
    @Body() body: CreateScheduleDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleResponse> {
    const schedule = await this.schedules.create(principal, body);
    reply.header('location', `/api/v1/schedules/${schedule.id}`);
    return this.respond(principal, schedule, false);
  }

  @Get()
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'List the schedules the caller may see, oldest first' })
  @ApiOkResponse({ type: SchedulePageResponse })
  @ApiProblems({ 400: 'The query or its cursor is not valid; `errors` names each field' })
  async listSchedules(
    @CurrentUser() principal: Principal,
    @Query() query: ListSchedulesQuery,
  ): Promise<SchedulePageResponse> {
    const page = await this.schedules.list(principal, query);
    return {
      items: await Promise.all(page.items.map((item) => this.respond(principal, item, false))),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'A schedule with its next five fire times and its history' })
  @SCHEDULE_ID
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND)
  async getSchedule(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<ScheduleResponse> {
    return this.respond(principal, await this.schedules.get(principal, id), true);
  }

  @Get(':id/fires')
  @RequireScopes('tasks:read')
  @ApiOperation({
    summary: 'A schedule’s fire records, newest first: each time, what came of it, its task',
  })
  @SCHEDULE_ID
  @ApiOkResponse({ type: ScheduleFirePageResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND)
  async listScheduleFires(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Query() query: ListScheduleFiresQuery,
  ): Promise<ScheduleFirePageResponse> {
    const schedule = await this.schedules.get(principal, id);
    const page = await this.schedules.fires(schedule, query);
    return { items: page.items.map(toFireResponse), nextCursor: page.nextCursor };
  }

  @Patch(':id')
  @RequireScopes('tasks:write')
  @ApiOperation({
    summary: 'Change a schedule; a new cron, zone or resumption starts from the next time',
  })
  @SCHEDULE_ID
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiProblems(JSON_BODY_PROBLEMS, REQUEST_LINE_PROBLEMS, NOT_FOUND, CHANGED, {
    403: 'Viewers change nothing, or the queue is not open to the caller',
  })
  async updateSchedule(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Body() body: UpdateScheduleDto,
  ): Promise<ScheduleResponse> {
    return this.respond(principal, await this.schedules.update(principal, id, body), true);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Suspend a schedule: it fires nothing until resumed' })
  @SCHEDULE_ID
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND, CHANGED, { 403: 'Viewers change nothing' })
  async suspendSchedule(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<ScheduleResponse> {
    return this.respond(principal, await this.schedules.setSuspended(principal, id, true), true);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Resume a schedule from its next time; suspended times never fire' })
  @SCHEDULE_ID
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND, CHANGED, { 403: 'Viewers change nothing' })
  async resumeSchedule(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<ScheduleResponse> {
    return this.respond(principal, await this.schedules.setSuspended(principal, id, false), true);
  }

  @Post(':id/trigger')
  @RequireScopes('tasks:write')
  @ApiOperation({
    summary: 'Fire a schedule now, under its concurrency policy; the record says what came of it',
  })
  @SCHEDULE_ID
  @ApiCreatedResponse({ type: ScheduleFireResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND, CHANGED, { 403: 'Viewers change nothing' })
  async triggerSchedule(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<ScheduleFireResponse> {
    return toFireResponse(await this.schedules.trigger(principal, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Delete a schedule and its history; its tasks stay' })
  @SCHEDULE_ID
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND, { 403: 'Viewers change nothing' })
  async deleteSchedule(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<void> {
    await this.schedules.delete(principal, id);
  }

  private async respond(
    principal: Principal,
    schedule: Schedule,
    withHistory: boolean,
  ): Promise<ScheduleResponse> {
    return toScheduleResponse(schedule, {
      nextFireTimes: this.schedules.upcoming(schedule, UPCOMING),
      history: withHistory ? await this.schedules.history(schedule) : [],
      showEnv: this.policy.canSeeSecrets(principal, schedule.ownerId),
    });
  }
}
