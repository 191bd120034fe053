import { exceedsDepth } from './json-body';

describe('exceedsDepth', () => {
  it('counts arrays and objects', () => {
    expect(exceedsDepth('[[[]]]', 3)).toBe(false);
    expect(exceedsDepth('[[[[]]]]', 3)).toBe(true);
    expect(exceedsDepth('{"a":{"b":[{}]}}', 4)).toBe(false);
    expect(exceedsDepth('{"a":{"b":[{}]}}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsDepth('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
  });

  it('measures depth, not the number of brackets', () => {
    expect(exceedsDepth(`[${'[],'.repeat(10_000)}[]]`, 2)).toBe(false);
  });
});
