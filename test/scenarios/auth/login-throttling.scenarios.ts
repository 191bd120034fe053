// Login throttling per username and per IP; each scenario starts its own Kiln.
import { ApiClient } from '../../support/api-client';
import type { TestApp } from '../../support/test-app';
import { ADMIN_PASSWORD, expectProblem, StartApp } from './auth-world';

export function loginThrottlingScenarios(startApp: StartApp): void {
  const start = startApp;
  describe('login throttling', () => {
    let kiln: TestApp;
    let api: ApiClient;

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
      api = new ApiClient(kiln.url);
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(
          (await api.post('/auth/login', { username: 'admin', password: 'wrong password!' }))
            .status,
        ).toBe(401);
      }
      const throttled = await api.post('/auth/login', {
        username: 'ADMIN',
        password: ADMIN_PASSWORD,
      });
      expectProblem(throttled, 429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        (await api.post('/auth/login', { username: 'someone-else', password: 'x' })).status,
      ).toBe(401);
    });

    it('answers 429 with Retry-After once one IP has used up its attempts across usernames', async () => {
      kiln = await start({
        env: { KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '100', KILN_LOGIN_THROTTLE_IP_LIMIT: '3' },
      });
      api = new ApiClient(kiln.url);
      for (const username of ['u1', 'u2', 'u3']) {
        expect(
          (await api.post('/auth/login', { username, password: 'wrong password!' })).status,
        ).toBe(401);
      }
      const throttled = await api.post('/auth/login', {
        username: 'u4',
        password: 'wrong password!',
      });
      expectProblem(throttled, 429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
}
