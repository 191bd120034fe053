import { LogCheckpoint, TimestampedLine, splitTimestamp } from './log-checkpoint';

function line(raw: string): TimestampedLine {
  const parsed = splitTimestamp(raw);
  if (!parsed) throw new Error(`no timestamp in ${raw}`);
  return parsed;
}

function read(checkpoint: LogCheckpoint, raws: string[]): string[] {
  checkpoint.beginRead();
  return raws
    .map(line)
    .filter((l) => checkpoint.accept(l))
    .map((l) => l.text);
}

describe('splitTimestamp', () => {
  it('reads RFC 3339 timestamps with nanoseconds, trimmed fractions and offsets', () => {
    const nano = line('2024-05-01T10:00:00.123456789Z KILN_PROGRESS 0.5');
    expect(nano.text).toBe('KILN_PROGRESS 0.5');
    expect(nano.nanos).toBe(1714557600123456789n);
    expect(nano.time.toISOString()).toBe('2024-05-01T10:00:00.123Z');
    expect(line('2024-05-01T10:00:00.5Z x').nanos).toBe(1714557600500000000n);
    expect(line('2024-05-01T12:00:00+02:00 x').nanos).toBe(1714557600000000000n);
    expect(line('2024-05-01T10:00:00Z').text).toBe('');
    expect(line('2024-05-01T10:00:00Z  indented').text).toBe(' indented');
  });

  it('finds no timestamp in an ordinary line', () => {
    expect(splitTimestamp('epoch 1 loss 0.3')).toBeUndefined();
    expect(splitTimestamp('')).toBeUndefined();
  });
});

describe('LogCheckpoint', () => {
  it('reads from the start, then from the second of the newest line', () => {
    const checkpoint = new LogCheckpoint();
    expect(checkpoint.sinceTime).toBeUndefined();
    read(checkpoint, ['2024-05-01T10:00:07.9Z a']);
    expect(checkpoint.sinceTime).toBe('2024-05-01T10:00:07Z');
  });

  it('hands on each line once when a resumed read repeats the last second', () => {
    const checkpoint = new LogCheckpoint();
    const first = ['2024-05-01T10:00:01.1Z a', '2024-05-01T10:00:01.2Z b'];
    expect(read(checkpoint, first)).toEqual(['a', 'b']);
    const resumed = [...first, '2024-05-01T10:00:01.3Z c', '2024-05-01T10:00:02Z d'];
    expect(read(checkpoint, resumed)).toEqual(['c', 'd']);
    expect(read(checkpoint, resumed)).toEqual([]);
  });

  it('keeps lines that share one timestamp, counting those already handed on', () => {
    const checkpoint = new LogCheckpoint();
    const same = '2024-05-01T10:00:01.5Z';
    expect(read(checkpoint, [`${same} a`, `${same} b`])).toEqual(['a', 'b']);
    expect(read(checkpoint, [`${same} a`, `${same} b`, `${same} c`])).toEqual(['c']);
    expect(read(checkpoint, [`${same} a`, `${same} b`, `${same} c`])).toEqual([]);
  });

  it('skips every line up to the millisecond an earlier reader delivered, and reads from its second', () => {
    const checkpoint = new LogCheckpoint();
    checkpoint.skipThrough(new Date('2024-05-01T10:00:01.200Z'));
    expect(checkpoint.sinceTime).toBe('2024-05-01T10:00:01Z');
    const log = [
      '2024-05-01T10:00:01.1Z a',
      '2024-05-01T10:00:01.2Z b',
      '2024-05-01T10:00:01.200999999Z c',
      '2024-05-01T10:00:01.201Z d',
      '2024-05-01T10:00:03Z e',
    ];
    expect(read(checkpoint, log)).toEqual(['d', 'e']);
    expect(checkpoint.sinceTime).toBe('2024-05-01T10:00:03Z');
    expect(read(checkpoint, log)).toEqual([]);
  });

  it('never moves back: an older delivered time or a stale own position changes nothing', () => {
    const checkpoint = new LogCheckpoint();
    expect(read(checkpoint, ['2024-05-01T10:00:01Z a'])).toEqual(['a']);
    checkpoint.skipThrough(new Date('2024-05-01T10:00:05Z')); // another process read on
    expect(checkpoint.sinceTime).toBe('2024-05-01T10:00:05Z');
    checkpoint.skipThrough(new Date('2024-05-01T10:00:02Z'));
    const log = ['2024-05-01T10:00:01Z a', '2024-05-01T10:00:04Z b', '2024-05-01T10:00:06Z c'];
    expect(read(checkpoint, log)).toEqual(['c']);
  });
});
