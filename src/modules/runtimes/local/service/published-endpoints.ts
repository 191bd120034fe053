// The ready replicas of a local service, as the Kiln process supervising them last saw
// them, in a file of the service's directory: the other Kiln processes sharing the runs
// directory (every api replica, not only the leader that runs the replicas) read it to
// proxy invocations. A file is trusted only while the process that wrote it is alive.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceEndpoint } from '../../service-runtime.port';

const FILE = 'endpoints.json';

export interface PublishedEndpoints {
  /** The RunSupervisors id of the process that runs the replicas. */
  supervisor: string;
  endpoints: ServiceEndpoint[];
}

/** Written to a temporary file and renamed, so a reader never sees half of it. */
export async function publishEndpoints(
  serviceDir: string,
  published: PublishedEndpoints,
): Promise<void> {
  const path = join(serviceDir, FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(published));
  await rename(`${path}.tmp`, path);
}

/** What the supervising process last wrote; undefined when nothing (readable) is there. */
export async function readPublishedEndpoints(
  serviceDir: string,
): Promise<PublishedEndpoints | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(serviceDir, FILE), 'utf8')) as unknown;
    return isPublished(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isPublished(value: unknown): value is PublishedEndpoints {
  if (typeof value !== 'object' || value === null) return false;
  const { supervisor, endpoints } = value as Record<string, unknown>;
  return (
    typeof supervisor === 'string' &&
    Array.isArray(endpoints) &&
    endpoints.every(
      (endpoint: { replica?: unknown; url?: unknown }) =>
        typeof endpoint?.replica === 'string' &&
        typeof endpoint.url === 'string' &&
        /^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint.url),
    )
  );
}
