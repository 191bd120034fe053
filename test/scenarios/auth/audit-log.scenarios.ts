// The audit log of logins, token changes and admin changes.
import { AuthWorld, PASSWORD } from './auth-world';
import { readAuditLog } from '../../support/audit-log';

export function auditLogScenarios(worldOf: () => AuthWorld): void {
  describe('audit log', () => {
    let kiln: AuthWorld['kiln'];
    let as: AuthWorld['as'];
    let tokens: AuthWorld['tokens'];
    let ids: AuthWorld['ids'];
    let login: AuthWorld['login'];

    beforeAll(() => {
      ({ kiln, as, tokens, ids, login } = worldOf());
    });

    it('records logins, failures, token changes and admin changes with actor, ip and request id', async () => {
      const failed = await login('alice', 'definitely wrong password');
      const alice = as(tokens.alice);
      const created = await alice.POST('/api/v1/auth/tokens', { body: { name: 'audited' } });
      const id = created.data!.id;
      await alice.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id } } });
      const events = await readAuditLog(kiln.app, 500);
      const byRequest = (answer: { response: Response }) =>
        events.find((event) => event.requestId === answer.response.headers.get('x-request-id'));

      expect(byRequest(failed)).toMatchObject({
        action: 'auth.login.failed',
        actorId: null,
        ip: '127.0.0.1',
        details: { username: 'alice' },
      });
      expect(byRequest(created)).toMatchObject({
        action: 'auth.api-token.created',
        actorId: ids.alice,
        targetId: id,
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
