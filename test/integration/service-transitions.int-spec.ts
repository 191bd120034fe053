// The services repository on both databases: a status move is one conditional update
// with its event row, and of two racing moves from the same status exactly one wins.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DatabaseDialect } from '../../src/infra/database/dialect';
import { ServiceStatus } from '../../src/modules/services/lifecycle/service-status';
import { ServiceEvent } from '../../src/modules/services/persistence/service-event.entity';
import { ServiceRevision } from '../../src/modules/services/persistence/service-revision.entity';
import { Service } from '../../src/modules/services/persistence/service.entity';
import { ServicesRepository } from '../../src/modules/services/persistence/services.repository';
import { connectToTarget, databaseTargets } from '../support/database-targets';

describe.each(databaseTargets('kiln-services'))('service status moves on $name', (target) => {
  let dataSource: DataSource;
  let close: (() => Promise<void>) | undefined;
  let repository: ServicesRepository;

  beforeAll(async () => {
    ({ dataSource, close } = await connectToTarget(target, {
      KILN_DATABASE_MIGRATE_ON_BOOT: 'true',
    }));
    repository = new ServicesRepository(
      dataSource,
      dataSource.getRepository(Service),
      dataSource.getRepository(ServiceRevision),
      dataSource.getRepository(ServiceEvent),
      DatabaseDialect.of(dataSource),
    );
  });

  afterAll(async () => {
    await close?.();
  });

  async function createService(): Promise<Service> {
    const now = new Date();
    const service = Object.assign(new Service(), {
      id: randomUUID(),
      ownerId: randomUUID(),
      name: `svc-${randomUUID().slice(0, 8)}`,
      description: null,
      labels: {},
      queue: 'default',
      runtime: 'local',
      status: ServiceStatus.Deploying,
      reason: 'created',
      desiredReplicas: 1,
      readyReplicas: 0,
      updatedReplicas: 0,
      targetRevision: 1,
      servingRevision: null,
      rolloutState: 'progressing',
      rolloutStartedAt: now,
      rolloutTimeoutSeconds: 60,
      invokeTimeoutSeconds: 60,
      invokeRetry: true,
      handle: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    } satisfies Service);
    const revision = Object.assign(new ServiceRevision(), {
      id: randomUUID(),
      serviceId: service.id,
      number: 1,
      model: null,
      command: ['serve'],
      image: null,
      env: {},
      cpuMillis: 1000,
      memoryMiB: 256,
      gpu: 0,
      port: 8080,
      healthPath: '/healthz',
      createdBy: service.ownerId,
      cause: 'created',
      createdAt: now,
    });
    await repository.create(service, revision, service.ownerId, () => Promise.resolve());
    return service;
  }

  it('moves the status with the observed counts and records who, from, to and why', async () => {
    const service = await createService();
    const moved = await repository.move(service, {
      from: [ServiceStatus.Deploying],
      to: ServiceStatus.Ready,
      actor: 'system',
      reason: '1 of 1 replicas ready',
      set: { readyReplicas: 1, updatedReplicas: 1, servingRevision: 1, rolloutState: 'complete' },
    });
    expect(moved).toMatchObject({
      status: 'ready',
      readyReplicas: 1,
      servingRevision: 1,
      version: 2,
    });
    const events = await repository.eventsOf(service.id, 10);
    expect(events[0]).toMatchObject({
      fromStatus: 'deploying',
      toStatus: 'ready',
      revision: 1,
      actor: 'system',
      reason: '1 of 1 replicas ready',
    });
  });

  it('lets exactly one of two racing moves from the same status win', async () => {
    const service = await createService();
    const [stopping, ready] = await Promise.all([
      repository.move(service, {
        from: [ServiceStatus.Deploying],
        to: ServiceStatus.Stopping,
        actor: 'someone',
        reason: 'deleted',
      }),
      repository.move(service, {
        from: [ServiceStatus.Deploying],
        to: ServiceStatus.Ready,
        actor: 'system',
        reason: 'ready',
      }),
    ]);
    expect([stopping, ready].filter(Boolean)).toHaveLength(1);
    const events = await repository.eventsOf(service.id, 10);
    expect(events.filter((event) => event.fromStatus === ServiceStatus.Deploying)).toHaveLength(1);
  });

  it('refuses a move the status machine does not allow (nothing comes back from stopping)', async () => {
    const service = await createService();
    const stopped = await repository.move(service, {
      from: [ServiceStatus.Deploying],
      to: ServiceStatus.Stopping,
      actor: 'someone',
      reason: 'deleted',
    });
    const revived = await repository.move(stopped!, {
      from: [ServiceStatus.Stopping],
      to: ServiceStatus.Ready,
      actor: 'system',
      reason: 'late',
    });
    expect(revived).toBeNull();
  });

  it('deletes a service with its revisions and keeps its events', async () => {
    const service = await createService();
    await repository.delete(service.id);
    expect(await repository.findById(service.id)).toBeNull();
    expect(await repository.revisionsOf(service.id)).toEqual([]);
    expect(await repository.eventsOf(service.id, 10)).toHaveLength(1);
  });
});
