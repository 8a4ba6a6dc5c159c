// Issue 19 over real HTTP (reference CRM server + Graph emulator + the real adapters):
// - an import closed mid-run (CRM creates done, Outlook write-back not) is finished by importing
//   again: the duplicate check recognises each person as the contact's own (lookup by
//   Idempotency-Key) and the re-run links every one of them, creating nobody twice;
// - names the add-in folds to the same key (Łukasiewicz/Lukasiewicz ...) are possible duplicates.

import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../../src/adapters/crm/crm-client";
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { computeDuplicates } from "../../src/app/duplicate-index";
import { loadImportCandidates, runImport } from "../../src/app/import-runner";
import { AppError } from "../../src/core/errors";
import type { OutlookContactWrite } from "../../src/core/model";
import { planImport } from "../../src/core/plans/import-plan";
import type { ContactStore, CrmClient } from "../../src/core/ports";
import { FOLD_PAIRS } from "../contract/hardening";
import { startCrmServer, type CrmServerHandle } from "../servers/crm/server";
import { startGraphEmulator, type GraphEmulatorHandle } from "../servers/graph/emulator";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";

jest.setTimeout(120_000);

let crmServer: CrmServerHandle;
let graph: GraphEmulatorHandle;
let crm: CrmClient;
let mailboxNo = 0;

function freshMailbox(): { contacts: ContactStore; token: string } {
  const token = `import-resume-${++mailboxNo}`;
  graph.addMailbox(token);
  const contacts = createGraphContactStore({
    toJpeg,
    baseUrl: graph.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: token }),
    fetchOptions: insecureFetchOptions(),
  });
  return { contacts, token };
}

async function seed(contacts: ContactStore, writes: OutlookContactWrite[]): Promise<string[]> {
  const results = await contacts.createContacts(writes.map((contact) => ({ folderId: null, contact })));
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.value.id;
  });
}

beforeAll(async () => {
  crmServer = await startCrmServer({ seed: "demo" });
  graph = await startGraphEmulator({ seed: "none" });
  crm = createCrmClient({
    baseUrl: crmServer.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
  });
});

afterAll(async () => {
  await graph?.close();
  await crmServer?.close();
});

describe("an import closed mid-run", () => {
  it("is finished by importing again: every orphaned contact is recognised and linked, nobody created twice", async () => {
    const { contacts, token } = freshMailbox();
    const COUNT = 30;
    const writes = Array.from({ length: COUNT }, (_, i) => ({
      givenName: `Greta${i}`,
      surname: "Lindqvist",
      emailAddresses: [{ name: null, address: `greta.lindqvist.${i}@resume.test` }],
      // Some with a mobile, so "same last name and mobile" would make them certain duplicates too.
      ...(i % 3 === 0 ? { mobilePhone: `+49 171 ${String(3000000 + i)}` } : {}),
    }));
    await seed(contacts, writes);
    const candidates = await loadImportCandidates(contacts);
    const first = await computeDuplicates(crm, candidates, {}, "DE");
    const selected = candidates.map((c) => c.id);
    const assignments = Object.fromEntries(selected.map((id) => [id, "bp-0001"]));
    const plan = planImport({
      candidates,
      assignments,
      duplicates: first.results,
      selected,
      links: {},
      defaultRegion: "DE",
    });
    expect(plan.counts.import).toBe(COUNT);

    // The pane is closed mid-run: the CRM creates went through, no Outlook write-back arrives.
    const closed: ContactStore = {
      ...contacts,
      updateContacts: () => Promise.reject(new AppError("network", "The pane was closed")),
    };
    const broken = await runImport(plan, { crm, contacts: closed });
    expect(broken.imported).toBe(0);
    expect(broken.failed.map((f) => f.stage)).toEqual(Array(COUNT).fill("write-back"));
    const emails = writes.map((w) => w.emailAddresses[0]?.address ?? "");
    const createdIds = (await crm.lookup({ emails, phones: [], lastNames: [] })).map((p) => p.id).sort();
    expect(createdIds).toHaveLength(COUNT);

    // Importing again, as the user would: a fresh view (new index) over the still unlinked contacts.
    const orphans = await loadImportCandidates(contacts);
    expect(orphans).toHaveLength(COUNT);
    crmServer.resetRequestCount();
    const again = await computeDuplicates(crm, orphans, {}, "DE");
    expect(crmServer.requestCount()).toBeLessThanOrEqual(3);
    for (const contact of orphans) {
      const result = again.results[contact.id];
      expect(result?.status).not.toBe("certain"); // not a duplicate of its own person
      expect(createdIds).toContain(result?.resumeId);
    }
    const rerun = planImport({
      candidates: orphans,
      assignments,
      duplicates: again.results,
      selected: orphans.map((c) => c.id),
      links: {},
      defaultRegion: "DE",
    });
    expect(rerun.counts).toEqual({ import: 0, link: COUNT, skip: 0 });
    const finished = await runImport(rerun, { crm, contacts });
    expect(finished.failed).toEqual([]);
    expect(finished.resumed).toBe(COUNT);

    // Every contact linked once, to the person its own create made; no person created twice.
    const box = graph.inspect(token);
    const live = box.contacts.filter((c) => c.folderId !== box.deletedItemsId);
    expect(live).toHaveLength(COUNT);
    expect(live.map((c) => c.extendedProperties[CRM_ID_PROPERTY]).sort()).toEqual(createdIds);
    const inCrm = await crm.lookup({ emails, phones: [], lastNames: [] });
    expect(inCrm.map((p) => p.id).sort()).toEqual(createdIds);
    expect(await loadImportCandidates(contacts)).toEqual([]);
  });
});

describe("one name fold for the duplicate check", () => {
  it.each(FOLD_PAIRS)(
    "a CRM person %s is a possible duplicate of the Outlook contact %s",
    async (stored, typed) => {
      const { contacts } = freshMailbox();
      const person = await crm.createContactPerson(
        { ...emptyInput, businessPartnerId: "bp-0002", firstName: "Fold", lastName: stored },
        `fold-${encodeURIComponent(stored)}`, // a header value is ASCII
      );
      await seed(contacts, [{ givenName: "Fold", surname: typed, emailAddresses: [] }]);
      const candidates = await loadImportCandidates(contacts);
      const { results } = await computeDuplicates(crm, candidates, {}, "DE");
      expect(results[candidates[0]?.id ?? ""]).toEqual({
        status: "possible",
        matches: [{ id: person.id, reason: "firstName+lastName" }],
      });
    },
  );
});

const emptyInput = {
  salutation: null,
  title: null,
  jobTitle: null,
  department: null,
  email: null,
  phone: null,
  mobile: null,
  fax: null,
  birthday: null,
  notes: null,
};
