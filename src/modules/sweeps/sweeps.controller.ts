import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  REQUEST_LINE_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../common/decorators/api-problems.decorator';
import { ApiUuidParam } from '../../common/decorators/api-uuid-param.decorator';
import { Auth, CurrentUser, OwnershipPolicy, Principal, RequireScopes } from '../auth';
import { CreateSweepDto } from './dto/create-sweep.dto';
import { ListSweepsQuery, ListSweepTrialsQuery } from './dto/list-sweeps.query';
import { SweepPageResponse, SweepResponse, SweepTrialPageResponse } from './dto/sweep.response';
import { toSweepResponse, toTrialResponse } from './sweep.mapper';
import { Sweep } from './sweep.entity';
import { SweepsService } from './sweeps.service';

const ID = new ParseUUIDPipe({ version: '4' });
const SWEEP_ID = ApiUuidParam('The sweep’s id');
const NOT_FOUND = { 404: 'No such sweep, or not the caller’s' } as const;

@ApiTags('sweeps')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('sweeps')
export class SweepsController {
  constructor(
    private readonly sweeps: SweepsService,
    private readonly policy: OwnershipPolicy,
  ) {}

  @Post()
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Start a hyperparameter sweep: one task per trial, from a template' })
  @ApiCreatedResponse({ type: SweepResponse, description: 'Created; Location names it' })
  @ApiProblems(JSON_BODY_PROBLEMS, {
    403: 'Viewers create nothing, or the queue is not open to the caller',
  })
  async createSweep(
    @CurrentUser() principal: Principal,
    @Body() body: CreateSweepDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SweepResponse> {
    const sweep = await this.sweeps.create(principal, body);
    reply.header('location', `/api/v1/sweeps/${sweep.id}`);
    return this.respond(principal, sweep, true);
  }

  @Get()
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'List the sweeps the caller may see, oldest first' })
  @ApiOkResponse({ type: SweepPageResponse })
  @ApiProblems({ 400: 'The query or its cursor is not valid; `errors` names each field' })
  async listSweeps(
    @CurrentUser() principal: Principal,
    @Query() query: ListSweepsQuery,
  ): Promise<SweepPageResponse> {
    const page = await this.sweeps.list(principal, query);
    return {
      items: await Promise.all(page.items.map((sweep) => this.respond(principal, sweep, false))),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id/trials')
  @RequireScopes('tasks:read')
  @ApiOperation({
    summary: 'A sweep’s trials by index, each with its task’s status and objective value',
  })
  @SWEEP_ID
  @ApiOkResponse({ type: SweepTrialPageResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND)
  async listSweepTrials(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Query() query: ListSweepTrialsQuery,
  ): Promise<SweepTrialPageResponse> {
    const sweep = await this.sweeps.get(principal, id);
    const page = await this.sweeps.trialsPage(sweep, query);
    return { items: page.items.map(toTrialResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'A sweep with its progress, trials, leaderboard and best trial' })
  @SWEEP_ID
  @ApiOkResponse({ type: SweepResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND)
  async getSweep(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<SweepResponse> {
    return this.respond(principal, await this.sweeps.get(principal, id), true);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('tasks:write')
  @ApiOperation({ summary: 'Stop a sweep and cancel each unfinished trial' })
  @SWEEP_ID
  @ApiOkResponse({ type: SweepResponse })
  @ApiProblems(REQUEST_LINE_PROBLEMS, NOT_FOUND, { 403: 'Viewers change nothing' })
  async cancelSweep(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
  ): Promise<SweepResponse> {
    return this.respond(principal, await this.sweeps.cancel(principal, id), true);
  }

  private async respond(
    principal: Principal,
    sweep: Sweep,
    withTrials: boolean,
  ): Promise<SweepResponse> {
    return toSweepResponse(sweep, await this.sweeps.trials(sweep), {
      showEnv: this.policy.canSeeSecrets(principal, sweep.ownerId),
      withTrials,
    });
  }
}
