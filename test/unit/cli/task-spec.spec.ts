import { duration, memory, submissionOf } from '../../../clients/typescript/src/cli/task-spec';

describe('the task kiln run submits', () => {
  it('types hyperparameters that read as JSON and keeps the rest as text', () => {
    const task = submissionOf(['python3', 'train.py'], {
      param: { lr: '3e-4', epochs: '50', amp: 'true', optimizer: 'adamw' },
    });
    expect(task.hyperparameters).toEqual({ lr: 3e-4, epochs: 50, amp: true, optimizer: 'adamw' });
  });

  it('is named after the script it runs unless named, and sends only the options given', () => {
    expect(submissionOf(['python3', '-u', '/work/train.py', '--lr', '1'], {})).toEqual({
      name: 'train.py',
      command: ['python3', '-u', '/work/train.py', '--lr', '1'],
    });
    expect(submissionOf(['./run.sh'], { name: 'mine', gpus: 1, memory: 2048 })).toEqual({
      name: 'mine',
      command: ['./run.sh'],
      resources: { gpu: 1, memoryMiB: 2048 },
    });
  });

  it('reads durations and memory sizes the way people write them', () => {
    expect([duration('90'), duration('90s'), duration('15m'), duration('2h')]).toEqual([
      90, 90, 900, 7200,
    ]);
    expect([memory('512'), memory('512Mi'), memory('4Gi'), memory('4G')]).toEqual([
      512, 512, 4096, 4096,
    ]);
    expect(() => duration('soon')).toThrow('expected a duration like 90s, 15m or 2h');
    expect(() => memory('4TB')).toThrow('expected memory like 512Mi or 4Gi');
  });
});
