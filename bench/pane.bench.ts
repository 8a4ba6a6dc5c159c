/**
 * Pane start-up benchmark in headless Chromium with the CPU throttled 4x (CDP
 * Emulation.setCPUThrottlingRate), each figure a ratio to a bare React + Fluent page
 * (bench/bare/bare-page.tsx) that this bench builds in the same run with the pane's webpack config
 * and HTML template (same minifier, same office.js). Runs are interleaved (bare, pane, pane, bare,
 * ...), each in a fresh browser context (cold cache); the figures are medians.
 * - pane-start: time from navigation start to the view navigation (role=tablist) in the frame
 *   after it appeared, pane / bare (bound 1.5).
 * - pane-first-view: to the first view's content (its heading in the tab panel, no spinner left
 *   there; the contact view's people of the sample e-mail looked up in the CRM), pane / bare
 *   (no bound: the bare page has no data to fetch).
 * - pane-heap: JS heap after load (after a forced GC), pane / bare (no bound).
 * - pane-start-ms, bare-start-ms, pane-first-view-ms: the medians themselves (no bound).
 * - initial-js-gzip-kib: JS loaded before the default first view is interactive (entry + view +
 *   one language's strings; test/support/bundle-figures.ts), bound 250; total-js-gzip-kib: every
 *   JS file the pane can load, bound 426 (the single bundle before code splitting).
 * Runs: BENCH_PANE_RUNS (default 7).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser } from "../test/support/browser";
import { buildProduction, measureBundle } from "../test/support/bundle-figures";
import { startHttpsHost } from "../test/support/https-host";
import { startStack } from "../test/support/stack";
import { figure, type Figure } from "./figure";

const RUNS = Math.max(1, Number(process.env.BENCH_PANE_RUNS ?? 7));
const CPU_THROTTLE = 4;
const BARE_ENTRY = path.resolve(__dirname, "bare", "bare-page.tsx");

interface Sample {
  startMs: number;
  firstViewMs: number;
  heapBytes: number;
}

/** Records, in the page, when the navigation and the first view's content first appear. */
const MARKS_SCRIPT = `(() => {
  const marks = (window.__benchMarks = {});
  const frame = (key) => requestAnimationFrame(() => { if (marks[key] === undefined) marks[key] = performance.now(); });
  let seenStart = false, seenView = false;
  const check = () => {
    if (!seenStart && document.querySelector('[role="tablist"]')) { seenStart = true; frame("start"); }
    if (!seenView && document.querySelector('[role="tabpanel"] h2') &&
        !document.querySelector('[role="tabpanel"] [role="progressbar"]')) { seenView = true; frame("firstView"); }
    if (seenStart && seenView) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();`;

async function measure(page: Page, url: string): Promise<Sample> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_THROTTLE });
  await page.addInitScript(MARKS_SCRIPT);
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const marks = (window as unknown as { __benchMarks?: Record<string, number> }).__benchMarks;
      return marks?.start !== undefined && marks.firstView !== undefined;
    },
    undefined,
    { timeout: 60_000, polling: 100 },
  );
  const marks = await page.evaluate(
    () => (window as unknown as { __benchMarks: { start: number; firstView: number } }).__benchMarks,
  );
  await page.waitForLoadState("networkidle");
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.detach();
  return { startMs: marks.start, firstViewMs: marks.firstView, heapBytes: heap.usedSize };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

export async function run(): Promise<Figure[]> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-pane-"));
  const paneDir = path.join(tmp, "pane");
  const bareDir = path.join(tmp, "bare");
  const productionDir = path.join(tmp, "production");
  try {
    // The deployable build (sizes), the pane as the e2e tests serve it, and the bare page.
    const productionStats = await buildProduction(productionDir);
    const sizes = measureBundle(productionDir, productionStats);
    await buildProduction(paneDir, { env: { e2e: true } });
    await buildProduction(bareDir, {
      env: { e2e: true },
      configure: (config) => ({ ...config, entry: { taskpane: BARE_ENTRY } }),
    });

    const stack = await startStack({ distDir: paneDir });
    const bareHost = await startHttpsHost({ distDir: bareDir, proxies: {}, config: () => ({}) });
    const browser = await launchBrowser();
    const pane: Sample[] = [];
    const bare: Sample[] = [];
    try {
      const once = async (url: string, into: Sample[]) => {
        const context = await browser.browser.newContext({
          ignoreHTTPSErrors: true,
          locale: "en-US",
          viewport: { width: 420, height: 800 },
        });
        try {
          into.push(await measure(await context.newPage(), url));
        } finally {
          await context.close();
        }
      };
      // Warm-up of both (server code paths, the CRM's first queries), not counted.
      await once(`${bareHost.url}/taskpane.html`, []);
      await once(stack.paneUrl, []);
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) {
          await once(`${bareHost.url}/taskpane.html`, bare);
          await once(stack.paneUrl, pane);
        } else {
          await once(stack.paneUrl, pane);
          await once(`${bareHost.url}/taskpane.html`, bare);
        }
      }
    } finally {
      await browser.close();
      await bareHost.close();
      await stack.close();
    }
    const m = (list: Sample[], key: keyof Sample) => median(list.map((s) => s[key]));
    const startRatio = round(m(pane, "startMs") / m(bare, "startMs"));
    const firstViewRatio = round(m(pane, "firstViewMs") / m(bare, "firstViewMs"));
    const heapRatio = round(m(pane, "heapBytes") / m(bare, "heapBytes"));
    return [
      figure("pane-start", startRatio, "x bare page", 1.5),
      figure("pane-first-view", firstViewRatio, "x bare page", null),
      figure("pane-heap", heapRatio, "x bare page", null),
      figure("pane-start-ms", Math.round(m(pane, "startMs")), "ms", null),
      figure("bare-start-ms", Math.round(m(bare, "startMs")), "ms", null),
      figure("pane-first-view-ms", Math.round(m(pane, "firstViewMs")), "ms", null),
      figure("pane-heap-mib", round(m(pane, "heapBytes") / 1024 / 1024, 1), "MiB", null),
      figure("initial-js-gzip-kib", sizes.initialByView.contact, "KiB", 250),
      figure("total-js-gzip-kib", sizes.totalKiB, "KiB", 426),
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
