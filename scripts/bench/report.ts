/** One benchmark figure, printed as one JSON line (the format docs/benchmarks.md collects). */
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  note?: string;
}

export function emit(f: Omit<Figure, 'ratio'> & { ratio?: number | null }): void {
  const ratio = f.ratio !== undefined ? f.ratio : f.baseline ? f.value / f.baseline : null;
  const round = (n: number | null): number | null => (n === null ? null : Math.round(n * 1000) / 1000);
  const line: Figure = {
    bench: f.bench,
    metric: f.metric,
    value: round(f.value)!,
    unit: f.unit,
    baseline: round(f.baseline),
    ratio: round(ratio),
    ...(f.note && { note: f.note }),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Progress for people goes to stderr so stdout stays machine-readable. */
export function say(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
