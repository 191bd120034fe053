// docker/compose.yaml runs Kiln for production and agrees with its config.
import { join } from 'node:path';
import { DOCKER_DIR, Tree, readYamlFile } from '../support/deploy-files/deploy-files';
import { kilnVariables, shutdownGraceSeconds } from '../support/deploy-files/manifest-queries';

describe('docker/compose.yaml', () => {
  const compose = readYamlFile(join(DOCKER_DIR, 'compose.yaml'));
  const services = compose.services as Record<string, Tree>;
  const kilnServices = ['migrate', 'api', 'worker'];

  it('builds api, worker and migrate from one image of docker/Dockerfile', () => {
    const builds = kilnServices.map((name) => services[name].build);
    expect(builds[0]).toEqual({
      context: '..',
      dockerfile: 'docker/Dockerfile',
      // the image names the build it came from (the system view shows it)
      args: { KILN_BUILD_COMMIT: '${KILN_BUILD_COMMIT:-}', KILN_BUILD_ID: '${KILN_BUILD_ID:-}' },
    });
    expect(builds).toEqual([builds[0], builds[0], builds[0]]);
    const images = kilnServices.map((name) => services[name].image);
    expect(new Set(images).size).toBe(1);
  });

  it('runs the api and the worker roles', () => {
    expect(services.api.environment.KILN_ROLE).toBe('api');
    expect(services.worker.environment.KILN_ROLE).toBe('worker');
    expect(services.api.ports).toEqual(['3000:3000']);
    expect(services.worker.ports).toBeUndefined();
  });

  it('configures Kiln for production on PostgreSQL and Redis, with variables Kiln reads', () => {
    const known = kilnVariables();
    for (const name of kilnServices) {
      const environment = services[name].environment as Record<string, string>;
      expect(environment).toMatchObject({
        NODE_ENV: 'production',
        KILN_DATABASE_URL: expect.stringMatching(/^postgres:\/\/.+@postgres:5432\//),
        KILN_REDIS_URL: 'redis://redis:6379',
        KILN_DATABASE_MIGRATE_ON_BOOT: 'false',
      });
      expect(Object.keys(environment).filter((variable) => !known.has(variable))).toEqual([]);
    }
  });

  it('reads an optional .env at the repository root', () => {
    for (const name of kilnServices) {
      expect(services[name].env_file).toEqual([{ path: '../.env', required: false }]);
    }
  });

  it('runs Redis with noeviction and an append-only file, on a volume', () => {
    const command = (services.redis.command as string[]).join(' ');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly yes');
    expect(services.redis.volumes).toEqual([expect.stringMatching(/^redis-data:\/data$/)]);
  });

  it('health-checks PostgreSQL and Redis and keeps their data in named volumes', () => {
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(services.redis.healthcheck.test.join(' ')).toContain('redis-cli ping');
    expect(Object.keys(compose.volumes as Tree)).toEqual(
      expect.arrayContaining(['postgres-data', 'redis-data']),
    );
  });

  it('migrates once, and starts api and worker only after healthy stores and migrations', () => {
    expect(services.migrate.command).toEqual(['node', 'dist/migrate.js']);
    expect(services.migrate.restart).toBe('no');
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('lets Kiln drain before Docker kills it (stop_grace_period > drain delay + grace)', () => {
    for (const name of ['api', 'worker']) {
      const environment = services[name].environment;
      const graceSeconds =
        shutdownGraceSeconds(environment) +
        Number(environment.KILN_SHUTDOWN_DRAIN_DELAY_MS ?? 0) / 1000;
      const stopSeconds = Number(/^(\d+)s$/.exec(services[name].stop_grace_period)?.[1]);
      expect(stopSeconds).toBeGreaterThan(graceSeconds);
    }
  });
});
