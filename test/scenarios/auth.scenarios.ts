// The auth scenarios, written once and run twice: on the embedded default
// (test/e2e/auth.e2e-spec.ts) and on PostgreSQL (test/integration/auth.int-spec.ts).
// The groups share one running Kiln, started once, and run in this order: the secrets
// group last, since it checks everything the others sent and logged.
import { apiTokenScenarios } from './auth/api-tokens.scenarios';
import { auditLogScenarios } from './auth/audit-log.scenarios';
import { AuthWorld, StartApp, startAuthWorld } from './auth/auth-world';
import { forgedTokenScenarios } from './auth/forged-tokens.scenarios';
import { ownershipScenarios } from './auth/ownership.scenarios';
import { secretScenarios } from './auth/secrets.scenarios';
import { sessionScenarios } from './auth/sessions.scenarios';
import { userAdministrationScenarios } from './auth/user-administration.scenarios';

export function authScenarios(start: StartApp): void {
  describe('sessions, tokens, roles and administration', () => {
    let world: AuthWorld;

    beforeAll(async () => {
      world = await startAuthWorld(start);
    });

    afterAll(async () => {
      await world?.kiln.close();
    });

    const worldOf = () => world;
    sessionScenarios(worldOf);
    forgedTokenScenarios(worldOf);
    ownershipScenarios(worldOf);
    apiTokenScenarios(worldOf);
    userAdministrationScenarios(worldOf);
    auditLogScenarios(worldOf);
    secretScenarios(worldOf);
  });
}
