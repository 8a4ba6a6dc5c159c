/**
 * Outlook on iOS and Android: the pane is full screen and driven by touch. The built pane at a
 * 375 x 812 phone viewport with touch emulation (taps, no mouse, no hover, no keys): switch a
 * person of the selected e-mail on and off, import one contact, and check that every control is
 * a touch target of at least 44 x 44 CSS px. Outcomes are checked in the stand-ins themselves.
 */
import type { Page } from "playwright-core";
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { setUpE2ePane } from "../support/e2e-pane";

jest.setTimeout(180_000);

const e2e = setUpE2ePane("contact", { phone: { width: 375, height: 812 } });

/** Visible controls smaller than 44 x 44 CSS px (name and size), within `scope`. */
async function smallTargets(page: Page, scope = "body"): Promise<string[]> {
  // Measured once finite animations (a dialog zooming in) have ended; spinners run forever.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.effect?.getTiming().iterations === Infinity || a.playState === "finished"),
  );
  return page.evaluate((selector) => {
    const root = document.querySelector(selector) ?? document.body;
    const controls = root.querySelectorAll<HTMLElement>(
      'button, a[href], [role="tab"], [role="switch"], [role="checkbox"], [role="combobox"], input, select, textarea',
    );
    const small: string[] = [];
    for (const control of controls) {
      // A Fluent switch/checkbox input covers its whole control: measure the control.
      const target = control.closest<HTMLElement>(".fui-Switch, .fui-Checkbox, .fui-Radio") ?? control;
      const box = target.getBoundingClientRect();
      const style = getComputedStyle(control);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
      if (box.width < 44 || box.height < 44) {
        const name = control.getAttribute("aria-label") ?? control.textContent?.trim() ?? control.tagName;
        small.push(`${name.slice(0, 40)} ${Math.round(box.width)}x${Math.round(box.height)}`);
      }
    }
    return small;
  }, scope);
}

const linked = (crmId: string) => {
  const box = e2e.stack.graph.inspect();
  return box.contacts.filter(
    (c) => c.extendedProperties[CRM_ID_PROPERTY] === crmId && c.folderId !== box.deletedItemsId,
  );
};

test("contact view by touch: switch a person of the selected e-mail on and off", async () => {
  const { page } = e2e.pane;
  const people = page.getByRole("list", { name: "Sender and recipients" });
  const anna = people.getByRole("listitem", { name: "Anna Schmidt" });
  await anna.getByText("Not replicated").waitFor({ timeout: 60_000 });
  expect(await page.evaluate(() => window.matchMedia("(pointer: coarse)").matches)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  expect(await smallTargets(page, "main")).toEqual([]);

  const annaId =
    (await e2e.crm.lookup({ emails: ["anna.schmidt@mueller-bau.de"], phones: [], lastNames: [] }))[0]?.id ??
    "";
  const toggle = anna.getByRole("switch", { name: "Replicate Anna Schmidt to Outlook" });
  await toggle.tap();
  await anna.getByText("Replicated", { exact: true }).waitFor();
  expect(linked(annaId)).toHaveLength(1);

  await toggle.tap();
  const dialog = page.getByRole("alertdialog", { name: "Stop replicating Anna Schmidt?" });
  await dialog.waitFor();
  expect(await smallTargets(page, '[role="alertdialog"]')).toEqual([]);
  await dialog.getByRole("button", { name: "Delete Outlook contact" }).tap();
  await anna.getByText("Not replicated").waitFor();
  expect(linked(annaId)).toHaveLength(0);
  e2e.pane.assertNoErrors();
});

test("import view by touch: import one contact", async () => {
  const { page } = e2e.pane;
  await page.getByRole("tab", { name: "Import" }).tap();
  const view = page.getByRole("region", { name: "Import contact persons" });
  await view.getByText(/^\d+ Outlook contacts? without a CRM link/).waitFor({ timeout: 60_000 });
  await view
    .getByRole("searchbox", { name: "Filter by name, company or e-mail" })
    .fill("sven.0@nordic-friends.test");
  const row = view.getByRole("list", { name: "Outlook contacts to import" }).getByRole("listitem").first();
  await row.getByText("No duplicate").waitFor();
  const combo = row.getByRole("combobox", { name: /^Business partner for/ });
  await combo.tap();
  await combo.pressSequentially("Müller Bau");
  await page
    .getByRole("option", { name: /Müller Bau GmbH/ })
    .first()
    .tap();
  const tick = row.getByRole("checkbox", { disabled: false });
  await tick.waitFor();
  expect(await smallTargets(page, "main")).toEqual([]);
  await tick.tap();
  await view.getByRole("button", { name: "Import 1 contact" }).tap();
  await view.getByText("1 of 1 imported").waitFor({ timeout: 60_000 });
  const created = await e2e.crm.lookup({ emails: ["sven.0@nordic-friends.test"], phones: [], lastNames: [] });
  expect(created).toHaveLength(1);
  expect(created[0]?.businessPartnerId).toBe("bp-0001");
  e2e.pane.assertNoErrors();
});

test("export's assignment table by touch: tapping rows picks several without Ctrl or Shift", async () => {
  const { page } = e2e.pane;
  await page.getByRole("tab", { name: "Export" }).tap();
  const wizard = page.getByRole("region", { name: "Export contact persons" });
  await wizard.getByRole("textbox", { name: "Business partner" }).fill("Müller Bau");
  await wizard.getByRole("button", { name: "Search" }).tap();
  const available = wizard.getByRole("listbox", { name: /^Available/ });
  await available.getByRole("option").first().waitFor();
  const options = available.getByRole("option");
  expect(await options.count()).toBeGreaterThanOrEqual(2);
  await options.nth(0).tap();
  await options.nth(1).tap();
  expect(await available.locator('[role="option"][aria-selected="true"]').count()).toBe(2);
  await options.nth(1).tap(); // a second tap takes a row out again
  expect(await available.locator('[role="option"][aria-selected="true"]').count()).toBe(1);
  await options.nth(1).tap();
  expect(await smallTargets(page, "main")).toEqual([]);
  // Persons linked already (the contact imported above) start on the right.
  const chosen = wizard.getByRole("listbox", { name: /^Selected for export/ });
  const before = await chosen.getByRole("option").count();
  await wizard.getByRole("button", { name: "Move selected to the export list" }).tap();
  await expect(chosen.getByRole("option").count()).resolves.toBe(before + 2);
  e2e.pane.assertNoErrors();
});
