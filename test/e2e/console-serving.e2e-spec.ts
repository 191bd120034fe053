// Kiln serving the web console at /: pages of the app get index.html, the API, docs,
// probes and scrape keep their own answers, hashed assets are cached for good, and the
// Content-Security-Policy admits only Kiln itself. Uses a small stand-in build, so it does
// not depend on the real console having been built.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../support/test-app';
import { tempDataDir } from '../support/test-config';

const INDEX = `<!doctype html><html><head><meta property="csp-nonce" nonce="KILN_CSP_NONCE" /><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`;
const SCRIPT = 'console.log("the console");\n'.repeat(50);

function standInBuild(): string {
  const dir = tempDataDir('kiln-console-');
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, '.vite'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  return dir;
}

describe('the web console at /', () => {
  let kiln: TestApp;

  beforeAll(async () => {
    kiln = await startTestApp({ env: { KILN_CONSOLE_DIR: standInBuild() } });
  });

  afterAll(() => kiln?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(kiln.url + path, { headers: { accept: 'text/html', ...headers } });

  it.each(['/', '/tasks', '/tasks/3f2504e0-4f89-11d3-9a0c-0305e82c3301', '/admin/users?x=1'])(
    'answers the app page %s with index.html, never cached',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<div id="root">');
    },
  );

  it('allows scripts, connections and frames from nowhere but Kiln itself, and nothing unsafe', async () => {
    const policy = (await get('/')).headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
  });

  it('allows only styles from Kiln or carrying the nonce of the page, a fresh one each time', async () => {
    const nonces = [];
    for (const response of [await get('/'), await get('/tasks')]) {
      const policy = response.headers.get('content-security-policy')!;
      const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'(;|$)/.exec(policy)?.[1];
      expect(nonce).toBeDefined();
      expect(await response.text()).toContain(`<meta property="csp-nonce" nonce="${nonce}" />`);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
    const asset = await get('/assets/index-abc123.js');
    expect(asset.headers.get('content-security-policy')).toContain("style-src 'self';");
  });

  it('caches hashed assets for a year and sends them compressed when the client accepts it', async () => {
    const response = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toBe(SCRIPT);
  });

  it('answers a missing asset 404 rather than with the app', async () => {
    const response = await get('/assets/index-gone.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('does not hand out the build manifest', async () => {
    expect((await get('/.vite/manifest.json')).status).toBe(404);
  });

  it.each(['/api/v1/nothing-here', '/api', '/docs/nothing-here', '/health/nothing', '/metrics/x'])(
    'leaves %s to the API: a problem+json 404, not the app',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    },
  );

  it('does not shadow the API, the docs, the probes or the scrape', async () => {
    expect((await get('/api/v1/tasks')).status).toBe(401);
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/metrics')).headers.get('content-type')).toContain('text/plain');
    expect((await get('/docs/openapi.json')).headers.get('content-type')).toContain(
      'application/json',
    );
  });
});
