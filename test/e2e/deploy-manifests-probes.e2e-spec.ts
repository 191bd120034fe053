// The probe paths in the deployment files are routes the app serves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';
import { DOCKER_DIR, loadManifests } from '../support/deploy-files/deploy-files';
import { ofKind, kilnContainerOf } from '../support/deploy-files/manifest-queries';

describe('the probe paths in docker/ are routes the app serves', () => {
  const manifests = loadManifests();
  const probePaths = [
    ...new Set(
      ofKind(manifests, 'Deployment')
        .map(kilnContainerOf)
        .flatMap((container) =>
          ['livenessProbe', 'readinessProbe', 'startupProbe'].map(
            (probe) => container[probe].httpGet.path as string,
          ),
        ),
    ),
  ];

  describe.each(['api', 'worker'])('KILN_ROLE=%s', (role) => {
    let kiln: TestApp;

    beforeAll(async () => {
      kiln = await startTestApp({ env: { KILN_ROLE: role } });
    });

    afterAll(async () => {
      await kiln?.close();
    });

    it.each(probePaths)('answers GET %s with 200', async (path) => {
      const response = await fetch(`${kiln.url}${path}`);
      expect(response.status).toBe(200);
    });

    it('answers the Dockerfile HEALTHCHECK path and /metrics with 200', async () => {
      const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
      const healthcheckPath = /HEALTHCHECK[\s\S]*?(\/health\/\w+)/.exec(dockerfile)?.[1];
      expect(healthcheckPath).toBe('/health/live');
      expect((await fetch(`${kiln.url}${healthcheckPath}`)).status).toBe(200);
      expect((await fetch(`${kiln.url}/metrics`)).status).toBe(200);
    });
  });
});
