// A series as one line of block characters, lowest ▁ to highest █.
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(values: number[], width: number): string {
  if (values.length === 0) return '';
  const sampled = values.length <= width ? values : sample(values, width);
  const low = Math.min(...sampled);
  const span = Math.max(...sampled) - low;
  return sampled
    .map(
      (value) => BLOCKS[span === 0 ? 3 : Math.round(((value - low) / span) * (BLOCKS.length - 1))],
    )
    .join('');
}

/** `width` values evenly spread over the series, keeping its first and last. */
function sample(values: number[], width: number): number[] {
  return Array.from(
    { length: width },
    (_, index) => values[Math.round((index * (values.length - 1)) / Math.max(1, width - 1))],
  );
}
