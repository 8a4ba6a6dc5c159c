/**
 * Sync end to end: the built pane (`webpack --env e2e`) against the embedded default, in headless
 * Chromium. A CRM person is exported (real export runner and adapters, from the test process),
 * then edited in the CRM through its API (PATCH with If-Match); the pane opens on the Sync log,
 * syncs, and the Outlook contact (checked in the emulator) carries the change; the log lists it.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../../src/adapters/crm/crm-client";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { runExport } from "../../src/app/export-runner";
import { defaultFieldDirections } from "../../src/core/mapping";
import type { ContactPerson } from "../../src/core/model";
import { planExport } from "../../src/core/plans/export-plan";
import type { ContactStore, CrmClient } from "../../src/core/ports";
import { launchBrowser, openPane, type LaunchedBrowser, type Pane } from "../support/browser";
import { startStack, type Stack } from "../support/stack";

jest.setTimeout(180_000);

let stack: Stack;
let browser: LaunchedBrowser;
let pane: Pane | undefined;
let crm: CrmClient;
let contacts: ContactStore;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  const tokens = createStaticTokenProvider({ crm: stack.crm.token, graph: stack.graph.token });
  crm = createCrmClient({ baseUrl: stack.crm.url, tokens });
  contacts = createGraphContactStore({
    toJpeg,
    baseUrl: stack.graph.url,
    tokens,
    fetchOptions: insecureFetchOptions(),
  });
});

afterAll(async () => {
  await pane?.close();
  await browser?.close();
  await stack?.close();
});

const view = (page: Page) => page.getByRole("region", { name: "Sync log" });

test("a CRM edit reaches the linked Outlook contact and the log lists the run", async () => {
  // 1. Export Anna Schmidt (links her Outlook contact).
  const anna = (await crm.searchContactPersons({ search: "anna.schmidt@mueller-bau.de" })).items.find(
    (p) => p.email === "anna.schmidt@mueller-bau.de",
  ) as ContactPerson;
  expect(anna).toBeDefined();
  const partner = await crm.getBusinessPartner(anna.businessPartnerId);
  const plan = planExport({
    selected: [{ person: anna, partner }],
    linked: await contacts.listLinkedContacts(),
    deselectedExported: [],
    options: { withdrawDeselected: false, fieldDirections: defaultFieldDirections },
    now: new Date().toISOString(),
  });
  const summary = await runExport(
    plan,
    { crm, contacts },
    { folderName: null, fieldDirections: defaultFieldDirections },
  );
  expect(summary.created).toBe(1);

  // 2. Someone edits her in the CRM (PATCH with If-Match).
  const current = await crm.getContactPerson(anna.id);
  await crm.updateContactPerson(anna.id, { jobTitle: "Head of Purchasing (e2e)" }, current.version);

  // 3. Open the pane on the Sync log; sync (on opening, or with "Sync now").
  pane = await openPane(browser, `${stack.paneUrl}?view=sync`);
  const { page } = pane;
  await view(page).waitFor({ timeout: 60_000 });
  await view(page).getByRole("button", { name: "Sync now" }).click({ timeout: 60_000 });
  const run = view(page)
    .getByRole("button", { name: /1 to Outlook, 0 to CRM, 0 conflicts/ })
    .first();
  await run.waitFor({ timeout: 60_000 });

  // 4. The Outlook contact shows the change (read from the emulator).
  const [linked] = await contacts.findByCrmId(anna.id);
  expect(linked?.jobTitle).toBe("Head of Purchasing (e2e)");

  // 5. The run's details are listed; no console errors.
  await run.click();
  await view(page).getByRole("definition").first().waitFor();
  expect(await view(page).getByText("Updated in Outlook").first().isVisible()).toBe(true);
  // The log view with an expanded run and the Settings view pass axe's WCAG checks (the views only:
  // the shell's navigation is checked by its own tests).
  const settled = () =>
    page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
  await settled(); // colours are final once the panel's animation ended
  const axeLog = await new AxeBuilder({ page })
    .include("main")
    .withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"])
    .analyze();
  expect(
    axeLog.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
  await page.getByRole("tab", { name: "Settings" }).click();
  await page.getByRole("combobox", { name: "Phone numbers" }).waitFor();
  await settled();
  const axeSettings = await new AxeBuilder({ page })
    .include("main")
    .withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"])
    .analyze();
  expect(
    axeSettings.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
  pane.assertNoErrors();
});
