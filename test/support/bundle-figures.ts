/**
 * Builds the pane for production (webpack's Node API, the repo's webpack.config.js) into a folder
 * and measures its JavaScript gzip sizes per chunk group: the initial JS of each first view
 * (entry + the start-up chunk with config validation and adapters + that view's chunks + one
 * language's strings: everything loaded before the view is interactive), the pane's total JS (every chunk the pane can load; the sign-in dialog page is
 * its own entry and counted apart). Used by test/build/bundle-budget.test.ts and the bench.
 *
 * @example
 *   const figures = await buildAndMeasure(outDir);
 *   figures.initialKiB; // the largest initial JS over views and languages
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import webpack, { type Configuration, type StatsCompilation } from "webpack";
import { viewIds, type ViewId } from "../../src/taskpane/shell/views";

export interface BundleFigures {
  /** gzip KiB per first view: the largest over the two languages. */
  initialByView: Record<ViewId, number>;
  /** The largest of initialByView. */
  initialKiB: number;
  /** Every JS file the task pane can load (initial + on demand). */
  totalKiB: number;
  /** The sign-in dialog page's JS (its own entry, not part of the pane). */
  dialogKiB: number;
  /** Entry chunk files of the pane (loaded by taskpane.html). */
  entryFiles: string[];
  /** gzip KiB per emitted JS file. */
  files: Record<string, number>;
}

const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

type ConfigFactory = (env: Record<string, unknown>, argv: Record<string, unknown>) => Configuration;

export interface BuildOptions {
  /** webpack `--env` values, e.g. `{ e2e: true }` (local office.js). */
  env?: Record<string, unknown>;
  /** Changes the config before the build (the bench builds its bare page this way). */
  configure?: (config: Configuration) => Configuration;
}

/** Runs a production build of webpack.config.js into `outDir` and returns its stats. */
export async function buildProduction(outDir: string, options: BuildOptions = {}): Promise<StatsCompilation> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS webpack config
  const factory = require("../../webpack.config.js") as ConfigFactory;
  const base = factory(options.env ?? {}, { mode: "production" });
  const config = (options.configure ?? ((c) => c))({ ...base, output: { ...base.output, path: outDir } });
  return new Promise((resolve, reject) => {
    webpack(config, (error, stats) => {
      if (error) return reject(error);
      if (!stats) return reject(new Error("webpack returned no stats"));
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve(stats.toJson({ all: false, chunkGroups: true }));
    });
  });
}

/**
 * The same production build through webpack-cli in a child process, stats written with `--json`
 * (for Jest: webpack's minimizer workers do not run inside a Jest worker).
 */
export async function buildProductionInChild(outDir: string): Promise<StatsCompilation> {
  const statsFile = path.join(outDir, "..", `${path.basename(outDir)}-stats.json`);
  await promisify(execFile)(
    process.execPath,
    [
      require.resolve("webpack-cli/bin/cli.js"),
      "--mode",
      "production",
      "--output-path",
      outDir,
      "--json",
      statsFile,
    ],
    { cwd: path.resolve(__dirname, "..", ".."), maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(readFileSync(statsFile, "utf8")) as StatsCompilation;
}

/** The gzip figures of a build in `outDir` with its `stats`. */
export function measureBundle(outDir: string, stats: StatsCompilation): BundleFigures {
  const groups = stats.namedChunkGroups ?? {};
  const filesOf = (group: string): string[] => {
    const found = groups[group];
    if (!found) throw new Error(`the build has no chunk group "${group}"`);
    return (found.assets ?? []).map((a) => a.name).filter((name) => name.endsWith(".js"));
  };
  const files: Record<string, number> = {};
  const gz = (file: string): number =>
    (files[file] ??= gzipSync(readFileSync(path.join(outDir, file))).length);
  const sum = (list: Iterable<string>): number => kib([...new Set(list)].reduce((n, f) => n + gz(f), 0));

  const entryFiles = filesOf("taskpane");
  // The start-up chunk (config validation, adapters) is needed before any view can work.
  const startupFiles = filesOf("startup");
  const initialByView = {} as Record<ViewId, number>;
  for (const view of viewIds) {
    initialByView[view] = Math.max(
      ...["en", "de"].map((lang) =>
        sum([...entryFiles, ...startupFiles, ...filesOf(`view-${view}`), ...filesOf(`strings-${lang}`)]),
      ),
    );
  }
  const dialogOnly = new Set(filesOf("dialog"));
  const paneGroups = Object.keys(groups).filter((g) => g !== "dialog");
  const paneFiles = new Set(paneGroups.flatMap(filesOf));
  const allJs = readdirSync(outDir).filter((n) => n.endsWith(".js"));
  for (const file of allJs) if (!dialogOnly.has(file)) paneFiles.add(file);
  return {
    initialByView,
    initialKiB: Math.max(...Object.values(initialByView)),
    totalKiB: sum(paneFiles),
    dialogKiB: sum(dialogOnly),
    entryFiles,
    files: Object.fromEntries(Object.entries(files).map(([f, b]) => [f, kib(b)])),
  };
}
