// No secret in any response or log line; runs last, over everything the others sent.
import { AuthWorld } from './auth-world';

export function secretScenarios(worldOf: () => AuthWorld): void {
  describe('secrets', () => {
    let kiln: AuthWorld['kiln'];
    let ledger: AuthWorld['ledger'];

    beforeAll(() => {
      ({ kiln, ledger } = worldOf());
    });

    it('returns no password, hash or token in any response but the one that created it', () => {
      expect(ledger.secrets.size).toBeGreaterThan(20);
      const leaks = [...ledger.secrets.keys()].flatMap((secret) => ledger.leaksOf(secret));
      expect(leaks).toEqual([]);
      expect(ledger.responses.filter((response) => /\$argon2/.test(response.text))).toEqual([]);
    });

    it('writes no password, hash or token into any log line', () => {
      const text = kiln.logText();
      expect(text.length).toBeGreaterThan(0);
      const logged = [...ledger.secrets.keys()].filter((secret) => text.includes(secret));
      expect(logged).toEqual([]);
      expect(text).not.toMatch(/\$argon2|kiln_[A-Za-z0-9_-]{20}/);
    });
  });
}
