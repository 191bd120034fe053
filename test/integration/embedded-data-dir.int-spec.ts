// The embedded mode keeps its leader lock in memory, so it cannot see a second process
// on the same data directory: both would lead, dispatch and launch the same tasks. The
// second must refuse to start, and the directory must be free again once the first ends.
import { KilnProcess } from '../support/kiln-process';
import { tempDataDir } from '../support/test-config';

describe('two embedded processes on one data directory', () => {
  const dataDir = tempDataDir('kiln-embedded-shared-');
  const started: KilnProcess[] = [];

  async function start(waitForReady = true): Promise<KilnProcess> {
    const kiln = await KilnProcess.start({ env: { KILN_DATA_DIR: dataDir }, waitForReady });
    started.push(kiln);
    return kiln;
  }

  afterAll(async () => {
    await Promise.all(started.map((kiln) => kiln.stop('SIGTERM')));
  });

  it('refuses the second with a message naming the directory, and lets a later one start', async () => {
    const first = await start();

    const second = await start(false);
    const outcome = await Promise.race([
      second.exited,
      second.waitForStatus('/health/ready', 200, 30_000).then(() => 'started'),
    ]);
    expect(outcome).toEqual({ code: 1, signal: null });
    expect(second.text).toContain(dataDir);
    expect(second.text).toMatch(/another Kiln process/i);
    await first.waitForStatus('/health/ready', 200, 5_000);

    await first.stop('SIGTERM');
    const third = await start();
    await third.waitForStatus('/health/ready', 200, 5_000);
  }, 90_000);
});
