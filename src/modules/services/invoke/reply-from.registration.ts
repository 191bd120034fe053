// Registers @fastify/reply-from on the HTTP server once, before it starts listening, so
// the invoke endpoint can proxy with `reply.from`. Its undici pools keep connections to
// replicas alive between invocations.
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance } from 'fastify';

/** Connections kept open to each replica. */
const CONNECTIONS_PER_REPLICA = 64;

@Injectable()
export class ReplyFromRegistration implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasReplyDecorator('from')) return;
    await fastify.register(replyFrom, {
      undici: { connections: CONNECTIONS_PER_REPLICA, pipelining: 1, keepAliveTimeout: 30_000 },
      // the replicas' own logs tell of their requests; Kiln's request log has the rest
      disableRequestLogging: true,
    });
  }
}
