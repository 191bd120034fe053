// The admin a first start creates; each scenario starts its own Kiln.
import { ApiClient } from '../../support/api-client';
import type { TestApp } from '../../support/test-app';
import { ADMIN_PASSWORD, StartApp } from './auth-world';

export function firstStartScenarios(startApp: StartApp): void {
  const start = startApp;
  describe('first start', () => {
    let kiln: TestApp;

    afterEach(async () => {
      await kiln?.close();
    });

    it('creates an admin with a random password printed once in the log, which logs in', async () => {
      kiln = await start({ env: {} });
      const lines = kiln
        .logText()
        .split('\n')
        .filter((line) => line.includes('one-time password'));
      expect(lines).toHaveLength(1);
      const password = /one-time password (\S+)/.exec(lines[0])?.[1] ?? '';
      expect(lines[0]).toContain('change it');
      const api = new ApiClient(kiln.url);
      const session = await api.post('/auth/login', { username: 'admin', password });
      expect(session.status).toBe(200);
      expect(session.body.user.roles).toEqual(['admin']);
    });

    it('creates the admin from KILN_ADMIN_USERNAME / KILN_ADMIN_PASSWORD without logging the password', async () => {
      kiln = await start({
        env: { KILN_ADMIN_USERNAME: 'boss', KILN_ADMIN_PASSWORD: ADMIN_PASSWORD },
      });
      expect(kiln.logText()).not.toContain(ADMIN_PASSWORD);
      const api = new ApiClient(kiln.url);
      expect(
        (await api.post('/auth/login', { username: 'boss', password: ADMIN_PASSWORD })).status,
      ).toBe(200);
    });
  });
}
