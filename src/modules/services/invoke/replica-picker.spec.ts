import { ReplicaPicker } from './replica-picker';

const endpoints = ['a', 'b', 'c'].map((name) => ({ replica: name, url: `http://${name}` }));

describe('ReplicaPicker', () => {
  it('takes the ready replicas in turn', () => {
    const picker = new ReplicaPicker();
    const picked = [1, 2, 3, 4].map(() => picker.pick('s', endpoints)?.replica);
    expect(picked).toEqual(['a', 'b', 'c', 'a']);
  });

  it('skips a replica that failed a connection while others are ready', () => {
    const picker = new ReplicaPicker();
    picker.markFailed('http://b');
    const picked = [1, 2, 3, 4].map(() => picker.pick('s', endpoints)?.replica);
    expect(picked).not.toContain('b');
  });

  it('never picks a replica already tried for the same request', () => {
    const picker = new ReplicaPicker();
    const tried = new Set(['http://a', 'http://b', 'http://c']);
    expect(picker.pick('s', endpoints, tried)).toBeUndefined();
  });
});
