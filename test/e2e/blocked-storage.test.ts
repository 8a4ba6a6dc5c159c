/**
 * Browser storage blocked, as in Outlook on the web's partitioned iframe with third-party storage
 * off: reading `window.localStorage` throws SecurityError. The built pane must start, say
 * discreetly that the sync log will not persist, and work against the stand-ins (the replication
 * switch writes the Outlook contact; the sync log view opens).
 * sessionStorage stays readable here: outside Office, office.js' own o15apptofilemappingtable.js
 * reads it unguarded and never finishes (inside Outlook the host scripts guard it); the pane's own
 * sessionStorage use (dialog.html) goes through the same guarded storage, unit-tested.
 */
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { setUpE2ePane } from "../support/e2e-pane";

jest.setTimeout(180_000);

const BLOCK_STORAGE = `
  Object.defineProperty(window, "localStorage", {
    configurable: true,
    get() {
      throw new DOMException("The operation is insecure.", "SecurityError");
    },
  });`;

const e2e = setUpE2ePane("contact", { initScript: BLOCK_STORAGE });

test("the pane starts with storage blocked, notes it, and the replication switch works", async () => {
  const { page } = e2e.pane;
  const probe = await page.evaluate(() => {
    try {
      return typeof window.localStorage;
    } catch (error) {
      return (error as Error).name;
    }
  });
  expect(probe).toBe("SecurityError");
  await page
    .getByRole("note")
    .getByText(/kept only until the pane closes/)
    .waitFor({ timeout: 60_000 });
  const anna = page
    .getByRole("list", { name: "Sender and recipients" })
    .getByRole("listitem", { name: "Anna Schmidt" });
  await anna.getByText("Not replicated").waitFor({ timeout: 60_000 });
  await anna.getByRole("switch", { name: "Replicate Anna Schmidt to Outlook" }).click();
  await anna.getByText("Replicated", { exact: true }).waitFor();
  const found = await e2e.crm.lookup({ emails: ["anna.schmidt@mueller-bau.de"], phones: [], lastNames: [] });
  const annaId = found[0]?.id;
  expect(annaId).toBeDefined();
  const box = e2e.stack.graph.inspect();
  expect(box.contacts.filter((c) => c.extendedProperties[CRM_ID_PROPERTY] === annaId)).toHaveLength(1);

  // The device-local sync log still works for this session.
  await page.getByRole("tab", { name: "Sync log" }).click();
  await page.getByRole("button", { name: "Sync now" }).waitFor();
  expect(await page.getByText(/could not start/i).count()).toBe(0);
  e2e.pane.assertNoErrors();
});
