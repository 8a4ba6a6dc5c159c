/**
 * One measured figure of a benchmark. `bench/run.ts` loads every `bench/*.bench.ts` module, each
 * exporting `run(): Promise<Figure[]>`, and prints the figures as a table (or JSON lines).
 *
 * @example
 *   { name: "export-1000", value: 10412, unit: "ms", bound: 10000, ratio: 1.04 }
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The theoretical best (or the allowed maximum); null when there is none. */
  bound: number | null;
  /** value / bound (null when there is no bound or the bound is 0). */
  ratio: number | null;
}

/** A bench module: `export async function run(): Promise<Figure[]>`. */
export interface BenchModule {
  run(): Promise<Figure[]>;
}

/** A figure with `ratio` computed from value and bound (rounded to 3 decimals). */
export function figure(name: string, value: number, unit: string, bound: number | null): Figure {
  const ratio = bound === null || bound === 0 ? null : Math.round((value / bound) * 1000) / 1000;
  return { name, value, unit, bound, ratio };
}
