import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishEndpoints, readPublishedEndpoints } from './published-endpoints';

describe('published endpoints of a local service', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'kiln-endpoints-'));

  it('reads back what the supervising process published', async () => {
    const serviceDir = dir();
    const published = {
      supervisor: 'a1b2',
      endpoints: [{ replica: 'r1-abc', url: 'http://127.0.0.1:40123' }],
    };
    await publishEndpoints(serviceDir, published);
    await expect(readPublishedEndpoints(serviceDir)).resolves.toEqual(published);
  });

  it('reads nothing where nothing was published', async () => {
    await expect(readPublishedEndpoints(dir())).resolves.toBeUndefined();
  });

  it('ignores a file that would send invocations anywhere but a loopback port', async () => {
    const serviceDir = dir();
    const elsewhere = {
      supervisor: 'a1b2',
      endpoints: [{ replica: 'r', url: 'http://10.0.0.1:80' }],
    };
    writeFileSync(join(serviceDir, 'endpoints.json'), JSON.stringify(elsewhere));
    await expect(readPublishedEndpoints(serviceDir)).resolves.toBeUndefined();
    writeFileSync(join(serviceDir, 'endpoints.json'), '{"supervisor":');
    await expect(readPublishedEndpoints(serviceDir)).resolves.toBeUndefined();
  });
});
