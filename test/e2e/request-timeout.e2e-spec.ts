// The request time limit: KILN_HTTP_REQUEST_TIMEOUT_MS for every route, @RequestTimeout
// to override it per route, 0 for routes that must not be cut off (streams).
import { setTimeout as delay } from 'node:timers/promises';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { Public } from '../../src/common/decorators/public.decorator';
import { RequestTimeout } from '../../src/common/http/request-timeout.decorator';
import { startTestApp, TestApp } from '../support/test-app';

const DEFAULT_LIMIT_MS = 300;

@Public()
@Controller('probe/timeout')
class TimeoutProbeController {
  @Get('default')
  async underDefault(@Query('ms') ms: string): Promise<{ finished: true }> {
    await delay(Number(ms));
    return { finished: true };
  }

  @Get('short')
  @RequestTimeout(100)
  async underShortLimit(@Query('ms') ms: string): Promise<{ finished: true }> {
    await delay(Number(ms));
    return { finished: true };
  }

  @Get('long')
  @RequestTimeout(5_000)
  async underLongLimit(@Query('ms') ms: string): Promise<{ finished: true }> {
    await delay(Number(ms));
    return { finished: true };
  }

  @Get('unlimited')
  @RequestTimeout(0)
  async withoutLimit(@Query('ms') ms: string): Promise<{ finished: true }> {
    await delay(Number(ms));
    return { finished: true };
  }
}

@Module({ controllers: [TimeoutProbeController] })
class TimeoutProbeModule {}

describe('request timeout', () => {
  let kiln: TestApp;

  beforeAll(async () => {
    kiln = await startTestApp({
      env: { KILN_HTTP_REQUEST_TIMEOUT_MS: String(DEFAULT_LIMIT_MS) },
      imports: [TimeoutProbeModule],
    });
  });

  afterAll(() => kiln?.close());

  const get = (path: string) => fetch(`${kiln.url}/api/v1/probe/timeout/${path}`);

  it('answers 503 problem+json when a route outlives the configured limit', async () => {
    const response = await get('default?ms=1500');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'https://kiln.dev/problems/request-timeout',
      status: 503,
      detail: `The request took longer than its limit of ${DEFAULT_LIMIT_MS} ms`,
      instance: '/api/v1/probe/timeout/default',
    });
    expect(problem.requestId).toEqual(expect.any(String));
  });

  it('answers normally within the limit', async () => {
    const response = await get('default?ms=10');
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ finished: true });
  });

  it('uses a shorter per-route limit from @RequestTimeout', async () => {
    const response = await get('short?ms=1000');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toContain('limit of 100 ms');
  });

  it('uses a longer per-route limit from @RequestTimeout', async () => {
    const response = await get('long?ms=1000');
    expect(response.status).toBe(200);
  });

  it('lets a route with @RequestTimeout(0) run past the default limit', async () => {
    const response = await get('unlimited?ms=1000');
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ finished: true });
  });

  it('rejects a negative or fractional limit when the route is declared', () => {
    expect(() => RequestTimeout(-1)).toThrow('@RequestTimeout');
    expect(() => RequestTimeout(1.5)).toThrow('@RequestTimeout');
  });
});
