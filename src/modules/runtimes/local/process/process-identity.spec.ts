import { formatRunId, isRunning, parseRunId, readProcessIdentity } from './process-identity';

describe('process identity', () => {
  it('round-trips a run id and rejects anything else', () => {
    expect(parseRunId(formatRunId({ pid: 4242, startTime: '987654' }))).toEqual({
      pid: 4242,
      startTime: '987654',
    });
    const supervised = { pid: 4242, startTime: '987654', supervisor: 'b3c1f0e2-0d4e-4f7a-9c1b' };
    expect(parseRunId(formatRunId(supervised))).toEqual(supervised);
    for (const id of ['', '4242', 'abc:1', '1:5', '0:5', '12:34:56', 'ns/job-1', '12:34@../x']) {
      expect(parseRunId(id)).toBeUndefined();
    }
  });

  it('reads the start time of this process and sees that a different start time is not it', async () => {
    const self = await readProcessIdentity(process.pid);
    expect(self).toEqual({ pid: process.pid, startTime: expect.stringMatching(/^\d+$/) });
    await expect(isRunning(self!)).resolves.toBe(true);
    await expect(isRunning({ pid: process.pid, startTime: `${self!.startTime}0` })).resolves.toBe(
      false,
    );
  });

  it('knows a pid that does not exist is not running', async () => {
    await expect(readProcessIdentity(2 ** 22 + 7)).resolves.toBeUndefined();
  });
});
