// A webhook receiver for tests: records each request and answers with the next scripted
// status (200 once the script runs out). Tests await requests instead of sleeping.
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, any>;
}

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly waiters: Array<() => void> = [];
  private script: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const state: { receiver?: WebhookReceiver } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const receiver = state.receiver!;
        receiver.requests.push({ headers: request.headers, body, json: JSON.parse(body) });
        response.statusCode = receiver.script.shift() ?? 200;
        response.end();
        receiver.waiters.splice(0).forEach((wake) => wake());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    state.receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hook`);
    return state.receiver;
  }

  /** The statuses of the next answers, in order. */
  answerWith(...statuses: number[]): void {
    this.script = statuses;
  }

  /** Resolves once `count` requests have arrived in all. */
  async received(count: number, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${this.requests.length} of ${count} requests arrived`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests.slice(0, count);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A loopback URL nothing listens on. */
export async function deadUrl(): Promise<string> {
  const receiver = await WebhookReceiver.start();
  await receiver.close();
  return receiver.url;
}
