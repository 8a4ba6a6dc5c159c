/**
 * The Contact replication view end to end: the built pane (dist/, `webpack --env e2e`) on the
 * embedded default (CRM server + Graph emulator behind one HTTPS host), in headless Chromium,
 * with the preview host's sample e-mails. Outcomes are checked in the stand-ins themselves.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { setUpE2ePane } from "../support/e2e-pane";

jest.setTimeout(180_000);

const e2e = setUpE2ePane("contact");

/** Contacts linked to `crmId` in the emulator's demo mailbox: in Contacts (any folder) vs Deleted Items. */
function linkedInMailbox(crmId: string) {
  const box = e2e.stack.graph.inspect();
  const all = box.contacts.filter((c) => c.extendedProperties[CRM_ID_PROPERTY] === crmId);
  return {
    live: all.filter((c) => c.folderId !== box.deletedItemsId),
    deleted: all.filter((c) => c.folderId === box.deletedItemsId),
  };
}

async function crmIdOf(email: string): Promise<string | undefined> {
  const found = await e2e.crm.lookup({ emails: [email], phones: [], lastNames: [] });
  return found.find((p) => p.email?.toLowerCase() === email)?.id;
}

/** Axe findings once every animation ended (a dialog fading in has no final colours yet). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const emailPeople = (page: Page) => page.getByRole("list", { name: "Sender and recipients" });
const row = (page: Page, name: string) => emailPeople(page).getByRole("listitem", { name });

test("a known sender is not replicated; the switch turns it on: exactly one linked Outlook contact", async () => {
  const { page } = e2e.pane;
  const annaId = await crmIdOf("anna.schmidt@mueller-bau.de");
  expect(annaId).toBeDefined();
  const anna = row(page, "Anna Schmidt");
  await anna.getByText("Not replicated").waitFor();
  await anna.getByText("Müller Bau GmbH").waitFor();
  // Anna's CRM photo as the avatar (an object URL; the CSP allows blob: images)
  await anna.locator("img").waitFor();
  expect(await anna.locator("img").getAttribute("src")).toMatch(/^blob:/);
  expect(linkedInMailbox(annaId ?? "").live).toHaveLength(0);

  const toggle = anna.getByRole("switch", { name: "Replicate Anna Schmidt to Outlook" });
  await toggle.click();
  await anna.getByText("Replicated", { exact: true }).waitFor();
  expect(await toggle.isChecked()).toBe(true);
  const { live } = linkedInMailbox(annaId ?? "");
  expect(live).toHaveLength(1);
  expect(live[0]?.photo).not.toBeNull();
  e2e.pane.assertNoErrors();
});

test("switching off asks for confirmation, then the contact moves to Deleted Items", async () => {
  const { page } = e2e.pane;
  const annaId = (await crmIdOf("anna.schmidt@mueller-bau.de")) ?? "";
  const anna = row(page, "Anna Schmidt");
  const toggle = anna.getByRole("switch", { name: "Replicate Anna Schmidt to Outlook" });

  await toggle.click();
  const dialog = page.getByRole("alertdialog", { name: "Stop replicating Anna Schmidt?" });
  await dialog.waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  expect(await toggle.isChecked()).toBe(true);
  expect(linkedInMailbox(annaId).live).toHaveLength(1);

  await toggle.click();
  await dialog.getByRole("button", { name: "Delete Outlook contact" }).click();
  await anna.getByText("Not replicated").waitFor();
  const { live, deleted } = linkedInMailbox(annaId);
  expect(live).toHaveLength(0);
  expect(deleted).toHaveLength(1);
  e2e.pane.assertNoErrors();
});

test("an unknown sender offers the import and completes it: CRM person created, Outlook contact linked", async () => {
  const { page } = e2e.pane;
  expect(await crmIdOf("max.neumann@example.org")).toBeUndefined();
  await page.getByRole("combobox", { name: "Selected e-mail" }).selectOption("unknown-sender");
  const max = row(page, "Max Neumann");
  await max.getByText("Not a CRM contact person").waitFor();
  await max.getByRole("button", { name: "Import Max Neumann as contact person" }).click();

  const dialog = page.getByRole("dialog", { name: "Import Max Neumann as contact person" });
  await dialog.getByText("No duplicate in the CRM.").waitFor();
  expect(await dialog.getByRole("textbox", { name: "Last name" }).inputValue()).toBe("Neumann");
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole("searchbox", { name: "Find a business partner" }).fill("Müller Bau");
  await dialog.getByRole("radio", { name: /Müller Bau GmbH/ }).click();
  await dialog.getByRole("button", { name: "Import" }).click();
  await dialog.waitFor({ state: "detached" });

  await row(page, "Max Neumann").getByText("Replicated", { exact: true }).waitFor();
  const maxId = await crmIdOf("max.neumann@example.org");
  expect(maxId).toBeDefined();
  const person = await e2e.crm.getContactPerson(maxId ?? "");
  expect(person).toMatchObject({ firstName: "Max", lastName: "Neumann" });
  expect(linkedInMailbox(maxId ?? "").live).toHaveLength(1);
  e2e.pane.assertNoErrors();
});
