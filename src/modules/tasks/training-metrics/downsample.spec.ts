import { downsample } from './downsample';

interface Point {
  step: number;
  value: number;
}

const series = (values: number[]): Point[] => values.map((value, step) => ({ step, value }));

/** A deterministic, bumpy series with no two equal neighbours. */
const wave = (length: number): Point[] =>
  series(Array.from({ length }, (_, i) => Math.sin(i / 7) * 10 + Math.cos(i / 3) + i / 100));

const steps = (points: Point[]) => points.map((point) => point.step);
const isAscending = (values: number[]) => values.every((v, i) => i === 0 || values[i - 1] < v);

describe('downsample', () => {
  it('returns a copy of the series when it already fits', () => {
    const points = wave(10);
    const result = downsample(points, 10);
    expect(result).toEqual(points);
    expect(result).not.toBe(points);
  });

  it('returns an empty series for an empty input', () => {
    expect(downsample([], 5)).toEqual([]);
  });

  it('keeps only the first and last point when maxPoints is 2', () => {
    const points = wave(100);
    expect(steps(downsample(points, 2))).toEqual([0, 99]);
  });

  it('keeps the most extreme inner point when maxPoints is 3', () => {
    const points = series([5, 5, 5, 100, 5, 4, 5, 5]);
    expect(steps(downsample(points, 3))).toEqual([0, 3, 7]);
    const dip = series([5, 5, 5, -100, 5, 6, 5, 5]);
    expect(steps(downsample(dip, 3))).toEqual([0, 3, 7]);
  });

  it('never returns more than maxPoints and always keeps the first and last point', () => {
    for (const length of [3, 4, 5, 17, 100, 1001]) {
      for (const maxPoints of [2, 3, 4, 5, 6, 7, 10, 33, 500]) {
        const points = wave(length);
        const result = downsample(points, maxPoints);
        expect(result.length).toBeLessThanOrEqual(maxPoints);
        if (length <= maxPoints) expect(result).toHaveLength(length);
        expect(result[0]).toBe(points[0]);
        expect(result[result.length - 1]).toBe(points[length - 1]);
      }
    }
  });

  it('preserves the original order', () => {
    for (const maxPoints of [3, 4, 9, 50, 999]) {
      expect(isAscending(steps(downsample(wave(5000), maxPoints)))).toBe(true);
    }
  });

  it('uses the whole budget on a series without ties', () => {
    expect(downsample(wave(10_000), 500)).toHaveLength(500);
    expect(downsample(wave(10_000), 501)).toHaveLength(501);
  });

  it('keeps the global minimum and maximum wherever they are', () => {
    const values = wave(10_000).map((point) => point.value);
    values[4321] = 1e6;
    values[777] = -1e6;
    const result = downsample(series(values), 10);
    expect(steps(result)).toEqual(expect.arrayContaining([777, 4321]));
  });

  it('keeps the extremes of every bucket', () => {
    // Four buckets of 100 inner points (steps 1-100, 101-200, ...), each with one spike and one dip.
    const values = Array.from({ length: 402 }, () => 0);
    const spikes = [10, 150, 260, 390];
    const dips = [60, 120, 230, 330];
    spikes.forEach((index) => (values[index] = 1));
    dips.forEach((index) => (values[index] = -1));
    const result = downsample(series(values), 10);
    expect(steps(result)).toEqual([0, 10, 60, 120, 150, 230, 260, 330, 390, 401]);
  });

  it('returns one point per bucket when all values are equal', () => {
    const points = series(Array.from({ length: 1000 }, () => 0.5));
    const result = downsample(points, 100);
    expect(result.length).toBeLessThanOrEqual(100);
    expect(result.length).toBeGreaterThan(2);
    expect(result.every((point) => point.value === 0.5)).toBe(true);
    expect(isAscending(steps(result))).toBe(true);
  });

  it('handles a budget of buckets that leaves one inner point per bucket', () => {
    // 12 points, maxPoints 11: nine inner slots over ten inner points.
    const points = wave(12);
    const result = downsample(points, 11);
    expect(result.length).toBeLessThanOrEqual(11);
    expect(isAscending(steps(result))).toBe(true);
    expect(result[0]).toBe(points[0]);
    expect(result[result.length - 1]).toBe(points[11]);
  });

  it.each([1, 0, -1, 2.5, Number.NaN])('rejects maxPoints %p', (maxPoints) => {
    expect(() => downsample(wave(10), maxPoints)).toThrow(RangeError);
  });
});
