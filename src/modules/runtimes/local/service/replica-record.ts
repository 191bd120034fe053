// What a Kiln process writes beside each replica it starts, so that the next Kiln on the
// host (a restart, a new leader) can adopt the replica instead of starting a duplicate:
// which process it is (pid and start time, never mistaken for a recycled pid), which
// revision it runs and the port it listens on.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunning, type ProcessIdentity } from '../process/process-identity';

const FILE = 'replica.json';
const NAME = /^r\d+-[0-9a-f]{6}$/;

export interface ReplicaRecord extends ProcessIdentity {
  name: string;
  revision: number;
  port: number;
  startedAt: string;
}

export async function writeReplicaRecord(replicaDir: string, record: ReplicaRecord) {
  const path = join(replicaDir, FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(record));
  await rename(`${path}.tmp`, path);
}

/** The replicas under a service's directory whose process still runs. */
export async function liveReplicaRecords(serviceDir: string): Promise<ReplicaRecord[]> {
  const names = await readdir(serviceDir).catch(() => [] as string[]);
  const records = await Promise.all(
    names.filter((name) => NAME.test(name)).map((name) => readRecord(join(serviceDir, name))),
  );
  const live = await Promise.all(
    records.map(async (record) => (record && (await isRunning(record)) ? record : undefined)),
  );
  return live.filter((record): record is ReplicaRecord => record !== undefined);
}

async function readRecord(replicaDir: string): Promise<ReplicaRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(join(replicaDir, FILE), 'utf8')) as ReplicaRecord;
    const valid =
      NAME.test(record.name) &&
      Number.isInteger(record.pid) &&
      record.pid > 1 &&
      /^\d+$/.test(record.startTime) &&
      Number.isInteger(record.revision) &&
      Number.isInteger(record.port);
    return valid ? record : undefined;
  } catch {
    return undefined;
  }
}
