// The helper on SQLite with a status machine of its own (not a task), as the next
// modules will use it.
import { randomUUID } from 'node:crypto';
import { Column, DataSource, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ConditionalTransition } from './conditional-transition';
import { DatabaseDialect } from './dialect';

@Entity()
class Deployment {
  @PrimaryColumn()
  id!: string;

  @Column()
  status!: string;

  @Column()
  replicas!: number;

  @Column()
  version!: number;
}

@Entity()
class DeploymentEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  deploymentId!: string;

  @Column({ type: 'varchar', nullable: true })
  fromStatus!: string | null;

  @Column()
  toStatus!: string;

  @Column({ type: 'integer', nullable: true })
  replicas!: number | null;

  @Column()
  actor!: string;
}

describe('a conditional transition on SQLite', () => {
  let dataSource: DataSource;
  let transition: ConditionalTransition<Deployment, DeploymentEvent>;

  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Deployment, DeploymentEvent],
      synchronize: true,
    });
    await dataSource.initialize();
    transition = new ConditionalTransition(
      dataSource,
      new DatabaseDialect('sqlite'),
      Deployment,
      DeploymentEvent,
    );
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function deployment(status: string, replicas = 0): Promise<string> {
    const id = randomUUID();
    await dataSource.getRepository(Deployment).insert({ id, status, replicas, version: 1 });
    return id;
  }

  function scaleUp(id: string, actor = 'scheduler') {
    return transition.move({
      id,
      from: ['pending'],
      set: { status: 'serving', replicas: 3 },
      increment: ['version'],
      event: {
        deploymentId: { column: 'id' },
        fromStatus: { previousStatus: true },
        toStatus: { column: 'status' },
        replicas: { column: 'replicas', nullIf: 0 },
        actor: { value: actor },
      },
    });
  }

  it('moves the row, bumps its version and records the move as an event', async () => {
    const id = await deployment('pending');
    const moved = await scaleUp(id);
    expect(moved?.row).toEqual({ id, status: 'serving', replicas: 3, version: 2 });
    expect(moved?.event).toMatchObject({
      deploymentId: id,
      fromStatus: 'pending',
      toStatus: 'serving',
      replicas: 3,
      actor: 'scheduler',
    });
    expect(await dataSource.getRepository(DeploymentEvent).count()).toBe(1);
  });

  it('lets exactly one of many concurrent movers win, with one event', async () => {
    const id = await deployment('pending');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => scaleUp(id, `mover ${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await dataSource.getRepository(DeploymentEvent).count()).toBe(1);
  });

  it('refuses a row in a status the move does not start from, and changes nothing', async () => {
    const id = await deployment('retired');
    expect(await scaleUp(id)).toBeNull();
    expect(await dataSource.getRepository(Deployment).findOneBy({ id })).toMatchObject({
      status: 'retired',
      version: 1,
    });
    expect(await dataSource.getRepository(DeploymentEvent).count()).toBe(0);
  });

  it('refuses a row that fails a further condition', async () => {
    const id = await deployment('pending', 1);
    const moved = await transition.move({
      id,
      from: ['pending'],
      where: { replicas: 2 },
      set: { status: 'serving' },
      event: {
        deploymentId: { column: 'id' },
        toStatus: { value: 'serving' },
        actor: { value: 'x' },
      },
    });
    expect(moved).toBeNull();
  });

  it('records a value the event maps to null as null', async () => {
    const id = await deployment('pending');
    const moved = await transition.move({
      id,
      from: ['pending'],
      set: { status: 'stopped' },
      event: {
        deploymentId: { column: 'id' },
        toStatus: { column: 'status' },
        replicas: { column: 'replicas', nullIf: 0 },
        actor: { value: 'operator' },
      },
    });
    expect(moved?.event.replicas).toBeNull();
  });
});
