import { fromBullmqJobId, toBullmqJobId } from './bullmq-job-ids';

describe('BullMQ job ids', () => {
  const ids = ['launch:42:1', '7', '007', '-1', 'a%3Ab', 'a:b', 'plain', 'ünï code/±'];

  it.each(ids)('maps %p to an id BullMQ accepts and back', (id) => {
    const encoded = toBullmqJobId(id);
    expect(encoded).not.toContain(':');
    expect(`${parseInt(encoded, 10)}`).not.toBe(encoded);
    expect(fromBullmqJobId(encoded)).toBe(id);
  });

  it('maps distinct ids to distinct BullMQ ids, the same id always to the same one', () => {
    const encoded = ids.map(toBullmqJobId);
    expect(new Set(encoded).size).toBe(ids.length);
    expect(ids.map(toBullmqJobId)).toEqual(encoded);
  });
});
