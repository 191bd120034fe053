// What an operator reads when Kiln starts for the first time: the first admin's
// password stands out, the address is the one really bound, and Nest's start-up
// details (modules, routes) stay at debug.
import { KilnProcess } from '../support/kiln-process';

async function startAndWaitForListening(env: Record<string, string>): Promise<KilnProcess> {
  const kiln = await KilnProcess.start({ env: { KILN_LOG_FORMAT: 'json', ...env } });
  await kiln.waitForOutput((text) => text.includes('Listening on'), 10_000);
  return kiln;
}

function messages(kiln: KilnProcess): string[] {
  return kiln.text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
}

describe('first start', () => {
  let kiln: KilnProcess | undefined;

  afterEach(async () => {
    await kiln?.stop();
    kiln = undefined;
  });

  it('logs the address the socket is bound to, not a loopback stand-in', async () => {
    kiln = await startAndWaitForListening({ KILN_HOST: '0.0.0.0' });
    const listening = messages(kiln).find((message) => message.startsWith('Listening on'));
    expect(listening).toContain(`http://0.0.0.0:${kiln.port}`);
  });

  it('shows the admin password in one clear line, without route mapping or route warnings', async () => {
    kiln = await startAndWaitForListening({ KILN_LOG_LEVEL: 'info' });
    const lines = messages(kiln);
    const password = lines.filter((message) => message.includes('one-time password'));
    expect(password).toHaveLength(1);
    expect(password[0]).toMatch(/^FIRST START: .*"admin".*change it now/);
    expect(lines.filter((message) => /Mapped \{|Unsupported route path/.test(message))).toEqual([]);
  });

  it('still maps routes in the log at debug, each at the path it is served on', async () => {
    kiln = await startAndWaitForListening({ KILN_LOG_LEVEL: 'debug' });
    const routes = messages(kiln).filter((message) => message.startsWith('Mapped {'));
    expect(routes).toEqual(
      expect.arrayContaining([
        'Mapped {/api/v1/tasks, POST} route',
        'Mapped {/metrics, GET} route',
        'Mapped {/health/ready, GET} route',
      ]),
    );
    expect(routes.filter((route) => /\/api\/v1\/(metrics|health)/.test(route))).toEqual([]);
  });
});
