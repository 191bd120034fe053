import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, LOADER_VARIABLES, loadConfig } from './config.loader';
import { envBindings } from './env.decorator';
import { KilnConfig } from './kiln.config';

const load = (env: Record<string, string> = {}) => loadConfig({ env, dotenvPath: null });

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives every setting its default from config/default.yaml on an empty environment', () => {
    const config = load();
    expect(config.http.port).toBe(3000);
    expect(config.dataDir).toBe('./data');
    expect(config.database.url).toBe('');
    expect(config.redis.url).toBe('');
  });

  it('applies config/<NODE_ENV>.yaml over the defaults', () => {
    expect(load({ NODE_ENV: 'development' }).log.format).toBe('pretty');
    expect(
      load({
        NODE_ENV: 'production',
        KILN_JWT_SECRET: 'x'.repeat(40),
        KILN_REDIS_URL: 'redis://r:6379',
      }).log.format,
    ).toBe('json');
  });

  it('lets environment variables override both files, converted to the field type', () => {
    const config = load({
      NODE_ENV: 'development',
      PORT: '8080',
      KILN_LOG_FORMAT: 'json',
      KILN_HTTP_TRUST_PROXY: 'true',
    });
    expect(config.http.port).toBe(8080);
    expect(config.log.format).toBe('json');
    expect(config.http.trustProxy).toBe(true);
  });

  it('takes values from a .env file only where the environment has none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-dotenv-'));
    const dotenvPath = join(dir, '.env');
    writeFileSync(dotenvPath, 'PORT=4000\nKILN_LOG_LEVEL=debug\n');
    const config = loadConfig({ env: { PORT: '5000' }, dotenvPath });
    expect(config.http.port).toBe(5000);
    expect(config.log.level).toBe('debug');
  });

  it('merges KILN_CONFIG_FILE over the YAML files and under the variables', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kiln-config-file-')), 'kiln.yaml');
    writeFileSync(
      path,
      [
        'http: { port: 4100 }',
        'tasks:',
        '  queues:',
        '    - { name: gpu, executor: kubernetes, maxRunning: 2, maxGpus: 8 }',
      ].join('\n'),
    );
    const config = load({ KILN_CONFIG_FILE: path, KILN_DEFAULT_QUEUE: 'gpu' });
    expect(config.tasks.queues.map((queue) => queue.name)).toEqual(['gpu']);
    expect(config.tasks.defaultQueue).toBe('gpu');
    expect(config.http.port).toBe(4100);
    expect(
      load({ KILN_CONFIG_FILE: path, KILN_DEFAULT_QUEUE: 'gpu', PORT: '4200' }).http.port,
    ).toBe(4200);
  });

  it('stops with a clear message when KILN_CONFIG_FILE does not exist', () => {
    expect(problemsOf({ KILN_CONFIG_FILE: '/nonexistent/kiln.yaml' })).toEqual([
      'KILN_CONFIG_FILE: /nonexistent/kiln.yaml does not exist',
    ]);
  });

  it('refuses a default queue that is not configured', () => {
    expect(problemsOf({ KILN_DEFAULT_QUEUE: 'nowhere' })).toEqual([
      'KILN_DEFAULT_QUEUE (tasks.defaultQueue): must name a queue of tasks.queues (default)',
    ]);
  });

  it('names the variable and the key of every invalid value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      KILN_DATABASE_URL: 'mysql://x',
      KILN_LOG_LEVEL: 'loud',
      KILN_RETENTION_CRON: '61 * * * *',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT \(http\.port\): .*integer/),
        'KILN_DATABASE_URL (database.url): must be a postgres:// or sqlite: URL',
        expect.stringMatching(/^KILN_LOG_LEVEL \(log\.level\): must be one of/),
        'KILN_RETENTION_CRON (retention.cron): must be a cron expression of 5 fields, or 6 with seconds first',
      ]),
    );
  });

  it('rejects unknown keys in a YAML file, so a typo does not pass silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-config-'));
    const defaults = readFileSync(resolve(__dirname, '../../config/default.yaml'), 'utf8');
    writeFileSync(join(dir, 'default.yaml'), `${defaults}\nhttp_port: 80\n`);
    expect(() => loadConfig({ env: {}, configDir: dir, dotenvPath: null })).toThrow(/http_port/);
  });

  it('requires Redis in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', KILN_JWT_SECRET: 'x'.repeat(40) })).toEqual([
      'KILN_REDIS_URL (redis.url): is required in production',
    ]);
  });

  it('refuses the default JWT secret in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toContain(
      'KILN_JWT_SECRET (auth.jwtSecret): must be set to a secret of your own in production',
    );
  });
});

describe('.env.example', () => {
  const example = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
  const listed = new Set(
    example
      .split('\n')
      .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter(Boolean),
  );

  it('lists every environment variable the config reads, each after a comment line', () => {
    const lines = example.split('\n');
    for (const { variable } of envBindings(KilnConfig)) {
      expect({ variable, listed: listed.has(variable) }).toEqual({ variable, listed: true });
      const index = lines.findIndex((line) => new RegExp(`^#?\\s*${variable}=`).test(line));
      expect({ variable, commented: lines[index - 1]?.startsWith('#') }).toEqual({
        variable,
        commented: true,
      });
    }
  });

  it('lists no variable the config does not read', () => {
    const bound = new Set<string>([
      ...envBindings(KilnConfig).map((binding) => binding.variable),
      ...LOADER_VARIABLES,
    ]);
    expect([...listed].filter((variable) => !bound.has(variable!))).toEqual([]);
  });
});

describe('README', () => {
  it('documents every environment variable the config reads', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const missing = envBindings(KilnConfig)
      .map((binding) => binding.variable)
      .filter((variable) => !readme.includes(`\`${variable}\``));
    expect(missing).toEqual([]);
  });
});
