// A line chart on uPlot (canvas; 100k points stay fluid): x is the step, one line per
// series. Drag across the plot to zoom in on steps, double-click to zoom back out.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useThemeMode } from '../layout/theme';

export interface ChartSeries {
  label: string;
  /** [step, value] pairs, in any order. */
  points: Array<[number, number]>;
}

const PALETTE = [
  '#c2410c',
  '#2563eb',
  '#16a34a',
  '#9333ea',
  '#db2777',
  '#0891b2',
  '#ca8a04',
  '#4b5563',
  '#dc2626',
  '#0d9488',
];

/** uPlot wants one shared, sorted x axis; a series without a point at a step gets null. */
export function alignSeries(series: ChartSeries[]): uPlot.AlignedData {
  const steps = [...new Set(series.flatMap((one) => one.points.map(([step]) => step)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(steps.map((step, position) => [step, position]));
  const columns = series.map((one) => {
    const column: Array<number | null> = new Array(steps.length).fill(null);
    for (const [step, value] of one.points) column[index.get(step)!] = value;
    return column;
  });
  return [steps, ...columns] as uPlot.AlignedData;
}

export function LineChart({
  title,
  series,
  height = 240,
}: {
  title: string;
  series: ChartSeries[];
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const { mode } = useThemeMode();

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const axisColor = mode === 'dark' ? '#d4d4d8' : '#3f3f46';
    const gridColor = mode === 'dark' ? '#3f3f46' : '#e4e4e7';
    const axis = { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor } };
    const plot = new uPlot(
      {
        width: element.clientWidth || 600,
        height,
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'step' }, axis],
        series: [
          { label: 'step' },
          ...series.map((one, position) => ({
            label: one.label,
            stroke: PALETTE[position % PALETTE.length],
            width: 1.5,
            spanGaps: true,
          })),
        ],
        cursor: { drag: { x: true, y: false } },
      },
      alignSeries(series),
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, height, mode]);

  return (
    <figure
      style={{ margin: 0 }}
      data-testid={`chart-${title}`}
      data-points={series.reduce((sum, one) => sum + one.points.length, 0)}
    >
      <figcaption style={{ fontWeight: 600, marginBottom: 4 }}>{title}</figcaption>
      <div ref={container} role="img" aria-label={`${title} by step`} />
    </figure>
  );
}
