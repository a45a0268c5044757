/**
 * Issue #21: the SLA report's median and p90 come from a maintained histogram of resolution times.
 * They must be what PostgreSQL's percentile_cont gives over the raw values, exactly when each rank's
 * value is alone in its bucket, and within RESOLUTION_PERCENTILE_ERROR otherwise.
 */
import {
  bucketBounds,
  histogramPercentile,
  RESOLUTION_PERCENTILE_ERROR,
  type HistogramBucket,
} from '../../../domain/reports/resolutionHistogram';

/** The SQL side's resolution_bucket() (db/migrations/0018_dashboard_aggregates.sql). */
const bucketOf = (m: number) => (m <= 0 ? 0 : 1 + Math.floor((8 * Math.log(m)) / Math.log(2)));

function histogram(values: readonly number[]): HistogramBucket[] {
  const byBucket = new Map<number, { n: number; minutes: number }>();
  for (const v of values) {
    const b = byBucket.get(bucketOf(v)) ?? { n: 0, minutes: 0 };
    byBucket.set(bucketOf(v), { n: b.n + 1, minutes: b.minutes + v });
  }
  return [...byBucket].map(([bucket, b]) => ({ bucket, ...b }));
}

/** percentile_cont over the raw values. */
function exact(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = q * (s.length - 1);
  const lo = Math.floor(rank);
  return s[lo]! + (rank - lo) * ((s[Math.ceil(rank)] ?? s[lo]!) - s[lo]!);
}

describe('resolution-time percentiles from the histogram (issue #21)', () => {
  it('equal percentile_cont when each rank is alone in its bucket: 9 and 63 working hours give 36 and 57.6', () => {
    const h = histogram([540, 3780]);
    expect(histogramPercentile(h, 0.5)).toBe(2160);
    expect(histogramPercentile(h, 0.9)).toBeCloseTo(3456, 6);
    expect(histogramPercentile([], 0.5)).toBeNull();
    expect(histogramPercentile(histogram([0, 0, 7]), 0.5)).toBe(0);
  });

  it('stay within the stated error for a desk-like spread of many values', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({ length: 20 + Math.floor(random() * 2000) }, () =>
        Math.floor(Math.exp(random() * 11)),
      );
      const h = histogram(values);
      for (const q of [0.5, 0.9]) {
        const want = exact(values, q);
        expect(Math.abs(histogramPercentile(h, q)! - want)).toBeLessThanOrEqual(
          want * RESOLUTION_PERCENTILE_ERROR + 1e-9,
        );
      }
    }
    const { lower, upper } = bucketBounds(bucketOf(1000));
    expect(lower <= 1000 && 1000 < upper).toBe(true);
    expect(upper / lower - 1).toBeCloseTo(RESOLUTION_PERCENTILE_ERROR, 12);
  });
});
