// The JobQueue contract: one suite, run against every driver (memory in the unit suite,
// bullmq in the integration suite), so both keep the same semantics.
import { waitUntil } from '../../src/common/wait-until';
import { Job, JobCounts, JobQueue } from '../../src/infra/jobs/job-queue.port';

export interface JobQueueHarness {
  get(name: string): JobQueue;
  /** Closes every queue it handed out and releases connections. */
  close(): Promise<void>;
}

/** Timers may fire a millisecond or two early; a shorter wait than this is a real bug. */
const TIMER_SLACK_MS = 5;

const NO_JOBS: JobCounts = {
  waiting: 0,
  delayed: 0,
  active: 0,
  completed: 0,
  failed: 0,
  paused: 0,
};

export function describeJobQueueContract(
  driver: string,
  makeQueues: () => JobQueueHarness | Promise<JobQueueHarness>,
): void {
  describe(`JobQueue contract: ${driver}`, () => {
    let harness: JobQueueHarness;
    let queue: JobQueue;
    let queueNumber = 0;

    beforeEach(async () => {
      harness = await makeQueues();
      queue = harness.get(`contract-${(queueNumber += 1)}`);
    });

    afterEach(() => harness.close());

    async function expectEventually(condition: () => boolean | Promise<boolean>, what: string) {
      const result = await waitUntil(condition, { timeoutMs: 10_000, intervalMs: 10 });
      expect({ what, satisfied: result.satisfied }).toEqual({ what, satisfied: true });
    }

    function recordIds(order: string[], workMs = 0) {
      return async (job: Job) => {
        order.push(job.id);
        if (workMs > 0) await new Promise((done) => setTimeout(done, workMs));
      };
    }

    it('runs jobs in the order they were added', async () => {
      const jobs = ['first', 'second', 'third', 'fourth'];
      for (const jobId of jobs) await queue.add('work', {}, { jobId });
      const order: string[] = [];
      queue.process(recordIds(order), { concurrency: 1 });

      await expectEventually(() => order.length === jobs.length, 'all jobs ran');
      expect(order).toEqual(jobs);
    });

    it('holds a delayed job back for at least its delay', async () => {
      const started = new Map<string, number>();
      queue.process(
        async (job) => {
          started.set(job.id, Date.now());
        },
        { concurrency: 2 },
      );
      const addedAt = Date.now();
      await queue.add('work', {}, { jobId: 'later', delayMs: 400 });
      await queue.add('work', {}, { jobId: 'now' });
      expect((await queue.counts()).delayed).toBe(1);

      await expectEventually(() => started.size === 2, 'both jobs ran');
      expect(started.get('later')! - addedAt).toBeGreaterThanOrEqual(400 - TIMER_SLACK_MS);
      expect(started.get('now')!).toBeLessThan(started.get('later')!);
    });

    it('retries a failing job with exponential backoff and numbers each try', async () => {
      const tries: Array<{ attempt: number; at: number }> = [];
      queue.process(
        async (job) => {
          tries.push({ attempt: job.attempt, at: Date.now() });
          if (job.attempt < 3) throw new Error(`try ${job.attempt} fails`);
        },
        { concurrency: 1 },
      );
      await queue.add(
        'work',
        { n: 1 },
        { jobId: 'flaky', attempts: 3, backoff: { type: 'exponential', delayMs: 150 } },
      );

      await expectEventually(async () => (await queue.counts()).completed === 1, 'completed');
      expect(tries.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
      expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS);
      expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
    });

    it('tells each try the wait before the next, capped and jittered, and keeps to it', async () => {
      const tries: Array<{ attempt: number; at: number; retryDelayMs: number | null }> = [];
      queue.process(
        async (job) => {
          tries.push({ attempt: job.attempt, at: Date.now(), retryDelayMs: job.retryDelayMs });
          if (job.attempt < 4) throw new Error(`try ${job.attempt} fails`);
        },
        { concurrency: 1 },
      );
      const backoff = { type: 'exponential', delayMs: 100, maxDelayMs: 150, jitter: 0.5 } as const;
      await queue.add('work', {}, { jobId: 'capped', attempts: 4, backoff });

      await expectEventually(async () => (await queue.counts()).completed === 1, 'completed');
      expect(tries.map((entry) => entry.attempt)).toEqual([1, 2, 3, 4]);
      expect(tries[3].retryDelayMs).toBeNull();
      const uncapped = [100, 200, 400];
      for (const [i, full] of uncapped.entries()) {
        const wait = tries[i].retryDelayMs!;
        const capped = Math.min(full, 150);
        expect(wait).toBeGreaterThanOrEqual(capped / 2);
        expect(wait).toBeLessThanOrEqual(capped);
        expect(tries[i + 1].at - tries[i].at).toBeGreaterThanOrEqual(wait - TIMER_SLACK_MS);
      }
    });

    it('fails a job for good after its attempts with fixed backoff', async () => {
      const tries: Array<{ attempt: number; at: number }> = [];
      queue.process(
        async (job) => {
          tries.push({ attempt: job.attempt, at: Date.now() });
          throw new Error('always fails');
        },
        { concurrency: 1 },
      );
      await queue.add(
        'work',
        {},
        { jobId: 'doomed', attempts: 2, backoff: { type: 'fixed', delayMs: 200 } },
      );

      await expectEventually(async () => (await queue.counts()).failed === 1, 'failed');
      expect(tries.map((entry) => entry.attempt)).toEqual([1, 2]);
      expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
      expect(await queue.counts()).toEqual({ ...NO_JOBS, failed: 1 });
    });

    it('never runs more jobs at once than the concurrency', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      let done = 0;
      for (let i = 0; i < 9; i += 1) await queue.add('work', {}, { jobId: `job-${i}` });
      queue.process(
        async () => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 40));
          inFlight -= 1;
          done += 1;
        },
        { concurrency: 3 },
      );

      await expectEventually(() => done === 9, 'all jobs ran');
      expect(maxInFlight).toBe(3);
    });

    it('adds a job whose id the queue still holds only once', async () => {
      const order: string[] = [];
      await queue.add('work', { copy: 1 }, { jobId: 'unique:42' });
      await queue.add('work', { copy: 2 }, { jobId: 'unique:42' });
      const data: unknown[] = [];
      queue.process(
        async (job) => {
          order.push(job.id);
          data.push(job.data);
        },
        { concurrency: 1 },
      );
      await expectEventually(async () => (await queue.counts()).completed === 1, 'completed');
      await queue.add('work', { copy: 3 }, { jobId: 'unique:42' });
      await queue.add('work', {}, { jobId: 'other' });

      await expectEventually(() => order.includes('other'), 'the other job ran');
      expect(order).toEqual(['unique:42', 'other']);
      expect(data[0]).toEqual({ copy: 1 });
    });

    it('replaces a finished job with the same id when asked, and still de-duplicates a waiting one', async () => {
      const tries: string[] = [];
      queue.process(
        async (job) => {
          tries.push(`${job.id}:${(job.data as { copy: number }).copy}`);
          if ((job.data as { copy: number }).copy === 1) throw new Error('gives up');
        },
        { concurrency: 1 },
      );
      await queue.add('work', { copy: 1 }, { jobId: 'again:1' });
      await expectEventually(async () => (await queue.counts()).failed === 1, 'failed');
      await queue.add('work', { copy: 2 }, { jobId: 'again:1' });
      await queue.add('work', { copy: 3 }, { jobId: 'again:1', replaceFinished: true });
      await expectEventually(async () => (await queue.counts()).completed === 1, 'completed');
      await queue.pause();
      await queue.add('work', { copy: 4 }, { jobId: 'held', replaceFinished: true });
      await queue.add('work', { copy: 5 }, { jobId: 'held', replaceFinished: true });

      expect(tries).toEqual(['again:1:1', 'again:1:3']);
      expect(await queue.counts()).toEqual({ ...NO_JOBS, completed: 1, paused: 1 });
    });

    it('keeps job ids that look like integers or hold colons distinct', async () => {
      const ids = ['7', '07', 'a:b', 'a%3Ab', 'launch:1:2'];
      for (const jobId of ids) await queue.add('work', {}, { jobId });
      const order: string[] = [];
      queue.process(recordIds(order), { concurrency: 1 });

      await expectEventually(() => order.length === ids.length, 'all jobs ran');
      expect([...order].sort()).toEqual([...ids].sort());
    });

    it('hands out no job while paused and all of them after resume', async () => {
      const order: string[] = [];
      queue.process(recordIds(order), { concurrency: 2 });
      await queue.pause();
      for (let i = 0; i < 3; i += 1) await queue.add('work', {}, { jobId: `paused-${i}` });

      // Nothing can signal a job that does not start, so watch for a while.
      const ranWhilePaused = await waitUntil(() => order.length > 0, { timeoutMs: 500 });
      expect(ranWhilePaused.satisfied).toBe(false);
      expect(await queue.counts()).toEqual({ ...NO_JOBS, paused: 3 });

      await queue.resume();
      await expectEventually(() => order.length === 3, 'all jobs ran after resume');
    });

    it('counts jobs by state', async () => {
      await queue.add('work', {}, { jobId: 'b' });
      await queue.add('work', {}, { jobId: 'a' });
      await queue.add('work', {}, { jobId: 'c', delayMs: 60_000 });
      expect(await queue.counts()).toEqual({ ...NO_JOBS, waiting: 2, delayed: 1 });

      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      queue.process(
        async (job) => {
          if (job.id === 'b') throw new Error('b fails');
          await gate;
        },
        { concurrency: 1 },
      );
      try {
        await expectEventually(async () => {
          const { active, failed } = await queue.counts();
          return active === 1 && failed === 1;
        }, 'b failed and a is active');
        expect(await queue.counts()).toEqual({ ...NO_JOBS, active: 1, failed: 1, delayed: 1 });
      } finally {
        release();
      }
      await expectEventually(async () => (await queue.counts()).completed === 1, 'a completed');
      expect(await queue.counts()).toEqual({ ...NO_JOBS, completed: 1, failed: 1, delayed: 1 });
    });

    it('lets running jobs finish when the queue closes', async () => {
      let started = false;
      let finished = false;
      queue.process(
        async () => {
          started = true;
          await new Promise((resolve) => setTimeout(resolve, 300));
          finished = true;
        },
        { concurrency: 1 },
      );
      await queue.add('work', {}, { jobId: 'long' });
      await expectEventually(() => started, 'the job started');

      await queue.close();
      expect(finished).toBe(true);
    });
  });
}
