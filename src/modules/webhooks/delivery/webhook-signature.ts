// Every request is signed the way Stripe signs its webhooks, so receivers can reuse
// known code: `Kiln-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
// The time inside the signed text lets a receiver refuse replays by age.
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'Kiln-Signature';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureHeader(secret: string, body: string, at = new Date()): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}
