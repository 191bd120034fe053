import { formatCursor, resumePointOf } from './feed-cursor';

describe('feed cursor', () => {
  it('reads a position in both logs back from the id it wrote', () => {
    expect(resumePointOf(formatCursor({ task: 1042, service: 17 }))).toEqual({
      task: 1042,
      service: 17,
    });
  });

  it('takes a bare number as a task event id, as clients before service events sent', () => {
    expect(resumePointOf('1042')).toEqual({ task: 1042 });
  });

  it('ignores ids it did not write', () => {
    for (const id of ['', 'abc', '1:2:3', '-1', '1:', ':2', '1.5'])
      expect(resumePointOf(id)).toBeUndefined();
  });
});
