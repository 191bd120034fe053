// The delivery job processor (worker role): one signed POST per try. A try that fails
// throws, so the job queue retries it with its exponential backoff; the last failed try
// ends the delivery `failed` and counts toward disabling the webhook. Redirects are not
// followed: a 3xx counts as a failure, so a public URL cannot bounce Kiln inward.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { messageOf } from '../../../common/errors/message-of';
import { ProcessRole } from '../../../common/process/process-role';
import { KilnConfig } from '../../../config/kiln.config';
import { JOB_QUEUES, Job, JobQueues } from '../../../infra/jobs/job-queue.port';
import { DeliveriesRepository } from '../deliveries.repository';
import { WebhookDelivery } from '../webhook-delivery.entity';
import { WebhooksRepository } from '../webhooks.repository';
import { DeliveryOrder, WEBHOOK_JOB_QUEUE } from './delivery-job';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';
import { WebhookTargetGuard } from './webhook-target.guard';

/** Deliveries sent at once by one worker process. */
const SEND_CONCURRENCY = 8;
/** Kept of an error text in the delivery log. */
const ERROR_TEXT_LIMIT = 500;
/**
 * Each wait before a retry is shortened by up to this fraction, drawn per delivery, so
 * the deliveries a receiver's outage failed together do not all come back at once.
 */
export const RETRY_JITTER = 0.25;

class DeliveryFailed extends Error {}

interface TryOutcome {
  statusCode: number | null;
  error: string | null;
}

@Injectable()
export class WebhookSender implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @Inject(JOB_QUEUES) private readonly queues: JobQueues,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly targets: WebhookTargetGuard,
  ) {}

  onApplicationBootstrap(): void {
    if (!ProcessRole.of(this.config).runsWorkers) return;
    this.queues
      .get(WEBHOOK_JOB_QUEUE)
      .process<DeliveryOrder>((job) => this.send(job), { concurrency: SEND_CONCURRENCY });
  }

  /** Puts a delivery on the job queue; a delivery already waiting there is not doubled. */
  async enqueue(deliveryId: string): Promise<void> {
    await this.queues.get(WEBHOOK_JOB_QUEUE).add<DeliveryOrder>(
      'deliver',
      { deliveryId },
      {
        jobId: `webhook-delivery-${deliveryId}`,
        replaceFinished: true,
        attempts: this.config.webhooks.maxAttempts,
        backoff: {
          type: 'exponential',
          delayMs: this.config.webhooks.backoffMs,
          maxDelayMs: this.config.webhooks.backoffMaxMs,
          jitter: RETRY_JITTER,
        },
      },
    );
  }

  /**
   * Puts a delivery on the job queue if it is next of its task for its webhook; a later
   * one waits for the earlier to end, which then puts the next on the queue.
   */
  async enqueueInTurn(delivery: WebhookDelivery): Promise<void> {
    const head = await this.deliveries.headOf(delivery);
    await this.enqueue(head.id);
  }

  async send(job: Job<DeliveryOrder>): Promise<void> {
    const delivery = await this.deliveries.one(job.data.deliveryId);
    if (!delivery || delivery.status !== 'pending') return; // done, or its webhook deleted
    const webhook = await this.webhooks.one(delivery.webhookId);
    if (!webhook) return;
    if (!webhook.enabled) {
      await this.deliveries.setStatus(delivery.id, 'failed');
      await this.enqueueNextOfTask(delivery);
      return;
    }
    const started = Date.now();
    const outcome = await this.post(webhook.url, webhook.secret, delivery.id, delivery.payload);
    const retryComes = outcome.error !== null && job.retryDelayMs !== null;
    await this.deliveries.recordAttempt(
      {
        deliveryId: delivery.id,
        attempt: delivery.attempts + 1,
        statusCode: outcome.statusCode,
        durationMs: Date.now() - started,
        error: outcome.error,
      },
      retryComes ? new Date(Date.now() + job.retryDelayMs!) : null,
    );
    if (outcome.error === null) {
      await this.deliveries.setStatus(delivery.id, 'succeeded');
      await this.webhooks.recordSuccess(webhook.id);
      await this.enqueueNextOfTask(delivery);
      return;
    }
    if (retryComes) throw new DeliveryFailed(outcome.error);
    // the webhook's count first: whoever sees the delivery failed sees the count with it
    const disabled = await this.webhooks.recordFailure(
      webhook.id,
      this.config.webhooks.disableAfterFailures,
    );
    await this.deliveries.setStatus(delivery.id, 'failed');
    await this.enqueueNextOfTask(delivery);
    if (disabled) this.logger.warn({ webhookId: webhook.id }, 'webhook disabled after failures');
  }

  /** After a delivery of a task ends, the next one of that task goes out. */
  private async enqueueNextOfTask(delivery: WebhookDelivery): Promise<void> {
    const next = await this.deliveries.headOf(delivery);
    if (next.id !== delivery.id) await this.enqueue(next.id);
  }

  private async post(
    url: string,
    secret: string,
    deliveryId: string,
    payload: Record<string, unknown>,
  ): Promise<TryOutcome> {
    try {
      await this.targets.assertAllowed(url);
      const body = JSON.stringify(payload);
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Kiln-Webhooks',
          'kiln-delivery': deliveryId,
          'kiln-event': String(payload.type),
          [SIGNATURE_HEADER]: signatureHeader(secret, body),
        },
        body,
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) {
        return { statusCode: response.status, error: null };
      }
      return { statusCode: response.status, error: `the receiver answered ${response.status}` };
    } catch (error) {
      return { statusCode: null, error: describeFailure(error).slice(0, ERROR_TEXT_LIMIT) };
    }
  }
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a timeout). */
function describeFailure(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause ? `${messageOf(error)}: ${messageOf(cause)}` : messageOf(error);
}
