/**
 * Headless Chromium for e2e tests and screenshots, found without any install step:
 * $CHROMIUM_PATH / $CHROME_PATH, else a system Chromium/Chrome, else the browser shipped in the
 * @sparticuz/chromium npm package (unpacked to /tmp on first use). Flags per TOOLCHAIN trap 1.
 *
 * @example
 *   const browser = await launchBrowser();
 *   const pane = await openPane(browser, stack.paneUrl);
 *   ...
 *   pane.assertNoErrors(); // throws listing every console error and page error seen
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const SYSTEM_BROWSERS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * @sparticuz/chromium is ESM-only and resolves its files via import.meta.url, which Jest's CJS
 * runtime cannot load: ask a child Node process for the unpacked binary's path and its flags.
 */
async function sparticuzChromium(): Promise<{ executablePath: string; args: string[] }> {
  const script =
    'import c from "@sparticuz/chromium";' +
    "const p = await c.executablePath();" +
    "process.stdout.write(JSON.stringify({ executablePath: p, args: c.args }));";
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: path.resolve(__dirname, "..", ".."),
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as { executablePath: string; args: string[] };
}

/** The browser executable and extra flags that will be used (exported for diagnostics). */
export async function findBrowser(): Promise<{ executablePath: string; args: string[] }> {
  const fromEnv = process.env.CHROMIUM_PATH || process.env.CHROME_PATH;
  if (fromEnv) return { executablePath: fromEnv, args: [] };
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return { executablePath: system, args: [] };
  const bundled = await sparticuzChromium();
  // Keep the package's flags except its headless/sandbox/GPU choices, which FLAGS already sets.
  // Also drop the flags that would weaken what the tests check (web security, mixed content).
  const args = bundled.args.filter(
    (a) =>
      !/^--(headless|no-sandbox|single-process|no-zygote|disable-web-security|allow-running-insecure-content)/.test(
        a,
      ),
  );
  return { executablePath: bundled.executablePath, args };
}

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser (Playwright removes its temporary profile). */
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<LaunchedBrowser> {
  const { executablePath, args } = await findBrowser();
  // Playwright gives every launch a fresh temporary profile (user-data dir) and removes it on close.
  const browser = await chromium.launch({ executablePath, headless: true, args: [...args, ...FLAGS] });
  return { browser, close: () => browser.close() };
}

export interface Pane {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far. */
  errors: string[];
  /** Throws when any console error, page error or failed same-origin request was recorded since the last call. */
  assertNoErrors(): void;
  close(): Promise<void>;
}

export async function openPane(
  browser: Browser | LaunchedBrowser,
  url: string,
  options: {
    locale?: string;
    colorScheme?: "light" | "dark";
    /** A phone: viewport in CSS pixels, touch events and a mobile viewport (default: a 420 x 800 pane). */
    phone?: { width: number; height: number };
    /** Runs in every frame before the page's own scripts (e.g. to block storage). */
    initScript?: string;
  } = {},
): Promise<Pane> {
  const b = "browser" in browser ? browser.browser : browser;
  const context = await b.newContext({
    ignoreHTTPSErrors: true,
    locale: options.locale ?? "en-US",
    colorScheme: options.colorScheme ?? "light",
    viewport: options.phone ?? { width: 420, height: 800 },
    ...(options.phone ? { hasTouch: true, isMobile: true, deviceScaleFactor: 3 } : {}),
  });
  if (options.initScript) await context.addInitScript({ content: options.initScript });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Graph answers 404 for a contact without a photo (its documented "no photo"); Chromium logs
    // every 4xx fetch as a console error. Only that exact case is allowed.
    const noPhoto =
      /status of 404/.test(message.text()) &&
      /\/contacts\/[^/]+\/photo\/\$value$/.test(message.location().url);
    if (!noPhoto) errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  const origin = new URL(url).origin;
  page.on("requestfailed", (request) => {
    // Only the pane's own origin: office.js also tries Microsoft's telemetry, unreachable offline.
    if (new URL(request.url()).origin === origin && !request.failure()?.errorText.includes("ERR_ABORTED")) {
      errors.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
    }
  });
  await page.goto(url);
  return {
    page,
    context,
    errors,
    assertNoErrors() {
      if (errors.length === 0) return;
      const seen = errors.splice(0); // report each error once: the next check sees only new ones
      throw new Error(`Errors in the pane:\n${seen.join("\n")}`);
    },
    close: () => context.close(),
  };
}
