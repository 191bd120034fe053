// Users' changes to a service against the reconciler's, on the embedded default: the
// reconciler moves a service's status (and its version) as replicas come and go, so a
// change that named no version lands on the service as it is by then, and one that
// named a version (If-Match) is refused once it is stale.
import { unwrap } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { ServiceStatus } from '../../src/modules/services/lifecycle/service-status';
import type { Service } from '../../src/modules/services/persistence/service.entity';
import { ServicesRepository } from '../../src/modules/services/persistence/services.repository';
import { startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { startTestApp } from '../support/test-app';

describe('changes to a service racing the reconciler (embedded default)', () => {
  let world: TaskWorld;
  let repository: ServicesRepository;

  beforeAll(async () => {
    world = await startTaskWorld(startTestApp);
    repository = world.kiln.app.get(ServicesRepository);
  }, 60_000);

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await world?.kiln.close();
  });

  /** A service at zero replicas: nothing runs, so only the test moves its status. */
  async function create(name: string): Promise<void> {
    await unwrap(
      world.as.alice.POST('/api/v1/services', {
        body: { name, command: ['sleep', '600'], replicas: 0 },
      }),
    );
  }

  /**
   * The next read of the service is followed by a status move, as the reconciler's, so
   * what the request read is stale by the time it writes. (Should the reconciler itself
   * move the service in that moment, the test's move finds it gone and the read is stale
   * all the same.)
   */
  function moveAfterNextRead(): void {
    const read = repository.findByName.bind(repository);
    jest.spyOn(repository, 'findByName').mockImplementationOnce(async (name) => {
      const service = (await read(name)) as Service;
      const to =
        service.status === ServiceStatus.Stopped ? ServiceStatus.Deploying : ServiceStatus.Stopped;
      await repository.move(service, {
        from: [service.status],
        to,
        actor: 'reconciler',
        reason: 'moved by the test',
      });
      return service;
    });
  }

  const at = (name: string) => ({ params: { path: { name } } });

  it('lands a scale, a change and a rollback without If-Match that the reconciler raced', async () => {
    await create('raced-change');
    moveAfterNextRead();
    const scaled = await world.as.alice.POST('/api/v1/services/{name}/scale', {
      ...at('raced-change'),
      body: { replicas: 0 },
    });
    expect(scaled.response.status).toBe(200);

    moveAfterNextRead();
    const changed = await world.as.alice.PATCH('/api/v1/services/{name}', {
      ...at('raced-change'),
      body: { command: ['sleep', '601'] },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data!.revision).toBe(2);

    moveAfterNextRead();
    const rolledBack = await world.as.alice.POST('/api/v1/services/{name}/rollback', {
      ...at('raced-change'),
      body: { revision: 1 },
    });
    expect(rolledBack.response.status).toBe(200);
    expect(rolledBack.data!.revision).toBe(3);
    const revisions = await unwrap(
      world.as.alice.GET('/api/v1/services/{name}/revisions', at('raced-change')),
    );
    expect(revisions.items.map((revision) => revision.command)).toEqual([
      ['sleep', '600'],
      ['sleep', '601'],
      ['sleep', '600'],
    ]);
  });

  it('deletes a service whose status the reconciler moved after the delete read it', async () => {
    await create('raced-delete');
    moveAfterNextRead();
    const deleted = await world.as.alice.DELETE('/api/v1/services/{name}', at('raced-delete'));
    expect(deleted.response.status).toBe(202);
    const service = await repository.findByName('raced-delete');
    expect(service === null || service.status === ServiceStatus.Stopping).toBe(true);
  });

  it('refuses a change whose If-Match the reconciler made stale (412 naming the version)', async () => {
    await create('stale-etag');
    const read = await world.as.alice.GET('/api/v1/services/{name}', at('stale-etag'));
    const etag = read.response.headers.get('etag')!;
    const readVersion = Number(/"(\d+)"/.exec(etag)![1]);
    moveAfterNextRead();
    await repository.findByName('stale-etag');
    const stale = await world.as.alice.PATCH('/api/v1/services/{name}', {
      ...at('stale-etag'),
      body: { description: 'stale' },
      headers: { 'if-match': etag },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.response.headers.get('content-type')).toContain('application/problem+json');
    const named = /now at version (\d+)/.exec((stale.error as { detail: string }).detail);
    expect(Number(named?.[1])).toBeGreaterThan(readVersion);
    expect((await repository.findByName('stale-etag'))!.description).toBeNull();

    // at rest once the reconciler has it stopped again: nothing runs at zero replicas
    const stopped = await waitUntil(
      async () => (await repository.findByName('stale-etag'))!.status === ServiceStatus.Stopped,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(stopped.satisfied).toBe(true);
    const fresh = await world.as.alice.GET('/api/v1/services/{name}', at('stale-etag'));
    const changed = await world.as.alice.PATCH('/api/v1/services/{name}', {
      ...at('stale-etag'),
      body: { description: 'fresh' },
      headers: { 'if-match': fresh.response.headers.get('etag')! },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data!.description).toBe('fresh');
  });
});
