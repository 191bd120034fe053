// The periodic access check of open streams runs its own queries (sessions and API
// tokens joined with users); here they run on PostgreSQL, across the check interval.
import { unwrap } from '@kiln/client';
import { startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { clientsAs } from '../support/kiln-clients';
import { startOnPostgresAndRedis } from '../support/production-app';
import { openSse } from '../support/sse-client';

describe('event streams on PostgreSQL + Redis', () => {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld((options) => startOnPostgresAndRedis(options, 'kiln_streams'), {
      KILN_HTTP_STREAM_ACCESS_CHECK_MS: '200',
    });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it('ends the streams of a disabled user’s session and API token, and no one else’s', async () => {
    const as = clientsAs(world.kiln.url, world.tokens);
    const bob = await unwrap(as.bob.api.GET('/api/v1/auth/me'));
    const token = await unwrap(as.bob.api.POST('/api/v1/auth/tokens', { body: { name: 'feed' } }));
    const url = `${world.kiln.url}/api/v1/events`;
    const bobSession = await openSse(url, world.tokens.bob);
    const bobToken = await openSse(url, token.token);
    const alice = await openSse(url, world.tokens.alice);

    await unwrap(
      as.admin.api.PATCH('/api/v1/admin/users/{id}', {
        params: { path: { id: bob.id } },
        body: { disabled: true },
      }),
    );
    await bobSession.ended;
    await bobToken.ended;

    // alice's stream still delivers: her next task's events arrive
    const submitted = await world.submit({ name: 'after', command: ['/bin/sh', '-c', 'true'] });
    await alice.waitFor((event) => JSON.parse(event.data).taskId === submitted.data!.id);
    alice.close();
  });
});
