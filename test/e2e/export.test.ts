/**
 * The export wizard end to end: the built pane (`webpack --env e2e`) against the embedded default
 * (CRM server + Graph emulator behind one HTTPS host), driven by headless Chromium. Searches,
 * moves persons, exports into a folder of its own, checks the summary and the emulator's
 * contents, then re-opens the wizard and finds the persons pre-selected as exported.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { demoData } from "../servers/demo-data";
import { launchBrowser, openPane, type LaunchedBrowser, type Pane } from "../support/browser";
import { startStack, type Stack } from "../support/stack";

jest.setTimeout(120_000);

let stack: Stack;
let browser: LaunchedBrowser;
let pane: Pane;

const FOLDER = "CRM Export";

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  pane = await openPane(browser, `${stack.paneUrl}?view=export`);
});

afterAll(async () => {
  await pane?.close();
  await browser?.close();
  await stack?.close();
});

const wizard = (page: Page) => page.getByRole("region", { name: "Export contact persons" });
const available = (page: Page) => wizard(page).getByRole("listbox", { name: /^Available/ });
const selected = (page: Page) => wizard(page).getByRole("listbox", { name: /^Selected for export/ });

async function expectNoAxeViolations(page: Page, step: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .include('section[aria-labelledby="export-wizard-title"]')
    .analyze();
  const violations = result.violations.map((v) => ({
    step,
    id: v.id,
    impact: v.impact,
    targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
  expect(violations).toEqual([]);
}

async function searchMuellerBau(page: Page): Promise<void> {
  await wizard(page).getByRole("textbox", { name: "Business partner" }).fill("Müller Bau");
  await wizard(page).getByRole("button", { name: "Search" }).click();
  await available(page).waitFor();
}

/** CRM ids of the options of a listbox (option ids end with the CRM id). */
async function optionIds(page: Page, listbox: ReturnType<typeof available>): Promise<string[]> {
  const ids = await listbox.getByRole("option").evaluateAll((els) => els.map((el) => el.id));
  return ids.map((id) => id.replace(/^export-(available|selected)-option-/, ""));
}

test("search, move, export into a folder of its own, then see them pre-selected as exported", async () => {
  const { page } = pane;
  await wizard(page).getByRole("button", { name: "Search" }).waitFor();
  await expectNoAxeViolations(page, "criteria");

  // (1) search -> (2) assignment
  await searchMuellerBau(page);
  await wizard(page)
    .getByText(/contact persons? found/)
    .waitFor();
  await expectNoAxeViolations(page, "assign");
  const anna = available(page).getByRole("option").filter({ hasText: "Schmidt, Anna" });
  await anna.click();
  const others = available(page).getByRole("option").filter({ hasNotText: "Schmidt, Anna" });
  await others.first().click({ modifiers: ["Control"] });
  await wizard(page).getByRole("button", { name: "Move selected to the export list" }).click();
  await expect(selected(page).getByRole("option").count()).resolves.toBe(2);
  const exportedIds = await optionIds(page, selected(page));
  expect(exportedIds).toContain("cp-00001");

  // (3) options
  await wizard(page).getByRole("button", { name: "Save" }).click();
  await wizard(page).getByRole("radio", { name: "A contact folder of its own" }).check();
  await wizard(page)
    .getByRole("textbox", { name: /Folder name/ })
    .fill(FOLDER);
  await expectNoAxeViolations(page, "options");
  await wizard(page).getByRole("button", { name: "Next" }).click();

  // (4) preview
  await wizard(page).getByText("2 new contacts").waitFor();
  await expectNoAxeViolations(page, "preview");
  await wizard(page).getByRole("button", { name: "2 new contacts" }).click();
  await wizard(page).getByRole("list", { name: "2 new contacts" }).getByText("Anna Schmidt").waitFor();
  await wizard(page).getByRole("button", { name: "Export", exact: true }).click();

  // (5)/(6) summary
  const summary = wizard(page).getByRole("table", { name: "Export summary" });
  await summary.waitFor();
  await expect(summary.getByRole("row").filter({ hasText: "Created" }).textContent()).resolves.toContain("2");
  await expect(summary.getByRole("row").filter({ hasText: "Failed" }).textContent()).resolves.toContain("0");
  await expectNoAxeViolations(page, "summary");

  // The emulator's contents: each exported person exactly once, linked, fields mapped, photo.
  const box = stack.graph.inspect();
  const folder = box.folders.find((f) => f.displayName === FOLDER);
  expect(folder).toBeDefined();
  const demo = demoData();
  const persons = new Map(demo.contactPersons.map((p) => [p.id, p]));
  const partners = new Map(demo.businessPartners.map((p) => [p.id, p]));
  for (const crmId of exportedIds) {
    const matches = box.contacts.filter((c) => c.extendedProperties[CRM_ID_PROPERTY] === crmId);
    expect(matches).toHaveLength(1);
    const [contact] = matches;
    const person = persons.get(crmId);
    expect(contact?.folderId).toBe(folder?.id);
    expect(contact?.props.surname).toBe(person?.lastName);
    expect(contact?.props.givenName).toBe(person?.firstName);
    expect(contact?.emailAddresses[0]?.address).toBe(person?.email);
    expect(contact?.props.companyName).toBe(partners.get(person?.businessPartnerId ?? "")?.name);
    if (person?.hasPhoto) expect(contact?.photo).not.toBeNull();
  }
  const annaContact = box.contacts.find((c) => c.extendedProperties[CRM_ID_PROPERTY] === "cp-00001");
  expect(annaContact?.props.mobilePhone).toBe("+49 171 2345678");
  expect(annaContact?.photo).not.toBeNull();
  // Anna's CRM photo is a 16x16 PNG: the pane converted it with the webview's canvas into a JPEG
  // the emulator could decode (it keeps the decoded size; an undecodable JPEG is stored as 1x1).
  expect(demo.contactPersons.find((p) => p.id === "cp-00001")?.photo?.contentType).toBe("image/png");
  expect(annaContact?.photo).toMatchObject({ contentType: "image/jpeg", width: 16, height: 16 });

  // Re-open the wizard (leave the view and come back: a fresh wizard): the exported persons are
  // on the right, marked "exported".
  await page.getByRole("navigation").getByRole("tab", { name: "Import" }).click();
  await wizard(page).waitFor({ state: "detached" });
  await page.getByRole("navigation").getByRole("tab", { name: "Export" }).click();
  await searchMuellerBau(page);
  await expect(optionIds(page, selected(page))).resolves.toEqual(expect.arrayContaining(exportedIds));
  await expect(selected(page).getByRole("option").count()).resolves.toBe(exportedIds.length);
  await expect(selected(page).getByText("exported").count()).resolves.toBe(exportedIds.length);
  pane.assertNoErrors();
});

/** Waits until the Sync log lists `count` runs "after export" (the sync that follows every export). */
async function waitForSyncsAfterExport(page: Page, count: number): Promise<void> {
  await page.getByRole("navigation").getByRole("tab", { name: "Sync log" }).click();
  const runs = page.getByRole("region", { name: "Sync log" }).getByRole("button", { name: /after export/ });
  for (let tries = 0; (await runs.count()) < count; tries++) {
    if (tries > 240) throw new Error(`fewer than ${count} syncs after export were logged`);
    await page.waitForTimeout(250);
  }
}

test("an inactive CRM person is never exported: the export cycle leaves nothing in Deleted Items and a re-run writes nothing", async () => {
  const { page } = pane;
  const INACTIVE = "cp-00596"; // Urs Frei, inactive in the demo CRM
  const openFreshWizard = async () => {
    await page.getByRole("navigation").getByRole("tab", { name: "Import" }).click();
    await wizard(page).waitFor({ state: "detached" });
    await page.getByRole("navigation").getByRole("tab", { name: "Export" }).click();
    await wizard(page).getByRole("textbox", { name: "Name or e-mail" }).fill("Frei Urs");
    await wizard(page).getByRole("checkbox", { name: "Only contact persons I am responsible for" }).uncheck();
    await wizard(page).getByRole("button", { name: "Search" }).click();
    await wizard(page)
      .getByText("1 inactive contact person also matches the search", { exact: false })
      .waitFor();
  };
  // First export: the four active Urs Frei; the inactive one is not offered.
  await openFreshWizard();
  const offered = await optionIds(page, available(page));
  expect(offered).toHaveLength(4);
  expect(offered).not.toContain(INACTIVE);
  await wizard(page).getByRole("button", { name: "Move all to the export list" }).click();
  await wizard(page).getByRole("button", { name: "Save" }).click();
  await wizard(page).getByRole("radio", { name: "The default Contacts folder" }).check();
  await wizard(page).getByRole("button", { name: "Next" }).click();
  await wizard(page).getByText("4 new contacts").waitFor();
  await wizard(page).getByRole("button", { name: "Export", exact: true }).click();
  const summary = wizard(page).getByRole("table", { name: "Export summary" });
  await summary.waitFor();
  await expect(summary.getByRole("row").filter({ hasText: "Created" }).textContent()).resolves.toContain("4");
  await waitForSyncsAfterExport(page, 2); // the first test's export, then this one's

  const box = stack.graph.inspect();
  const crmIds = (contacts: typeof box.contacts) =>
    contacts.map((c) => c.extendedProperties[CRM_ID_PROPERTY]);
  expect(crmIds(box.contacts)).not.toContain(INACTIVE);
  expect(box.contacts.filter((c) => c.folderId === box.deletedItemsId)).toEqual([]);
  for (const id of offered) expect(crmIds(box.contacts).filter((c) => c === id)).toHaveLength(1);

  // Re-run the finished export with the same search: the preview says nothing to do, and the run
  // (with the sync after it) writes nothing to Outlook.
  await openFreshWizard();
  await expect(optionIds(page, selected(page))).resolves.toEqual(expect.arrayContaining(offered));
  await wizard(page).getByRole("button", { name: "Save" }).click();
  await wizard(page).getByRole("button", { name: "Next" }).click();
  await wizard(page).getByText("Everything is up to date; the export will not change anything.").waitFor();
  stack.graph.resetRequestCounts();
  await wizard(page).getByRole("button", { name: "Export", exact: true }).click();
  await wizard(page).getByRole("table", { name: "Export summary" }).waitFor();
  await waitForSyncsAfterExport(page, 3);
  const writes = Object.entries(stack.graph.requestCounts()).filter(
    ([route, n]) => n > 0 && /^(POST|PATCH|PUT|DELETE) /.test(route) && route !== "POST /$batch",
  );
  expect(writes).toEqual([]);
  const after = stack.graph.inspect();
  expect(after.contacts.filter((c) => c.folderId === after.deletedItemsId)).toEqual([]);
  pane.assertNoErrors();
});
