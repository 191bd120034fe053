import { KilnConfig } from '../../../config/kiln.config';
import { isPublic, PrivateTargetError, WebhookTargetGuard } from './webhook-target.guard';

function guard(allowPrivateTargets: boolean): WebhookTargetGuard {
  return new WebhookTargetGuard({ webhooks: { allowPrivateTargets } } as KilnConfig);
}

describe('WebhookTargetGuard', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.0.0.5/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fd00::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
  ])('refuses %s, a target inside Kiln’s own network, naming the field', async (url) => {
    const refusal = guard(false).assertAllowed(url);
    await expect(refusal).rejects.toBeInstanceOf(PrivateTargetError);
    await expect(refusal).rejects.toMatchObject({ fieldProblems: [{ field: 'url' }] });
  });

  it('takes a private target when the setting allows it', async () => {
    await expect(guard(true).assertAllowed('http://127.0.0.1/hook')).resolves.toBeUndefined();
  });

  it('counts public unicast addresses as public, and nothing else', () => {
    expect(isPublic('8.8.8.8')).toBe(true);
    expect(isPublic('2001:4860:4860::8888')).toBe(true);
    expect(isPublic('100.64.0.1')).toBe(false);
    expect(isPublic('172.16.0.1')).toBe(false);
  });
});
