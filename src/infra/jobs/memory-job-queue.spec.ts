import { waitUntil } from '../../common/wait-until';
import { describeJobQueueContract } from '../../../test/contract/job-queue.contract';
import { CachedJobQueues } from './cached-job-queues';
import { MemoryJobQueue } from './memory-job-queue';
import { JobQueueSettings } from './job-queue-settings';

const settings: JobQueueSettings = {
  completed: { maxAgeSeconds: 3600, maxCount: 100 },
  failed: { maxAgeSeconds: 3600, maxCount: 100 },
  stalledIntervalMs: 30_000,
  maxStalledCount: 1,
};

describeJobQueueContract('memory', () => {
  const queues = new CachedJobQueues('memory', (name) => new MemoryJobQueue(name, settings));
  return { get: (name) => queues.get(name), close: () => queues.closeAll() };
});

describe('MemoryJobQueue retention', () => {
  it('forgets the oldest finished jobs past the count, so their ids can be added again', async () => {
    const queue = new MemoryJobQueue('retention', {
      ...settings,
      completed: { maxAgeSeconds: 3600, maxCount: 1 },
    });
    const ran: string[] = [];
    let finished = 0;
    queue.process(
      async (job) => {
        ran.push(job.id);
        finished += 1;
      },
      { concurrency: 1 },
    );
    await queue.add('work', {}, { jobId: 'first' });
    await queue.add('work', {}, { jobId: 'second' });
    await waitUntil(() => finished === 2, { timeoutMs: 5_000, intervalMs: 5 });
    expect((await queue.counts()).completed).toBe(1);
    await queue.add('work', {}, { jobId: 'second' });
    await queue.add('work', {}, { jobId: 'first' });
    await queue.close();

    expect(ran).toEqual(['first', 'second', 'first']);
    expect((await queue.counts()).completed).toBe(1);
  });
});
