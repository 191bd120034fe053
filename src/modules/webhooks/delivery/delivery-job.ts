// The job that carries one delivery to the sender; the delivery row is the truth.
export const WEBHOOK_JOB_QUEUE = 'webhook-deliveries';

export interface DeliveryOrder {
  deliveryId: string;
}
