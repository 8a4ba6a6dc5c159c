/**
 * Keyboard only, end to end: the Contact replication switch and the export wizard's first two
 * steps (search, assignment) operated with Tab, Enter, Space and the arrow keys, no mouse. The
 * built pane (`webpack --env e2e`) on the embedded default, in headless Chromium.
 */
import type { Locator, Page } from "playwright-core";
import { launchBrowser, openPane, type LaunchedBrowser } from "../support/browser";
import { startStack, type Stack } from "../support/stack";

jest.setTimeout(180_000);

let stack: Stack;
let browser: LaunchedBrowser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Presses Tab (at most `limit` times) until `target` has the focus; fails when it is never reached. */
async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < limit; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press("Tab");
  }
  expect(await isFocused(target)).toBe(true);
}

/** Re-reads `read()` until it returns `expected` (at most ~10 s), then asserts it. */
async function poll<T>(read: () => Promise<T>, expected: T): Promise<void> {
  for (let i = 0; i < 100 && (await read()) !== expected; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await read()).toBe(expected);
}

/** The number of options of a (virtualised) listbox: every rendered option carries aria-setsize. */
async function listSize(listbox: Locator): Promise<number> {
  return Number(await listbox.getByRole("option").first().getAttribute("aria-setsize"));
}

test("the Contact replication switch is reachable with Tab and toggles with Space; the dialog works by keys", async () => {
  const pane = await openPane(browser, `${stack.paneUrl}?view=contact`);
  try {
    const { page } = pane;
    const anna = page
      .getByRole("list", { name: "Sender and recipients" })
      .getByRole("listitem", { name: "Anna Schmidt" });
    await anna.getByText("Not replicated").waitFor();
    const toggle = anna.getByRole("switch", { name: "Replicate Anna Schmidt to Outlook" });

    await tabTo(page, toggle);
    await page.keyboard.press("Space");
    await anna.getByText("Replicated", { exact: true }).waitFor();
    expect(await toggle.isChecked()).toBe(true);

    // Off asks first: Escape cancels and leaves it on ...
    await toggle.focus();
    await page.keyboard.press("Space");
    const dialog = page.getByRole("alertdialog", { name: "Stop replicating Anna Schmidt?" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await toggle.isChecked()).toBe(true);

    // ... and Tab + Enter on the confirm button withdraws the contact.
    await tabTo(page, toggle);
    await page.keyboard.press("Space");
    await dialog.waitFor();
    await tabTo(page, dialog.getByRole("button", { name: "Delete Outlook contact" }), 5);
    await page.keyboard.press("Enter");
    await anna.getByText("Not replicated").waitFor();
    expect(await toggle.isChecked()).toBe(false);
    pane.assertNoErrors();
  } finally {
    await pane.close();
  }
});

test("export wizard by keyboard: search with Enter, pick with Home/arrows/Space, move with Enter, save", async () => {
  const pane = await openPane(browser, `${stack.paneUrl}?view=export`);
  try {
    const { page } = pane;
    const wizard = page.getByRole("region", { name: "Export contact persons" });
    const partner = wizard.getByRole("textbox", { name: "Business partner" });
    await tabTo(page, partner);
    await page.keyboard.type("Müller Bau");
    await page.keyboard.press("Enter"); // submits the search form

    const available = wizard.getByRole("listbox", { name: /^Available/ });
    const selected = wizard.getByRole("listbox", { name: /^Selected for export/ });
    await available.getByRole("option").first().waitFor();
    const before = await listSize(available);
    expect(before).toBeGreaterThan(1);

    await tabTo(page, available);
    await page.keyboard.press("Home"); // selects the first option
    await page.keyboard.press("Control+ArrowDown"); // moves the focus only
    await page.keyboard.press("Space"); // adds the second option
    expect(await available.locator('[role="option"][aria-selected="true"]').count()).toBe(2);
    await page.keyboard.press("Enter"); // moves them to the right
    await expect(selected.getByRole("option").count()).resolves.toBe(2);
    await expect(listSize(available)).resolves.toBe(before - 2);

    // Home picks the first on the right, Enter moves it back.
    await tabTo(page, selected);
    await page.keyboard.press("Home");
    await page.keyboard.press("Enter");
    await expect(selected.getByRole("option").count()).resolves.toBe(1);

    await tabTo(page, wizard.getByRole("button", { name: "Save" }));
    await page.keyboard.press("Enter");
    await wizard.getByRole("radiogroup", { name: "Target folder in Outlook" }).waitFor();
    pane.assertNoErrors();
  } finally {
    await pane.close();
  }
});

test("navigation with arrow keys, Sync now with Enter, a run's details open with Space", async () => {
  const pane = await openPane(browser, `${stack.paneUrl}?view=export`);
  try {
    const { page } = pane;
    const nav = page.getByRole("navigation");
    await tabTo(page, nav.getByRole("tab", { name: "Export" }));
    for (const name of ["Import", "Contact replication", "Sync log"]) {
      await page.keyboard.press("ArrowRight");
      await expect(isFocused(nav.getByRole("tab", { name }))).resolves.toBe(true);
    }
    await page.keyboard.press("Enter");
    const view = page.getByRole("region", { name: "Sync log" });
    await view.waitFor();

    const syncNow = view.getByRole("button", { name: "Sync now", exact: true });
    await tabTo(page, syncNow);
    await page.keyboard.press("Enter");
    const run = view.getByRole("group", { name: "Sync runs" }).getByRole("button").first();
    await run.waitFor({ timeout: 60_000 });
    // The run list changes while a sync (on opening, or this one) is still running: wait for quiet.
    await poll(() => syncNow.isEnabled(), true);
    await tabTo(page, run);
    await page.keyboard.press("Space");
    await poll(() => run.getAttribute("aria-expanded"), "true");
    pane.assertNoErrors();
  } finally {
    await pane.close();
  }
});
