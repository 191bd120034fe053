import { LineSplitter } from './line-splitter';

function split(chunks: Array<string | Buffer>, maxLineLength = 100): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(maxLineLength, (line) => lines.push(line));
  for (const chunk of chunks) splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('joins lines that arrive across chunks and emits a last line without newline', () => {
    expect(split(['KILN_PRO', 'GRESS 0.5\nsecond\r\nthi', 'rd'])).toEqual([
      'KILN_PROGRESS 0.5',
      'second',
      'third',
    ]);
  });

  it('keeps empty lines', () => {
    expect(split(['a\n\nb\n'])).toEqual(['a', '', 'b']);
  });

  it('cuts a line longer than the limit and says how much it dropped', () => {
    expect(split(['x'.repeat(30), 'y'.repeat(30) + '\nnext\n'], 10)).toEqual([
      'xxxxxxxxxx [line cut: 50 more characters]',
      'next',
    ]);
  });

  it('does not split a multi-byte character that straddles two chunks', () => {
    const bytes = Buffer.from('loss π\n');
    expect(split([bytes.subarray(0, 6), bytes.subarray(6)])).toEqual(['loss π']);
  });
});
