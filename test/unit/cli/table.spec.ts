import { renderTable, type Column } from '../../../clients/typescript/src/cli/table';
import { sparkline } from '../../../clients/typescript/src/cli/sparkline';

interface Row {
  id: string;
  name: string;
}

const COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (row) => row.id },
  { header: 'NAME', value: (row) => row.name, flexible: true },
];

describe('tables', () => {
  it('align their columns and keep them whole when they fit', () => {
    const rows = [
      { id: 'a1', name: 'short' },
      { id: 'b22', name: 'a longer name' },
    ];
    expect(renderTable(rows, COLUMNS, 80)).toBe('ID   NAME\na1   short\nb22  a longer name\n');
  });

  it('cut the flexible columns, never the others, to fit the width', () => {
    const rows = [{ id: 'fixed-width-id', name: 'x'.repeat(100) }];
    const lines = renderTable(rows, COLUMNS, 40).trimEnd().split('\n');
    expect(lines.every((line) => line.length <= 40)).toBe(true);
    expect(lines[1]).toMatch(/^fixed-width-id {2}x+…$/);
  });
});

describe('sparklines', () => {
  it('draw a series from its lowest to its highest value in width characters at most', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(
      sparkline(
        Array.from({ length: 100 }, (_, i) => -i),
        10,
      ),
    ).toHaveLength(10);
    expect(sparkline([], 10)).toBe('');
  });
});
