import { randomUUID } from 'node:crypto';
import { LifecycleService } from '../../src/common/lifecycle/lifecycle.service';
import { ProbeModule } from '../support/probe.module';
import { startTestApp, TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids, logs, metrics, docs and probes', () => {
  let kiln: TestApp;

  beforeAll(async () => {
    kiln = await startTestApp({ imports: [ProbeModule] });
  });

  afterAll(async () => {
    await kiln.close();
  });

  describe('request ids', () => {
    it('keeps a sane X-Request-Id from the caller and returns it', async () => {
      const response = await fetch(`${kiln.url}/health/live`, {
        headers: { 'x-request-id': 'trace-42.a:b' },
      });
      expect(response.headers.get('x-request-id')).toBe('trace-42.a:b');
    });

    it('replaces an unsafe X-Request-Id with a fresh UUID', async () => {
      const response = await fetch(`${kiln.url}/health/live`, {
        headers: { 'x-request-id': 'bad id\twith spaces' },
      });
      expect(response.headers.get('x-request-id')).toMatch(UUID);
    });

    it('generates one when the caller sends none, and puts it on the request log line', async () => {
      const response = await fetch(`${kiln.url}/api/v1/probe/items/7`);
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(UUID);
      expect(kiln.logs).toContainEqual(
        expect.objectContaining({
          requestId,
          route: '/api/v1/probe/items/:id',
          status: 200,
          msg: 'request completed',
        }),
      );
    });

    it('tags log lines written inside the request with its id', async () => {
      const requestId = randomUUID();
      await fetch(`${kiln.url}/api/v1/probe/log-secrets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify({ username: 'ada' }),
      });
      expect(kiln.logs).toContainEqual(
        expect.objectContaining({ requestId, msg: 'probe received credentials' }),
      );
    });
  });

  describe('redaction', () => {
    it('never writes passwords, tokens, cookies or Authorization headers to the log', async () => {
      const secrets = {
        password: `pw-${randomUUID()}`,
        refreshToken: `rt-${randomUUID()}`,
        nested: { apiKey: `ak-${randomUUID()}`, clientSecret: `cs-${randomUUID()}` },
      };
      const bearer = `bearer-${randomUUID()}`;
      const cookie = `cookie-${randomUUID()}`;
      const response = await fetch(`${kiln.url}/api/v1/probe/log-secrets`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${bearer}`,
          cookie: `sid=${cookie}`,
        },
        body: JSON.stringify({ username: 'ada', ...secrets }),
      });
      expect(response.status).toBe(204);
      const logs = kiln.logText();
      expect(logs).toContain('probe received credentials');
      expect(logs).toContain('"username":"ada"');
      for (const secret of [
        secrets.password,
        secrets.refreshToken,
        secrets.nested.apiKey,
        secrets.nested.clientSecret,
        bearer,
        cookie,
      ]) {
        expect(logs).not.toContain(secret);
      }
      expect(logs).toContain('[Redacted]');
    });

    it('keeps query strings, which may carry tokens, out of request log lines', async () => {
      const token = randomUUID();
      await fetch(`${kiln.url}/api/v1/probe/items/1?token=${token}`);
      expect(kiln.logText()).not.toContain(token);
    });
  });

  describe('metrics', () => {
    const scrape = async () => {
      const response = await fetch(`${kiln.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      return response.text();
    };
    const countOf = (text: string, route: string) => {
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            `http_request_duration_seconds_count{method="GET",route="${route}",status_code="200"}`,
          ),
        );
      return line ? Number(line.split(' ').pop()) : 0;
    };

    it('serves Prometheus text with process metrics and request durations by route template', async () => {
      const before = countOf(await scrape(), '/api/v1/probe/items/:id');
      await fetch(`${kiln.url}/api/v1/probe/items/123`);
      await fetch(`${kiln.url}/api/v1/probe/items/456`);
      const text = await scrape();
      expect(text).toContain('process_resident_memory_bytes');
      expect(countOf(text, '/api/v1/probe/items/:id')).toBe(before + 2);
      expect(text).not.toContain('/items/123');
    });
  });

  describe('OpenAPI', () => {
    it('serves the spec with operation ids equal to method names', async () => {
      const response = await fetch(`${kiln.url}/docs/openapi.json`);
      expect(response.status).toBe(200);
      const spec = (await response.json()) as {
        openapi: string;
        paths: Record<string, Record<string, { operationId: string }>>;
      };
      expect(spec.openapi).toMatch(/^3\./);
      expect(spec.paths['/health/ready'].get.operationId).toBe('checkReadiness');
      expect(spec.paths['/api/v1/probe/items'].post.operationId).toBe('createProbeItem');
    });

    it('serves Swagger UI at /docs', async () => {
      const response = await fetch(`${kiln.url}/docs`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('swagger');
    });
  });

  describe('probes', () => {
    it('reports live, ready and started while serving', async () => {
      for (const probe of ['live', 'ready', 'startup']) {
        const response = await fetch(`${kiln.url}/health/${probe}`);
        expect({ probe, status: response.status }).toEqual({ probe, status: 200 });
      }
      const ready = (await (await fetch(`${kiln.url}/health/ready`)).json()) as {
        details: Record<string, { status: string }>;
      };
      expect(ready.details.database.status).toBe('up');
    });
  });
});

describe('probes during shutdown', () => {
  it('turns readiness to 503 as soon as shutdown begins, while liveness stays 200', async () => {
    const kiln = await startTestApp();
    try {
      kiln.app.get(LifecycleService).beginShutdown('SIGTERM');
      const ready = await fetch(`${kiln.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toContain('application/problem+json');
      expect(((await ready.json()) as { detail: string }).detail).toContain('shutting down');
      expect((await fetch(`${kiln.url}/health/live`)).status).toBe(200);
    } finally {
      await kiln.close();
    }
  });
});
