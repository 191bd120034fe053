// Access tokens that were tampered with, forged or have expired.
import { decodeJwtPayload, signJwt, tamperJwt, unsignedJwt } from '../../support/jwt-forge';
import { AuthWorld, expectProblem, JWT_SECRET } from './auth-world';

export function forgedTokenScenarios(worldOf: () => AuthWorld): void {
  describe('forged and expired access tokens', () => {
    let as: AuthWorld['as'];
    let tokens: AuthWorld['tokens'];
    let ids: AuthWorld['ids'];

    beforeAll(() => {
      ({ as, tokens, ids } = worldOf());
    });

    const now = () => Math.floor(Date.now() / 1000);
    const withoutExp = ({ exp: _exp, ...rest }: Record<string, unknown>) => rest;
    let claims: Record<string, unknown>;

    beforeAll(() => {
      claims = decodeJwtPayload(tokens.alice);
    });

    it.each([
      ['a tampered payload', () => tamperJwt(tokens.alice, { sub: ids.bob })],
      [
        'an expired token',
        () => signJwt({ ...claims, iat: now() - 120, exp: now() - 60 }, JWT_SECRET),
      ],
      ['alg none', () => unsignedJwt({ ...claims })],
      ['a token without exp', () => signJwt(withoutExp(claims), JWT_SECRET)],
      [
        'an exp years beyond the configured lifetime',
        () => signJwt({ ...claims, iat: now(), exp: now() + 5 * 365 * 86400 }, JWT_SECRET),
      ],
      ['a token without iat', () => signJwt({ ...claims, iat: undefined }, JWT_SECRET)],
      ['a wrong audience', () => signJwt({ ...claims, aud: 'someone-else' }, JWT_SECRET)],
      ['a wrong issuer', () => signJwt({ ...claims, iss: 'someone-else' }, JWT_SECRET)],
      ['another algorithm (HS512)', () => signJwt({ ...claims }, JWT_SECRET, 'HS512')],
      ['another secret', () => signJwt({ ...claims }, 'an-attacker-secret-0123456789abcdef')],
      ['garbage', () => 'not.a.jwt'],
    ])('answers %s with 401 and the problem body', async (_name, forge) => {
      expectProblem(await as(forge()).GET('/api/v1/auth/me'), 401);
    });

    it('accepts a token signed like the real ones, so the rejections above are about the flaw', async () => {
      const me = await as(signJwt({ ...claims }, JWT_SECRET)).GET('/api/v1/auth/me');
      expect(me.response.status).toBe(200);
    });
  });
}
