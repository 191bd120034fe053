// Plain aligned columns, as kubectl prints them. When the rows are wider than the
// terminal, the columns marked `flexible` give up width first, their cells cut with "…".
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** May be narrowed to fit; the others keep their width. */
  flexible?: boolean;
  /** Applied after measuring, so colour codes do not count as width. */
  paint?: (text: string, row: T) => string;
}

const GAP = '  ';
const MIN_FLEXIBLE = 6;

export function renderTable<T>(rows: T[], columns: Column<T>[], width?: number): string {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => row[index].length)),
  );
  if (width !== undefined) shrink(widths, columns, width);
  const line = (texts: string[], row?: T) =>
    texts
      .map((text, index) => {
        const fitted = fit(text, widths[index]);
        const padded = index === texts.length - 1 ? fitted : fitted.padEnd(widths[index]);
        const paint = columns[index].paint;
        return row !== undefined && paint ? paint(padded, row) : padded;
      })
      .join(GAP)
      .trimEnd();
  const header = line(columns.map((column) => column.header));
  return [header, ...cells.map((texts, index) => line(texts, rows[index]))].join('\n') + '\n';
}

function shrink<T>(widths: number[], columns: Column<T>[], width: number): void {
  let excess = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1) - width;
  while (excess > 0) {
    const widest = widths.reduce(
      (best, w, index) =>
        columns[index].flexible && w > MIN_FLEXIBLE && (best < 0 || w > widths[best])
          ? index
          : best,
      -1,
    );
    if (widest < 0) return;
    widths[widest]--;
    excess--;
  }
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
