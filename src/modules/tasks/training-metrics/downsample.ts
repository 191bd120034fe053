// Shrinks a metric series for charting without hiding what matters in it: the first
// and last points, and each stretch's lowest and highest value (a loss spike survives).

export interface SeriesValue {
  value: number;
}

/**
 * At most `maxPoints` of `points`, in their original order: the first and the last,
 * and between them, for each of up to ceil((maxPoints - 2) / 2) equal-length buckets,
 * the bucket's minimum and maximum (one point when they coincide). When the budget is
 * odd, the last bucket has room for one point and keeps its more extreme value.
 */
export function downsample<T extends SeriesValue>(points: readonly T[], maxPoints: number): T[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new RangeError(`maxPoints must be an integer of at least 2, got ${maxPoints}`);
  if (points.length <= maxPoints) return [...points];

  const innerBudget = maxPoints - 2;
  const inner = points.slice(1, -1);
  const bucketCount = Math.ceil(innerBudget / 2);
  const kept: T[] = [points[0]];
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    const start = Math.floor((bucket * inner.length) / bucketCount);
    const end = Math.floor(((bucket + 1) * inner.length) / bucketCount);
    const slots = Math.min(2, innerBudget - bucket * 2);
    for (const index of extremesOf(inner, start, end, slots)) kept.push(inner[index]);
  }
  kept.push(points[points.length - 1]);
  return kept;
}

/** Indexes (ascending) of the minimum and maximum of points[start, end), at most `slots` of them. */
function extremesOf(points: readonly SeriesValue[], start: number, end: number, slots: number) {
  let minIndex = start;
  let maxIndex = start;
  let sum = 0;
  for (let index = start; index < end; index++) {
    const value = points[index].value;
    sum += value;
    if (value < points[minIndex].value) minIndex = index;
    if (value > points[maxIndex].value) maxIndex = index;
  }
  if (minIndex === maxIndex) return [minIndex];
  if (slots === 1) {
    const mean = sum / (end - start);
    const minDeviation = mean - points[minIndex].value;
    const maxDeviation = points[maxIndex].value - mean;
    return [maxDeviation > minDeviation ? maxIndex : minIndex];
  }
  return minIndex < maxIndex ? [minIndex, maxIndex] : [maxIndex, minIndex];
}
