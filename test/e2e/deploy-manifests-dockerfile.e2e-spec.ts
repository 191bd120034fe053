// docker/Dockerfile builds a small, non-root production image.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, DOCKER_DIR, Tree } from '../support/deploy-files/deploy-files';
import { startScriptNodeFlags, heapBudgetMiB } from '../support/deploy-files/manifest-queries';

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1];
  const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Tree;

  it('builds in one stage and runs from another, on a Node base pinned by major version', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    // The current LTS line, inside the range package.json's engines declares.
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(packageJson.engines).toEqual({ node: expect.stringMatching(/>=22\.12\.0$/) });
    expect(stages.every((stage) => stage.startsWith('${NODE_IMAGE}'))).toBe(true);
    expect(stages[0]).toMatch(/apt-get install[^\n]*python3 make g\+\+/);
    expect(stages[0]).toContain('RUN npm ci');
    expect(stages[0]).toContain('npm run build');
  });

  it('bakes the commit and build id given as build arguments into the build', () => {
    const beforeBuild = stages[0].slice(0, stages[0].indexOf('RUN npm run build'));
    expect(beforeBuild).toMatch(/^ARG KILN_BUILD_COMMIT=/m);
    expect(beforeBuild).toMatch(/^ARG KILN_BUILD_ID=/m);
    expect(packageJson.scripts).toMatchObject({
      'build:server': expect.stringContaining('scripts/write-build-info.js'),
    });
  });

  it('installs every npm workspace before npm ci, and ships the web console the build made', () => {
    const beforeInstall = stages[0].slice(0, stages[0].indexOf('RUN npm ci'));
    for (const workspace of packageJson.workspaces as string[]) {
      expect(beforeInstall).toContain(`COPY ${workspace}/package.json ./${workspace}/`);
      expect(stages[0]).toContain(`COPY ${workspace} ./${workspace}`);
    }
    expect(runtime).toContain('COPY --from=build /app/web/dist ./web/dist');
  });

  it('ships production dependencies only', () => {
    expect(stages[0]).toContain('npm prune --omit=dev');
    expect(runtime).toContain('COPY --from=build /app/node_modules ./node_modules');
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it('runs node dist/main.js as a non-root user under tini, with NODE_ENV=production', () => {
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime).toMatch(/^ENV NODE_ENV=production/m);
    expect(runtime).toMatch(/apt-get install[^\n]*tini/);
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    const command = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]) as string[];
    expect(command).toEqual(['node', ...startScriptNodeFlags(), 'dist/main.js']);
    expect(packageJson.scripts['start:prod']).toContain(packageJson.scripts.start);
  });

  it('gives V8 a heap budget, so the heap does not grow towards the 4 GiB default', () => {
    expect(heapBudgetMiB()).toBeGreaterThanOrEqual(256);
  });

  it('exposes PORT and health-checks /health/live with node itself', () => {
    const port = /PORT=(\d+)/.exec(runtime)?.[1];
    expect(runtime).toContain(`EXPOSE ${port}`);
    expect(runtime).toMatch(
      /HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "fetch\(.*\/health\/live/,
    );
  });

  it('keeps local state and secrets out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', 'dist', 'data', '.git', 'coverage', '.env']),
    );
  });
});
