import { isStorableText, unstorableTextIn } from './storable-text';

describe('storable text', () => {
  it('accepts any well-formed text, surrogate pairs included', () => {
    expect(isStorableText('plain ascii')).toBe(true);
    expect(isStorableText('emoji 😀 and ünïcödé')).toBe(true);
  });

  it.each([
    ['a NUL', 'a\u0000b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a pair in the wrong order', '\udc00\ud800'],
  ])('refuses %s', (_what, text) => {
    expect(isStorableText(text)).toBe(false);
  });

  it('names the field of every unstorable string and key, however deep', () => {
    const value = {
      name: 'ok',
      command: ['echo', 'a\u0000'],
      env: { A: 'fine', B: '\ud800' },
      hyperparameters: { nested: { 'k\u0000': 1 } },
    };
    expect(
      unstorableTextIn(value)
        .map((problem) => problem.field)
        .sort(),
    ).toEqual(['command.1', 'env.B', 'hyperparameters.nested']);
  });

  it('finds nothing in a value without strings', () => {
    expect(unstorableTextIn({ a: [1, true, null, { b: 2 }] })).toEqual([]);
    expect(unstorableTextIn(undefined)).toEqual([]);
  });
});
