import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunSupervisors, SUPERVISOR_STALE_MS } from './run-supervisors';

describe('run supervisors', () => {
  let runsDir: string;
  const recordOf = (id: string) => join(runsDir, '.supervisors', `${id}.json`);
  const readRecord = (id: string) => JSON.parse(readFileSync(recordOf(id), 'utf8'));

  beforeEach(() => {
    runsDir = mkdtempSync(join(tmpdir(), 'kiln-supervisors-'));
  });

  it('sees a live process on this host as alive, and one whose pid is gone as dead', async () => {
    const first = new RunSupervisors(runsDir);
    const second = new RunSupervisors(runsDir);
    await first.announce();
    await expect(second.isAlive(first.selfId)).resolves.toBe(true);

    writeFileSync(
      recordOf(first.selfId),
      JSON.stringify({ ...readRecord(first.selfId), pid: 4194310 }),
    );
    await expect(second.isAlive(first.selfId)).resolves.toBe(false);
  });

  it('does not know a supervisor that never announced itself', async () => {
    await expect(new RunSupervisors(runsDir).isAlive('not-announced')).resolves.toBe(false);
  });

  it('judges a supervisor in another pid namespace by the age of its heartbeat', async () => {
    const remote = new RunSupervisors(runsDir);
    await remote.announce();
    const record = readRecord(remote.selfId);
    writeFileSync(recordOf(remote.selfId), JSON.stringify({ ...record, pidNamespace: 'pid:[1]' }));
    const local = new RunSupervisors(runsDir);
    await expect(local.isAlive(remote.selfId)).resolves.toBe(true);

    const stale = new Date(Date.now() - SUPERVISOR_STALE_MS - 1000);
    utimesSync(recordOf(remote.selfId), stale, stale);
    await expect(local.isAlive(remote.selfId)).resolves.toBe(false);

    await remote.heartbeat();
    await expect(local.isAlive(remote.selfId)).resolves.toBe(true);
  });

  it('removes the records of dead supervisors when a new one announces itself', async () => {
    const dead = new RunSupervisors(runsDir);
    const live = new RunSupervisors(runsDir);
    await dead.announce();
    await live.announce();
    writeFileSync(
      recordOf(dead.selfId),
      JSON.stringify({ ...readRecord(dead.selfId), pid: 4194310 }),
    );

    await new RunSupervisors(runsDir).announce();

    const names = readdirSync(join(runsDir, '.supervisors'));
    expect(names).toContain(`${live.selfId}.json`);
    expect(names).not.toContain(`${dead.selfId}.json`);
    expect(names).toHaveLength(2);
  });

  it('withdraws its record on a clean shutdown', async () => {
    const supervisor = new RunSupervisors(runsDir);
    await supervisor.announce();
    await supervisor.withdraw();
    await expect(new RunSupervisors(runsDir).isAlive(supervisor.selfId)).resolves.toBe(false);
  });
});
