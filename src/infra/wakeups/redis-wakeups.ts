// Wakes over Redis pub/sub, so the leader hears a submit made on an api replica and a
// run ended on a worker. Publishing is best effort and batched; subscribing happens in
// the background, so a Redis outage at boot does not hold the app up.
//
// A replica calls its own listeners at once and hears its own messages back from Redis
// too; each message names the replica that sent it, so that echo is dropped instead of
// calling every listener (an emptied cache, a stream check) a second time.
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { LocalListeners } from './local-listeners';
import { Wakeups } from './wakeups.port';

/** A burst of wakes publishes each topic once per this many ms, not once per wake. */
const PUBLISH_COALESCE_MS = 20;

export class RedisWakeups implements Wakeups {
  readonly driver = 'redis';
  private readonly logger = new Logger('Wakeups');
  private readonly listeners = new LocalListeners();
  private readonly pendingPublish = new Set<string>();
  private publishTimer?: NodeJS.Timeout;
  /** Names this replica's messages: "<origin> <topic>". */
  private readonly origin = randomUUID();

  /**
   * `publisher` is a shared connection; `subscriber` is this driver's own, since a
   * subscribed connection can do nothing else.
   */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {}

  on(topic: string, listener: () => void): void {
    this.listeners.add(topic, listener);
  }

  wake(topic: string): void {
    this.listeners.call(topic);
    this.pendingPublish.add(topic);
    this.publishTimer ??= setTimeout(() => this.publish(), PUBLISH_COALESCE_MS);
  }

  start(): void {
    this.subscriber.on('message', (_channel: string, message: string) => {
      const { origin, topic } = parseMessage(message);
      if (origin !== this.origin) this.listeners.call(topic);
    });
    void this.subscriber
      .subscribe(this.channel)
      .catch((error) => this.logger.warn({ err: error }, 'cannot subscribe to wakes'));
  }

  stop(): void {
    clearTimeout(this.publishTimer);
    this.subscriber.disconnect();
  }

  private publish(): void {
    this.publishTimer = undefined;
    for (const topic of this.pendingPublish) {
      // best effort: the leader's interval tick catches anything a lost wake missed
      this.publisher.publish(this.channel, `${this.origin} ${topic}`).catch(() => undefined);
    }
    this.pendingPublish.clear();
  }
}

/** A message's sender and topic; a bare topic is a message of a replica from before senders were named. */
function parseMessage(message: string): { origin?: string; topic: string } {
  const space = message.indexOf(' ');
  if (space < 0) return { topic: message };
  return { origin: message.slice(0, space), topic: message.slice(space + 1) };
}
