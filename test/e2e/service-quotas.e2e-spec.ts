// Model service replicas under their owner's quota, on the embedded default: a service
// that would not fit is refused (409 naming the quota and the figures), replicas keep
// the owner's tasks waiting (and say so), a rollout at the quota goes ahead, and the
// admin's quota view counts them.
import { unwrap } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { FINAL, shell, startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { ServableModel, trainServableModel } from '../support/servable-model';
import { startTestApp } from '../support/test-app';

describe('service replicas under the owner’s quota (embedded default)', () => {
  let world: TaskWorld;
  let served: ServableModel;
  let aliceId: string;

  beforeAll(async () => {
    world = await startTaskWorld(startTestApp, { KILN_LOCAL_SERVICE_DRAIN_MS: '200' });
    served = await trainServableModel(world);
    aliceId = (await unwrap(world.as.alice.GET('/api/v1/auth/me'))).id;
    const quota = await world.as.admin.PATCH('/api/v1/admin/quotas/{userId}', {
      params: { path: { userId: aliceId } },
      body: { maxRunning: 3 },
    });
    expect(quota.response.status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  const path = { name: 'quota-svc' };

  async function expectQuotaRefusal(
    response: { response: Response; error?: unknown },
    figures: RegExp,
  ) {
    expect(response.response.status).toBe(409);
    expect(response.response.headers.get('content-type')).toContain('application/problem+json');
    const problem = response.error as { type: string; detail: string };
    expect(problem.type).toMatch(/quota-exceeded$/);
    expect(problem.detail).toMatch(figures);
  }

  async function quotaOfAlice() {
    return unwrap(
      world.as.admin.GET('/api/v1/admin/quotas/{userId}', {
        params: { path: { userId: aliceId } },
      }),
    );
  }

  it('refuses a service with more replicas than the running quota has room for', async () => {
    const refused = await world.as.alice.POST('/api/v1/services', {
      body: { name: 'quota-svc', ...served, replicas: 4 },
    });
    await expectQuotaRefusal(refused, /maxRunning is 3 runs; 0 are held .* asks for 4 replicas/);
    const missing = await world.as.alice.GET('/api/v1/services/{name}', { params: { path } });
    expect(missing.response.status).toBe(404);
  });

  it('counts the replicas of a service that fits, in the admin quota view', async () => {
    const created = await world.as.alice.POST('/api/v1/services', {
      body: { name: 'quota-svc', ...served, replicas: 2 },
    });
    expect(created.response.status).toBe(201);
    expect((await quotaOfAlice()).usage).toEqual({
      running: 2,
      gpus: 0,
      pending: 0,
      serviceReplicas: 2,
      serviceGpus: 0,
    });
  });

  it('keeps a task pending while replicas hold the quota, says so, and starts it when they go', async () => {
    const first = await world.submit({ name: 'fits', ...shell('sleep 600') });
    await world.waitForStatus(first.data!.id, ['running']);
    const second = await world.submit({ name: 'waits for a slot', ...shell('true') });
    const id = second.data!.id;
    let reasons: string[] = [];
    const told = await waitUntil(
      async () => {
        const task = await unwrap(
          world.as.alice.GET('/api/v1/tasks/{id}', { params: { path: { id } } }),
        );
        reasons = task.waiting?.reasons ?? [];
        return task.status === 'pending' && reasons.some((reason) => reason.includes('replicas'));
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(told.satisfied).toBe(true);
    expect(reasons.join(' ')).toContain(
      "the owner's quota is reached (3 of 3 runs, 2 of them model service replicas)",
    );
    const scaled = await world.as.alice.POST('/api/v1/services/{name}/scale', {
      params: { path },
      body: { replicas: 1 },
    });
    expect(scaled.response.status).toBe(200);
    await world.waitForStatus(id, ['succeeded']);
    await unwrap(
      world.as.alice.POST('/api/v1/tasks/{id}/cancel', {
        params: { path: { id: first.data!.id } },
      }),
    );
    // a task still cancelling holds its slot, and the next test counts the slots
    await world.waitForStatus(first.data!.id, FINAL);
  }, 60_000);

  it('refuses scaling past the quota, and never a scale down', async () => {
    const sleeper = await world.submit({ name: 'holds a slot', ...shell('sleep 600') });
    await world.waitForStatus(sleeper.data!.id, ['running']);
    const refused = await world.as.alice.POST('/api/v1/services/{name}/scale', {
      params: { path },
      body: { replicas: 3 },
    });
    await expectQuotaRefusal(refused, /maxRunning is 3 runs; 1 are held .* asks for 3 replicas/);
    const quota = await world.as.admin.PATCH('/api/v1/admin/quotas/{userId}', {
      params: { path: { userId: aliceId } },
      body: { maxRunning: 1 },
    });
    expect(quota.response.status).toBe(200);
    const down = await world.as.alice.POST('/api/v1/services/{name}/scale', {
      params: { path },
      body: { replicas: 0 },
    });
    expect(down.response.status).toBe(200);
    const up = await world.as.alice.POST('/api/v1/services/{name}/scale', {
      params: { path },
      body: { replicas: 1 },
    });
    await expectQuotaRefusal(up, /maxRunning is 1 runs; 1 are held .* asks for 1 replicas/);
    const cancel = { params: { path: { id: sleeper.data!.id } } };
    await unwrap(world.as.alice.POST('/api/v1/tasks/{id}/cancel', cancel));
    await world.waitForStatus(sleeper.data!.id, FINAL);
  }, 60_000);

  it('rolls out a new revision at the full quota: the surge is not counted', async () => {
    await unwrap(
      world.as.admin.PATCH('/api/v1/admin/quotas/{userId}', {
        params: { path: { userId: aliceId } },
        body: { maxRunning: 2 },
      }),
    );
    const full = await world.as.alice.POST('/api/v1/services/{name}/scale', {
      params: { path },
      body: { replicas: 2 },
    });
    expect(full.response.status).toBe(200);
    expect((await quotaOfAlice()).usage).toMatchObject({ running: 2, serviceReplicas: 2 });
    const changed = await world.as.alice.PATCH('/api/v1/services/{name}', {
      params: { path },
      body: { env: { REVISION: 'two' } },
    });
    expect(changed.response.status).toBe(200);
    const rolled = await waitUntil(
      async () => {
        const now = await unwrap(
          world.as.alice.GET('/api/v1/services/{name}', { params: { path } }),
        );
        return now.status === 'ready' && now.revision === 2 && now.servingRevision === 2;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(rolled.satisfied).toBe(true);
  }, 60_000);

  it('admits exactly what fits when creates and scales race for the last of the quota', async () => {
    await unwrap(
      world.as.admin.PATCH('/api/v1/admin/quotas/{userId}', {
        params: { path: { userId: aliceId } },
        body: { maxRunning: 4 },
      }),
    );
    for (const name of ['race-c', 'race-d'])
      await unwrap(
        world.as.alice.POST('/api/v1/services', { body: { name, ...served, replicas: 0 } }),
      );
    const scale = (name: string) =>
      world.as.alice.POST('/api/v1/services/{name}/scale', {
        params: { path: { name } },
        body: { replicas: 1 },
      });
    const create = (name: string) =>
      world.as.alice.POST('/api/v1/services', { body: { name, ...served, replicas: 1 } });
    const raced = await Promise.all([
      create('race-a'),
      scale('race-c'),
      create('race-b'),
      scale('race-d'),
    ]);
    const statuses = raced.map(({ response }) => response.status);
    expect(statuses.filter((status) => status < 300)).toHaveLength(2);
    const refused = raced.filter(({ response }) => !response.ok);
    for (const refusal of refused)
      await expectQuotaRefusal(refusal, /maxRunning is 4 runs; 4 are held/);
    expect((await quotaOfAlice()).usage).toMatchObject({ running: 4, serviceReplicas: 4 });
    for (const name of ['race-a', 'race-b', 'race-c', 'race-d'])
      await world.as.alice.DELETE('/api/v1/services/{name}', { params: { path: { name } } });
  }, 60_000);
});
