/**
 * Benchmark runner: `npm run bench` (a table) or `npm run bench -- --json` (one JSON object per
 * line: name, value, unit, bound, ratio). Loads every `bench/*.bench.ts` in name order; a filter
 * argument runs only the modules whose file name contains it (`npm run bench -- export`).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchModule, Figure } from "./figure";

function table(rows: Figure[]): string {
  const cells = rows.map((f) => [
    f.name,
    String(f.value),
    f.unit,
    f.bound === null ? "-" : String(f.bound),
    f.ratio === null ? "-" : f.ratio.toFixed(3),
  ]);
  const head = ["figure", "value", "unit", "bound", "ratio"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 || i === 2 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const filters = args.filter((a) => !a.startsWith("--"));
  const dir = __dirname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  const all: Figure[] = [];
  let failed = false;
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as Partial<BenchModule> & {
      default?: Partial<BenchModule>;
    };
    const run = mod.run ?? mod.default?.run;
    if (typeof run !== "function") {
      process.stderr.write(`${file}: exports no run() — skipped\n`);
      failed = true;
      continue;
    }
    if (!json) process.stderr.write(`running ${file} …\n`);
    try {
      const figures = await run();
      for (const f of figures) {
        all.push(f);
        if (json) process.stdout.write(`${JSON.stringify(f)}\n`);
      }
    } catch (error) {
      failed = true;
      process.stderr.write(
        `${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  }
  if (!json) process.stdout.write(`${table(all)}\n`);
  // Exit explicitly: a bench may leave keep-alive sockets or timers of the libraries it drives.
  process.stdout.write("", () => process.exit(failed ? 1 : 0));
}

void main();
