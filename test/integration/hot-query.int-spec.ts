// HotQuery, the list's and the authenticator's read path, on both databases: the same
// entities TypeORM's own getMany builds, and on PostgreSQL one prepared statement per
// query shape on each connection rather than a parse and plan per request.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HotQuery } from '../../src/infra/database/hot-query';
import { Role } from '../../src/modules/auth/role';
import { User } from '../../src/modules/auth/users/user.entity';
import { connectToTarget, databaseTargets } from '../support/database-targets';

describe.each(databaseTargets('kiln-hot-query'))('HotQuery on $name', (target) => {
  let dataSource: DataSource;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // A small pool: the test's queries run one after another, and pg-pool hands out the
    // connection released last, so its prepared statements are all on one connection.
    ({ dataSource, close } = await connectToTarget(target, { KILN_DATABASE_POOL_SIZE: '2' }));
    for (const [username, disabled] of [
      ['ada', false],
      ['brian', true],
      ['claude', false],
    ] as const) {
      await dataSource.getRepository(User).insert({
        id: randomUUID(),
        username,
        usernameNormalized: username,
        email: null,
        displayName: username,
        passwordHash: 'not a real hash',
        passwordChangedAt: new Date(),
        lastLoginAt: null,
        roles: [Role.Member],
        disabled,
      });
    }
  });

  afterAll(async () => {
    await close?.();
  });

  const enabledUsers = (disabled: boolean) =>
    dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.disabled = :disabled', { disabled })
      .orderBy('u.username', 'ASC');

  it('returns the entities TypeORM would, whatever the parameters', async () => {
    const hot = new HotQuery<User>(dataSource, 'u');
    for (const disabled of [false, true, false]) {
      const expected = await enabledUsers(disabled).getMany();
      const rows = await hot.getMany(enabledUsers(disabled), 'by disabled');
      expect(rows.map((row) => ({ ...row }))).toEqual(expected.map((row) => ({ ...row })));
      expect(rows.length).toBeGreaterThan(0);
    }
  });

  if (target.name === 'PostgreSQL') {
    it('prepares each query shape once per connection', async () => {
      const hot = new HotQuery<User>(dataSource, 'u');
      await hot.getMany(enabledUsers(false), 'by disabled');
      await hot.getMany(enabledUsers(true), 'by disabled');
      const byName = dataSource
        .getRepository(User)
        .createQueryBuilder('u')
        .where('u.username = :n', {
          n: 'ada',
        });
      expect((await hot.getMany(byName, 'by name')).map((user) => user.username)).toEqual(['ada']);

      const prepared: Array<{ name: string; statement: string }> = await dataSource.query(
        `SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'kiln_hot_%'`,
      );
      expect(prepared).toHaveLength(2);
      expect(prepared.map((row) => row.statement).sort()).toEqual(
        [enabledUsers(false).getQuery(), byName.getQuery()]
          .map(
            (sql) =>
              dataSource.driver.escapeQueryWithParameters(sql, { disabled: false, n: '' })[0],
          )
          .sort(),
      );
    });
  }
});
