/**
 * The shell end to end: the built pane (dist/, `webpack --env e2e`) served by the embedded
 * default (CRM server + Graph emulator behind one HTTPS host), driven by headless Chromium.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { launchBrowser, openPane, type LaunchedBrowser, type Pane } from "../support/browser";
import { startStack, type Stack } from "../support/stack";

jest.setTimeout(120_000);

let stack: Stack;
let browser: LaunchedBrowser;
let pane: Pane;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  pane = await openPane(browser, `${stack.paneUrl}?view=export`);
});

afterAll(async () => {
  await pane?.close();
  await browser?.close();
  await stack?.close();
});

async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  // Fluent's focus manager (tabster) adds aria-hidden focus sentinels (<i data-tabster-dummy>) that
  // hand focus on at once; axe reports them as aria-hidden-focus. They are excluded, nothing else.
  const result = await new AxeBuilder({ page }).exclude("[data-tabster-dummy]").analyze();
  const violations = result.violations.map((v) => ({
    view: label,
    id: v.id,
    impact: v.impact,
    targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
  expect(violations).toEqual([]);
}

const viewNames = ["Export", "Import", "Contact replication", "Sync log", "Settings"];

const nav = (page: Page) => page.getByRole("navigation");

/** Waits (bounded) until the view shows no spinner, so axe sees the loaded view. */
async function settled(page: Page): Promise<void> {
  await page
    .waitForFunction(() => !document.querySelector("#view-panel .fui-Spinner"), undefined, {
      timeout: 10_000,
    })
    .catch((error: unknown) => {
      // A view may keep a spinner up (e.g. a slow stand-in): check it as it is rather than fail here.
      process.stderr.write(`view not settled: ${String(error)}\n`);
    });
}

test("the pane opens on the requested view, connected, with counts from both stand-ins", async () => {
  const { page } = pane;
  await expect(nav(page).getByRole("tab", { name: "Export" }).getAttribute("aria-selected")).resolves.toBe(
    "true",
  );
  await page.getByText("Preview — not running inside Outlook").waitFor();
  const status = page.getByRole("status").filter({ hasText: "Connected" });
  await status.waitFor();
  const text = (await status.textContent()) ?? "";
  const m = /Connected: (\d+)(\+?) CRM contact persons, (\d+) Outlook contacts/.exec(text);
  expect(m).not.toBeNull();
  expect(Number(m?.[1])).toBeGreaterThan(0);
  // The pane reached both stand-ins through the host's proxy.
  expect(stack.crm.requestCount()).toBeGreaterThan(0);
  expect(stack.graph.requestCounts().total).toBeGreaterThan(0);
  pane.assertNoErrors();
});

test("switches to German and back", async () => {
  const { page } = pane;
  await page.getByRole("combobox", { name: "Language" }).selectOption("de");
  await nav(page).getByRole("tab", { name: "Einstellungen" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Verbunden" }).waitFor();
  await page.getByText("Vorschau – läuft nicht in Outlook").waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
  await expectNoAxeViolations(page, "export (de)");
  await page.getByRole("combobox", { name: "Sprache" }).selectOption("en");
  await nav(page).getByRole("tab", { name: "Settings" }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
  pane.assertNoErrors();
});

test.each(viewNames)("visits the %s view with no accessibility violations", async (name) => {
  const { page } = pane;
  await nav(page).getByRole("tab", { name }).click();
  await page.getByRole("tabpanel", { name }).waitFor();
  await expect(nav(page).getByRole("tab", { name }).getAttribute("aria-selected")).resolves.toBe("true");
  await settled(page);
  await expectNoAxeViolations(page, name);
  pane.assertNoErrors();
});

describe.each([
  ["dark", "Dark", "dark"],
  ["high-contrast", "High contrast", "light"],
] as const)("in the %s theme", (theme, themeLabel, colorScheme) => {
  let themed: Pane;

  beforeAll(async () => {
    themed = await openPane(browser, `${stack.paneUrl}?view=export`, { colorScheme });
    await themed.page.getByRole("combobox", { name: "Theme" }).selectOption({ label: themeLabel });
    await themed.page.locator(`[data-theme="${theme}"]`).first().waitFor();
  });

  afterAll(async () => {
    await themed?.close();
  });

  test.each(viewNames)("the %s view has no accessibility violations", async (name) => {
    const { page } = themed;
    await nav(page).getByRole("tab", { name }).click();
    await page.getByRole("tabpanel", { name }).waitFor();
    await settled(page);
    await expectNoAxeViolations(page, `${name} (${theme})`);
    themed.assertNoErrors();
  });

  test("a sync run's expanded details have no accessibility violations", async () => {
    const { page } = themed;
    await nav(page).getByRole("tab", { name: "Sync log" }).click();
    const view = page.getByRole("region", { name: "Sync log" });
    await view.getByRole("button", { name: "Sync now" }).click();
    const run = view.getByRole("group", { name: "Sync runs" }).getByRole("button").first();
    await run.waitFor({ timeout: 60_000 });
    await run.click();
    // colours are final once the panel's animation ended
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
    await expectNoAxeViolations(page, `sync run (${theme})`);
    themed.assertNoErrors();
  });
});

test("a bad config.json shows the list of problems instead of a blank pane", async () => {
  const bad = await openPane(browser, `${stack.paneUrl}?view=export`, { locale: "de-DE" });
  try {
    await bad.page.route("**/config.json", (route) =>
      route.fulfill({
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ crmBaseUrl: "http://crm" }),
      }),
    );
    await bad.page.reload();
    const list = bad.page.getByRole("list", { name: "Die Konfiguration des Add-ins ist ungültig" });
    await list.waitFor();
    const items = await list.getByRole("listitem").allTextContents();
    expect(items).toEqual(
      expect.arrayContaining([
        "crmBaseUrl: muss eine absolute https-URL sein (http nur für localhost)",
        "auth: fehlt",
      ]),
    );
    await expectNoAxeViolations(bad.page, "config error");
    bad.assertNoErrors();
  } finally {
    await bad.close();
  }
});
