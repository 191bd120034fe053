import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiProblems,
  TOO_MANY_STREAMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { RequestTimeout } from '../../../common/http/request-timeout.decorator';
import { SseStream, lastEventIdOf } from '../../../common/http/sse';
import {
  Auth,
  CurrentUser,
  OpenStreams,
  OwnershipPolicy,
  Principal,
  RequireScopes,
} from '../../auth';
import { EventsQuery } from './dto/events.query';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { FeedEventResponse } from './dto/task.response';
import { toFeedEventResponse } from './task.mapper';
import { TaskEventFeed } from '../events/task-event-feed';

@ApiTags('tasks')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('events')
export class EventsController {
  constructor(
    private readonly feed: TaskEventFeed,
    private readonly policy: OwnershipPolicy,
    private readonly streams: OpenStreams,
  ) {}

  @Get()
  @ApiExtraModels(FeedEventResponse)
  @RequireScopes('tasks:read')
  @RequestTimeout(0)
  @ApiOperation({
    summary:
      'Server-Sent Events: status and progress changes of the tasks the caller may see (resumes from Last-Event-ID)',
  })
  @ApiOkResponse({
    description: 'Server-Sent Events named by their kind; the data is a FeedEventResponse',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems({ 400: 'taskId is not a UUID', 429: TOO_MANY_STREAMS })
  async streamEvents(
    @CurrentUser() principal: Principal,
    @Query() query: EventsQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const visible = (event: TaskEvent) =>
      this.policy.canSee(principal, event.ownerId) &&
      (!query.taskId || event.taskId === query.taskId);
    const stream = this.streams.open(principal, () => new SseStream(request, reply));
    const send = (event: TaskEvent) =>
      stream.send({
        id: event.id,
        event: event.kind,
        data: toFeedEventResponse(event),
      });
    // Listen first and hold live events back while replaying, so none falls in between.
    let replayedUpTo = -1;
    const held: TaskEvent[] = [];
    const unsubscribe = await this.feed.subscribe((event) => {
      if (!visible(event)) return;
      if (replayedUpTo < 0) held.push(event);
      else if (event.id > replayedUpTo) send(event);
    });
    // A client gone while subscribing has already aborted; it must not leave a listener.
    if (stream.signal.aborted) return unsubscribe();
    stream.signal.addEventListener('abort', unsubscribe);
    const after = lastEventIdOf(request);
    let last = 0;
    if (after !== undefined) {
      for (const event of await this.feed.replay(after)) {
        if (visible(event)) send(event);
        last = event.id;
      }
    }
    for (const event of held) if (event.id > last) send(event);
    replayedUpTo = Math.max(last, ...held.map((event) => event.id));
  }
}
