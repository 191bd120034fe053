// Registers @fastify/reply-from on the HTTP server once, before it starts listening, so
// the invoke endpoint can proxy with `reply.from`. Its undici pools keep connections to
// replicas alive between invocations. The registration is queued, not awaited: awaiting
// it would boot Fastify's plugin tree in the middle of Nest's init, before Nest installs
// its error handler, and Fastify's own errors (415, 413, bad JSON) would then skip the
// problem+json filter.
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance } from 'fastify';

/** Connections kept open to each replica. */
const CONNECTIONS_PER_REPLICA = 64;

const registered = new WeakSet<FastifyInstance>();

@Injectable()
export class ReplyFromRegistration implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || registered.has(fastify)) return;
    registered.add(fastify);
    void fastify.register(replyFrom, {
      undici: { connections: CONNECTIONS_PER_REPLICA, pipelining: 1, keepAliveTimeout: 30_000 },
      // the replicas' own logs tell of their requests; Kiln's request log has the rest
      disableRequestLogging: true,
    });
  }
}
