/**
 * Percentiles of the resolution time from a histogram (issue #21: the SLA report reads maintained
 * aggregates, not every ticket of the period). Bucket 0 holds 0 working minutes; bucket b ≥ 1 holds
 * [2^((b-1)/8), 2^(b/8)) minutes, the SQL side's resolution_bucket() (db/migrations/0018). Each bucket
 * keeps its count and the sum of its minutes, so a value alone in its bucket (or a bucket that can hold
 * one whole minute only) is exact; otherwise it is placed evenly inside the bucket, off by less than
 * the bucket's width: RESOLUTION_PERCENTILE_ERROR of the value.
 */

/** Buckets per doubling of the time. */
export const BUCKETS_PER_DOUBLING = 8;
/** The largest relative error of an estimated percentile: one bucket's width, 2^(1/8) − 1 ≈ 9 %. */
export const RESOLUTION_PERCENTILE_ERROR = 2 ** (1 / BUCKETS_PER_DOUBLING) - 1;

export interface HistogramBucket {
  readonly bucket: number;
  readonly n: number;
  /** The sum of the bucket's values, in minutes. */
  readonly minutes: number;
}

export function bucketBounds(bucket: number): { lower: number; upper: number } {
  if (bucket <= 0) return { lower: 0, upper: 0 };
  return {
    lower: 2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING),
    upper: 2 ** (bucket / BUCKETS_PER_DOUBLING),
  };
}

/** The k-th smallest value (0-based) of the histogram, buckets in ascending order. */
function valueAt(buckets: readonly HistogramBucket[], k: number): number {
  let before = 0;
  for (const b of buckets) {
    if (k < before + b.n) {
      const { lower, upper } = bucketBounds(b.bucket);
      const wholeMinutes = Math.ceil(upper) - Math.ceil(lower);
      if (b.n === 1 || wholeMinutes <= 1) return b.minutes / b.n;
      return lower + ((upper - lower) * (k - before + 0.5)) / b.n;
    }
    before += b.n;
  }
  throw new RangeError(`rank ${k} outside a histogram of ${before} values`);
}

/**
 * The q-quantile as PostgreSQL's percentile_cont computes it (linear between the two nearest ranks),
 * in minutes; null for an empty histogram.
 */
export function histogramPercentile(buckets: readonly HistogramBucket[], q: number): number | null {
  const sorted = [...buckets].filter((b) => b.n > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((s, b) => s + b.n, 0);
  if (total === 0) return null;
  const rank = q * (total - 1);
  const below = Math.floor(rank);
  const low = valueAt(sorted, below);
  if (rank === below) return low;
  return low + (rank - below) * (valueAt(sorted, below + 1) - low);
}
