import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiProblems,
  TOO_MANY_STREAMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { RequestTimeout } from '../../../common/http/request-timeout.decorator';
import { SseStream } from '../../../common/http/sse';
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
import { ServiceFeedEventResponse } from './dto/service-feed-event.response';
import { toFeedEventResponse } from './task.mapper';
import { TaskEventFeed } from '../events/task-event-feed';
import { ServiceEventPort, ServiceFeedRecord } from '../events/service-event-port';
import { FeedCursor, formatCursor, resumePointOf } from '../events/feed-cursor';
import { mergeByTime, FeedItem } from '../events/feed-item';

@ApiTags('tasks')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('events')
export class EventsController {
  constructor(
    private readonly taskFeed: TaskEventFeed,
    private readonly serviceEvents: ServiceEventPort,
    private readonly policy: OwnershipPolicy,
    private readonly streams: OpenStreams,
  ) {}

  @Get()
  @ApiExtraModels(FeedEventResponse, ServiceFeedEventResponse)
  @RequireScopes('tasks:read')
  @RequestTimeout(0)
  @ApiOperation({
    summary:
      'Server-Sent Events: changes of the tasks and model services the caller may see (resumes from Last-Event-ID)',
    description:
      'Each event is named by its kind: `status` and `progress` carry a FeedEventResponse, ' +
      '`service.<status>` (the status a service moved to) and `service.scaled` a ' +
      'ServiceFeedEventResponse. An event id is `<task event id>:<service event id>`, the ' +
      'position reached in both logs; sent back as Last-Event-ID it resumes both without ' +
      'loss or repeat. A bare task event id (as GET /tasks/{id}/events lists) resumes the ' +
      'task events after it, and service events from the reconnect on.',
  })
  @ApiOkResponse({
    description:
      'Server-Sent Events named by their kind; the data is a FeedEventResponse (task events) or a ServiceFeedEventResponse (service events)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems({
    400: 'taskId or serviceId is not a UUID, or kind names no event',
    429: TOO_MANY_STREAMS,
  })
  async streamEvents(
    @CurrentUser() principal: Principal,
    @Query() query: EventsQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const visible = (item: FeedItem) => {
      if (!this.policy.canSee(principal, item.record.ownerId)) return false;
      if (query.kind && !query.kind.includes(item.record.kind)) return false;
      return item.source === 'task'
        ? !query.serviceId && (!query.taskId || item.record.taskId === query.taskId)
        : !query.taskId && (!query.serviceId || item.record.serviceId === query.serviceId);
    };
    // Opened (and answered 200) only once both logs are followed, below: a client that
    // sees the stream up, then reads a list, misses no change made after that read.
    let stream: SseStream | undefined;
    const cursor: FeedCursor = { task: 0, service: 0 };
    const send = (item: FeedItem) => {
      cursor[item.source] = item.record.id;
      stream?.send({
        id: formatCursor(cursor),
        event: item.record.kind,
        data: item.source === 'task' ? toFeedEventResponse(item.record) : item.record,
      });
    };
    // Listen first and hold live events back while replaying, so none falls in between.
    let replaying = true;
    const replayedUpTo: FeedCursor = { task: 0, service: 0 };
    const held: FeedItem[] = [];
    const live = (item: FeedItem) => {
      if (!visible(item)) return;
      if (replaying) held.push(item);
      else if (item.record.id > replayedUpTo[item.source]) send(item);
    };
    const tasks = await this.taskFeed.follow((record: TaskEvent) =>
      live({ source: 'task', record }),
    );
    const services = await this.serviceEvents.source.follow((record: ServiceFeedRecord) =>
      live({ source: 'service', record }),
    );
    const unsubscribe = () => {
      tasks.unsubscribe();
      services.unsubscribe();
    };
    try {
      stream = this.streams.open(principal, () => new SseStream(request, reply));
    } catch (error) {
      unsubscribe(); // refused (too many streams): it must not leave a listener
      throw error;
    }
    // A client gone while subscribing has already aborted; it must not leave a listener.
    if (stream.signal.aborted) return unsubscribe();
    stream.signal.addEventListener('abort', unsubscribe);
    const resume = resumePointOf(request.headers['last-event-id']);
    cursor.task = resume?.task ?? tasks.position;
    cursor.service = resume?.service ?? services.position;
    for (const item of await this.replay(resume)) {
      replayedUpTo[item.source] = item.record.id;
      if (visible(item)) send(item);
    }
    for (const item of held) if (item.record.id > replayedUpTo[item.source]) send(item);
    for (const item of held)
      replayedUpTo[item.source] = Math.max(replayedUpTo[item.source], item.record.id);
    replaying = false;
  }

  /** What a reconnecting client missed in both logs, in the order it happened. */
  private async replay(resume: { task: number; service?: number } | undefined) {
    if (!resume) return [];
    const [tasks, services] = await Promise.all([
      this.taskFeed.replay(resume.task),
      resume.service === undefined ? [] : this.serviceEvents.source.replay(resume.service),
    ]);
    return mergeByTime(
      tasks.map((record): FeedItem => ({ source: 'task', record })),
      services.map((record): FeedItem => ({ source: 'service', record })),
    );
  }
}
