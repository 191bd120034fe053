// Server-Sent Events over Fastify's raw response. Nest's @Sse() cannot send comments
// (heartbeats) or end a stream from the server side cleanly, so streams take over the
// response themselves after every check (auth, ownership, validation) has passed.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SseMessage {
  id?: string | number;
  event?: string;
  data: unknown;
}

const HEARTBEAT_MS = 15_000;

export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  readonly abort = new AbortController();

  constructor(
    request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // tell nginx-style proxies not to buffer the stream
      'x-request-id': String(request.id),
    });
    reply.raw.write('retry: 2000\n\n');
    this.heartbeat = setInterval(() => this.comment('heartbeat'), HEARTBEAT_MS);
    // A write racing the client's disconnect fails on the socket; the stream just ends.
    reply.raw.on('error', () => this.close());
    reply.raw.on('close', () => this.close());
    request.raw.on('close', () => this.close());
    // Gone before the stream opened (while the caller was subscribing): no close comes.
    if (request.raw.socket?.destroyed) this.close();
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(message: SseMessage): void {
    if (this.closed) return;
    const data = typeof message.data === 'string' ? message.data : JSON.stringify(message.data);
    let frame = '';
    if (message.id !== undefined) frame += `id: ${message.id}\n`;
    if (message.event) frame += `event: ${message.event}\n`;
    for (const line of data.split(/\r?\n/)) frame += `data: ${line}\n`;
    this.write(`${frame}\n`);
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  private write(chunk: string): void {
    if (this.closed || !this.reply.raw.writable) return this.close();
    this.reply.raw.write(chunk);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.abort.abort();
    this.reply.raw.end();
  }
}

/** The Last-Event-ID a reconnecting client sent, as a non-negative integer. */
export function lastEventIdOf(request: FastifyRequest): number | undefined {
  const header = request.headers['last-event-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
