// The admin a first start creates; each scenario starts its own Kiln.
import { unwrap } from '@kiln/client';
import { clientAs } from '../../support/kiln-clients';
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
      const session = await unwrap(
        clientAs(kiln.url).api.POST('/api/v1/auth/login', {
          body: { username: 'admin', password },
        }),
      );
      expect(session.user.roles).toEqual(['admin']);
    });

    it('creates the admin from KILN_ADMIN_USERNAME / KILN_ADMIN_PASSWORD without logging the password', async () => {
      kiln = await start({
        env: { KILN_ADMIN_USERNAME: 'boss', KILN_ADMIN_PASSWORD: ADMIN_PASSWORD },
      });
      expect(kiln.logText()).not.toContain(ADMIN_PASSWORD);
      const login = await clientAs(kiln.url).api.POST('/api/v1/auth/login', {
        body: { username: 'boss', password: ADMIN_PASSWORD },
      });
      expect(login.response.status).toBe(200);
    });
  });
}
