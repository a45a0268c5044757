/** The nearest-rank percentile of sorted samples (p in 0–100), as every benchmark reports it. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
