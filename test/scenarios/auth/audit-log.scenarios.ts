// The audit log of logins, token changes and admin changes.
import { ApiResponse } from '../../support/api-client';
import { AuthWorld, PASSWORD } from './auth-world';
import { readAuditLog } from '../../support/audit-log';

export function auditLogScenarios(worldOf: () => AuthWorld): void {
  describe('audit log', () => {
    let kiln: AuthWorld['kiln'];
    let api: AuthWorld['api'];
    let tokens: AuthWorld['tokens'];
    let ids: AuthWorld['ids'];
    let login: AuthWorld['login'];

    beforeAll(() => {
      ({ kiln, api, tokens, ids, login } = worldOf());
    });

    it('records logins, failures, token changes and admin changes with actor, ip and request id', async () => {
      const failed = await login('alice', 'definitely wrong password');
      const created = await api.post('/auth/tokens', { name: 'audited' }, tokens.alice);
      await api.delete(`/auth/tokens/${created.body.id}`, tokens.alice);
      const events = await readAuditLog(kiln.app, 500);
      const byRequest = (response: ApiResponse) =>
        events.find((event) => event.requestId === response.headers.get('x-request-id'));

      expect(byRequest(failed)).toMatchObject({
        action: 'auth.login.failed',
        actorId: null,
        ip: '127.0.0.1',
        details: { username: 'alice' },
      });
      expect(byRequest(created)).toMatchObject({
        action: 'auth.api-token.created',
        actorId: ids.alice,
        targetId: created.body.id,
      });
      const actions = new Set(events.map((event) => event.action));
      for (const action of [
        'auth.login.succeeded',
        'auth.api-token.revoked',
        'auth.session.reuse-detected',
        'auth.session.logged-out',
        'auth.password.changed',
        'admin.user.created',
        'admin.user.updated',
        'admin.user.password-reset',
      ]) {
        expect(actions).toContain(action);
      }
      expect(JSON.stringify(events)).not.toContain(PASSWORD);
    });
  });
}
