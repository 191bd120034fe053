// The periodic access check of open streams runs its own queries (sessions and API
// tokens joined with users); here they run on PostgreSQL, across the check interval.
import { startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
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
    const bob = (await world.api.get('/auth/me', world.tokens.bob)).body;
    const token = await world.api.post('/auth/tokens', { name: 'feed' }, world.tokens.bob);
    const url = `${world.kiln.url}/api/v1/events`;
    const bobSession = await openSse(url, world.tokens.bob);
    const bobToken = await openSse(url, token.body.token);
    const alice = await openSse(url, world.tokens.alice);

    await world.api.patch(`/admin/users/${bob.id}`, { disabled: true }, world.tokens.admin);
    await bobSession.ended;
    await bobToken.ended;

    // alice's stream still delivers: her next task's events arrive
    const submitted = await world.submit({ name: 'after', command: ['/bin/sh', '-c', 'true'] });
    await alice.waitFor((event) => JSON.parse(event.data).taskId === submitted.body.id);
    alice.close();
  });
});
