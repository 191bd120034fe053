// Login throttling per username and per IP; each scenario starts its own Kiln.
import { clientAs } from '../../support/kiln-clients';
import type { TestApp } from '../../support/test-app';
import { ADMIN_PASSWORD, expectProblem, StartApp } from './auth-world';

export function loginThrottlingScenarios(startApp: StartApp): void {
  const start = startApp;
  describe('login throttling', () => {
    let kiln: TestApp;
    const login = (username: string, password: string) =>
      clientAs(kiln.url).api.POST('/api/v1/auth/login', { body: { username, password } });

    afterEach(async () => {
      await kiln?.close();
    });

    it('answers 429 with Retry-After once a username has used up its attempts, even with the right password', async () => {
      kiln = await start({
        env: {
          KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
          KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '3',
          KILN_LOGIN_THROTTLE_IP_LIMIT: '100',
        },
      });
      for (let attempt = 0; attempt < 3; attempt++) {
        expect((await login('admin', 'wrong password!')).response.status).toBe(401);
      }
      const throttled = await login('ADMIN', ADMIN_PASSWORD);
      expectProblem(throttled, 429);
      expect(Number(throttled.response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login('someone-else', 'x')).response.status).toBe(401);
    });

    it('answers 429 with Retry-After once one IP has used up its attempts across usernames', async () => {
      kiln = await start({
        env: { KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '100', KILN_LOGIN_THROTTLE_IP_LIMIT: '3' },
      });
      for (const username of ['u1', 'u2', 'u3']) {
        expect((await login(username, 'wrong password!')).response.status).toBe(401);
      }
      const throttled = await login('u4', 'wrong password!');
      expectProblem(throttled, 429);
      expect(Number(throttled.response.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
}
