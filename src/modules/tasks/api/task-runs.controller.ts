// What a task's runs produce: logs (text and live SSE), metrics (read by users, written
// by the run itself with its KILN_RUN_TOKEN) and artifacts.
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Logger,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  REQUEST_LINE_PROBLEMS,
  TOO_MANY_STREAMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { Public } from '../../../common/decorators/public.decorator';
import { RequestTimeout } from '../../../common/http/request-timeout.decorator';
import { SseStream, lastEventIdOf } from '../../../common/http/sse';
import { Auth, CurrentUser, OpenStreams, Principal, RequireScopes } from '../../auth';
import { ArtifactNotFoundError } from '../artifacts/artifact-not-found.error';
import { ArtifactStore } from '../artifacts/artifact-store';
import { ARTIFACT_MEDIA_TYPES } from '../artifacts/content-type';
import { ArtifactsQuery } from './dto/artifacts.query';
import { ArtifactListingResponse } from './dto/artifact-listing.response';
import { LogsQuery } from './dto/logs.query';
import { LogStreamQuery } from './dto/log-stream.query';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { MetricsQuery } from '../training-metrics/dto/metrics.query';
import { TaskMetricsResponse } from '../training-metrics/dto/metric-series.response';
import { ReportMetricsDto } from '../training-metrics/dto/report-metrics.dto';
import { toMetricPoints, toTaskMetricsResponse } from '../training-metrics/task-metrics.mapper';
import { TaskMetricsService } from '../training-metrics/task-metrics.service';
import { RunAuth } from '../runs/run-auth.service';
import { TaskLogsService } from '../runs/task-logs.service';
import { TaskRunReporter } from '../runs/task-run-reporter';
import { Task } from '../persistence/entities/task.entity';
import { TaskEventFeed } from '../events/task-event-feed';
import { isFinal, TaskStatus } from '../lifecycle/task-status';
import { TaskWatch } from '../events/task-watch';
import { TasksService } from './tasks.service';
import { TASK_ID, TASK_NOT_FOUND } from './task-api';

const ID = new ParseUUIDPipe({ version: '4' });
/** How long a log stream waits for a pending task to start before it gives up. */
const STREAM_START_WAIT_MS = 10 * 60_000;
/**
 * How long the stream waits, after the output ended, for the task to move on from the
 * attempt (to a final status, or to a retry).
 */
const END_SETTLE_WAIT_MS = 15_000;
/** How often a log stream looks for the handle of a run that is being launched. */
const LAUNCH_POLL_MS = 250;

@ApiTags('tasks')
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('tasks')
export class TaskRunsController {
  private readonly logger = new Logger(TaskRunsController.name);

  constructor(
    private readonly tasks: TasksService,
    private readonly logs: TaskLogsService,
    private readonly metrics: TaskMetricsService,
    private readonly artifacts: ArtifactStore,
    private readonly runAuth: RunAuth,
    private readonly reporter: TaskRunReporter,
    private readonly streams: OpenStreams,
    private readonly feed: TaskEventFeed,
  ) {}

  @Get(':id/logs')
  @Auth()
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'An attempt’s log lines as text (X-Kiln-Next-Line continues it)' })
  @ApiOkResponse({
    description: 'Log lines, each ending in a newline',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND)
  async readTaskLogs(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Query() query: LogsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const attempt = await this.tasks.attempt(principal, id, query.attempt);
    const page = await this.logs.read(attempt, query);
    reply.header('content-type', 'text/plain; charset=utf-8');
    reply.header('x-kiln-next-line', String(page.nextLine));
    return page.lines.length ? `${page.lines.join('\n')}\n` : '';
  }

  @Get(':id/logs/stream')
  @Auth()
  @RequireScopes('tasks:read')
  @RequestTimeout(0)
  @ApiOperation({
    summary: 'Follow one attempt’s log as Server-Sent Events; ends when that attempt has ended',
  })
  @ApiOkResponse({
    description:
      'Server-Sent Events: `attempt` (`{"attempt": n}`, the attempt followed) once it has a run, ' +
      'one `message` per log line (its id is the line number in that attempt), then `end` ' +
      '(`{"status", "attempt"}`: the task’s status once it moved on from the attempt; a status ' +
      'that is not final means another attempt follows). A task that ends before the attempt ' +
      'runs sends only `end`.',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND, { 429: TOO_MANY_STREAMS })
  async streamTaskLogs(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Query() query: LogStreamQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.tasks.get(principal, id); // 404 before the stream opens
    const stream = this.streams.open(principal, () => new SseStream(request, reply));
    const resumeAt = lastEventIdOf(request);
    const watch = await TaskWatch.open(this.feed, id);
    try {
      const attempt = await this.waitForRun(principal, id, query.attempt, watch, stream.signal);
      if (attempt?.handle) {
        stream.send({ event: 'attempt', data: { attempt: attempt.number } });
        let line = resumeAt === undefined ? 0 : resumeAt + 1;
        for await (const text of this.logs.follow(attempt, line, stream.signal)) {
          stream.send({ id: line++, data: text });
        }
      }
      // the output ends when the process does; the task moves on a moment later
      const number = attempt?.number ?? query.attempt;
      const task = await this.waitForAttemptEnd(principal, id, number, watch, stream.signal);
      stream.send({ event: 'end', data: { status: task.status, attempt: number ?? task.attempt } });
    } catch (error) {
      this.logger.warn({ err: error, taskId: id }, 'log stream failed');
      if (!stream.signal.aborted)
        stream.send({ event: 'error', data: { detail: 'The log stream failed.' } });
    } finally {
      watch.close();
      stream.close();
    }
  }

  @Get(':id/metrics')
  @Auth()
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'Metric series of an attempt, each downsampled to maxPoints' })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND)
  async readTaskMetrics(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Query() query: MetricsQuery,
  ): Promise<TaskMetricsResponse> {
    await this.tasks.get(principal, id);
    return toTaskMetricsResponse(await this.metrics.series(id, query));
  }

  @Post(':id/metrics')
  @Public()
  @HttpCode(202)
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, {
    401: 'Not the run token of a running attempt of this task',
  })
  @ApiOperation({
    summary: 'For the run itself: report metric points and progress (Bearer KILN_RUN_TOKEN)',
  })
  async reportTaskMetrics(
    @Param('id', ID) id: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: ReportMetricsDto,
  ): Promise<void> {
    const attempt = await this.runAuth.verify(id, authorization);
    this.metrics.record(id, attempt.number, toMetricPoints(body, new Date()));
    if (body.progress !== undefined) {
      await this.reporter.saveProgress({ taskId: id, attempt: attempt.number }, body.progress);
    }
  }

  @Get(':id/artifacts')
  @Auth()
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'Files the latest (or given) attempt wrote to KILN_OUTPUT_DIR' })
  @TASK_ID
  @ApiProblems(REQUEST_LINE_PROBLEMS, TASK_NOT_FOUND)
  async listTaskArtifacts(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Query() query: ArtifactsQuery,
  ): Promise<ArtifactListingResponse> {
    const attempt = await this.tasks.attempt(principal, id, query.attempt);
    const outputDir = attempt?.handle?.outputDir;
    if (!outputDir) return { attempt: attempt?.number ?? null, entries: [], truncated: false };
    return { attempt: attempt.number, ...(await this.artifacts.list(outputDir)) };
  }

  @Get(':id/artifacts/*')
  @Auth()
  @RequireScopes('tasks:read')
  @RequestTimeout(0)
  @ApiOperation({ summary: 'Download one artifact of the latest attempt' })
  @ApiOkResponse({
    description: 'The file; its media type follows its extension',
    content: Object.fromEntries(
      ARTIFACT_MEDIA_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @TASK_ID
  @ApiParam({ name: 'path', description: 'File path relative to KILN_OUTPUT_DIR', type: String })
  @ApiProblems(REQUEST_LINE_PROBLEMS, {
    404: 'No such task (or not the caller’s), or no such file in the run’s output directory',
  })
  async downloadTaskArtifact(
    @CurrentUser() principal: Principal,
    @Param('id', ID) id: string,
    @Req() request: FastifyRequest<{ Params: { '*': string } }>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    // the rest of the URL after artifacts/, slashes included (Fastify's wildcard)
    const path = request.params['*'];
    const attempt = await this.tasks.attempt(principal, id);
    const outputDir = attempt?.handle?.outputDir;
    if (!outputDir) throw new ArtifactNotFoundError(path ?? '');
    const artifact = await this.artifacts.open(outputDir, path ?? '');
    reply.header('x-content-type-options', 'nosniff');
    // Returned, not sent: a reply sent here and returned too would be sent twice, and the
    // second send fails once the first has written its headers.
    return new StreamableFile(artifact.stream, {
      type: artifact.contentType,
      length: artifact.sizeBytes,
      disposition: 'attachment',
    });
  }

  /**
   * The attempt to follow (`wanted`, else the latest), once it has a run with a handle or
   * the task has ended. A pending or queued task is re-read only when its events say it
   * changed, not on a timer.
   */
  private async waitForRun(
    principal: Principal,
    id: string,
    wanted: number | undefined,
    watch: TaskWatch,
    signal: AbortSignal,
  ): Promise<TaskAttempt | null> {
    const deadline = Date.now() + STREAM_START_WAIT_MS;
    for (;;) {
      const task = await this.tasks.get(principal, id);
      const started = wanted === undefined || task.attempt >= wanted;
      const attempt = started ? await this.tasks.attemptOf(task, wanted) : null;
      if (isFinal(task.status) || attempt?.handle || signal.aborted || Date.now() >= deadline)
        return attempt;
      // A launching run's handle is stored just after its 'running' event, with no event
      // of its own, so that short window is polled.
      const launching = task.status === TaskStatus.Running || task.status === TaskStatus.Cancelling;
      await watch.next(launching ? LAUNCH_POLL_MS : deadline - Date.now(), signal);
    }
  }

  /**
   * The task once it has moved on from attempt `number` (a final status, or a retry that
   * waits or runs), or as it is when END_SETTLE_WAIT_MS runs out.
   */
  private async waitForAttemptEnd(
    principal: Principal,
    id: string,
    number: number | undefined,
    watch: TaskWatch,
    signal: AbortSignal,
  ): Promise<Task> {
    const deadline = Date.now() + END_SETTLE_WAIT_MS;
    let task = await this.tasks.get(principal, id);
    while (!movedOn(task, number) && !signal.aborted && Date.now() < deadline) {
      await watch.next(deadline - Date.now(), signal);
      task = await this.tasks.get(principal, id);
    }
    return task;
  }
}

/** Whether the task is past attempt `number`: ended, or on to a retry of it. */
function movedOn(task: Task, number: number | undefined): boolean {
  if (isFinal(task.status)) return true;
  if (number === undefined) return false;
  const onThisRun = task.status === TaskStatus.Running || task.status === TaskStatus.Cancelling;
  return task.attempt > number || !onThisRun;
}
