import { createHmac } from 'node:crypto';
import { newWebhookSecret, signatureHeader } from './webhook-signature';

describe('webhook signatures', () => {
  it('sign "<unix seconds>.<body>" with HMAC-SHA256 of the secret, Stripe style', () => {
    const at = new Date('2030-01-01T00:00:00Z');
    const header = signatureHeader('whsec_test', '{"a":1}', at);
    const expected = createHmac('sha256', 'whsec_test').update('1893456000.{"a":1}').digest('hex');
    expect(header).toBe(`t=1893456000,v1=${expected}`);
  });

  it('makes a different secret each time', () => {
    expect(newWebhookSecret()).not.toBe(newWebhookSecret());
  });
});
