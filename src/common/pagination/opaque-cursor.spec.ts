import { InvalidInputError } from '../errors/domain-error';
import { asRecord, decodeCursor, encodeCursor } from './opaque-cursor';
import { decodeTimeIdCursor, encodeTimeIdCursor } from './time-id-cursor';

const readIndex = (value: unknown) => {
  const index = asRecord(value)?.i;
  return typeof index === 'number' ? index : undefined;
};

describe('opaque cursors', () => {
  it('give back the key they were made from', () => {
    expect(decodeCursor(encodeCursor({ i: 7 }), readIndex)).toBe(7);
    const key = {
      at: new Date('2030-06-01T10:00:00.123Z'),
      id: '0b6f5a9e-4a4e-4c1f-9a53-3a0d8f0f6d11',
    };
    expect(decodeTimeIdCursor(encodeTimeIdCursor(key))).toEqual(key);
  });

  it.each([
    ['text that is not base64url JSON', 'not a cursor'],
    ['JSON that is not an object', Buffer.from('[1]').toString('base64url')],
    ['an object without the key', encodeCursor({ j: 1 })],
  ])('refuse %s as invalid input naming the cursor', (_case, text) => {
    expect(() => decodeCursor(text, readIndex)).toThrow(InvalidInputError);
    try {
      decodeCursor(text, readIndex);
    } catch (error) {
      expect((error as InvalidInputError).fieldProblems).toEqual([
        { field: 'cursor', message: 'is not valid' },
      ]);
    }
  });

  it('refuse a time-and-id cursor with a date or id the database would not take', () => {
    const id = '0b6f5a9e-4a4e-4c1f-9a53-3a0d8f0f6d11';
    expect(() => decodeTimeIdCursor(encodeCursor({ t: 'yesterday', id }))).toThrow(
      InvalidInputError,
    );
    expect(() =>
      decodeTimeIdCursor(encodeCursor({ t: '2030-06-01T10:00:00.000Z', id: '1; drop' })),
    ).toThrow(InvalidInputError);
  });
});
