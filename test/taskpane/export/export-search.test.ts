/**
 * The export search asks the CRM for what it shows: pages of 500, the partner criterion as one
 * filter of the person search, the partners by batch-get. Counts the port calls (each is one
 * HTTP request of the real client for at most 500 persons / 1,000 partner ids).
 */
import type { BusinessPartner, ContactPerson } from "../../../src/core/model";
import {
  emptyCriteria,
  loadPartners,
  loadPersons,
  SEARCH_CAP,
} from "../../../src/taskpane/export/export-search";
import { muellerBauPartner, muellerBauPerson } from "../../support/builders";
import { FakeCrm } from "../../support/fakes";

function world(personCount: number, partnerCount: number): FakeCrm {
  const partners: BusinessPartner[] = Array.from({ length: partnerCount }, (_, i) => ({
    ...muellerBauPartner("DE"),
    id: `bp-${i}`,
    name: i % 10 === 0 ? `Zehner ${i} AG` : `Partner ${i} GmbH`,
  }));
  const persons: ContactPerson[] = Array.from({ length: personCount }, (_, i) =>
    muellerBauPerson(`cp-${String(i).padStart(5, "0")}`, {
      businessPartnerId: `bp-${i % partnerCount}`,
      lastName: `Last${String(i).padStart(5, "0")}`,
    }),
  );
  return new FakeCrm({ businessPartners: partners, contactPersons: persons });
}

const signal = new AbortController().signal;

async function search(crm: FakeCrm, partner = "") {
  crm.resetCalls();
  const found = await loadPersons(crm, { ...emptyCriteria, partner }, signal);
  const partners = await loadPartners(
    crm,
    found.persons.map((p) => p.businessPartnerId),
    signal,
  );
  const requests = Object.values(crm.calls).reduce((sum, n) => sum + n, 0);
  return { found, partners, requests, calls: { ...crm.calls } };
}

describe("export search request count", () => {
  it.each([
    // persons, partners, requests: pages of 500 + one partner batch-get
    [2000, 200, 5],
    [10_000, 1000, 21],
    [0, 10, 1],
  ])("%i persons under %i partners: %i requests, every person and partner loaded", async (n, p, expected) => {
    const { found, partners, requests, calls } = await search(world(n, p));
    expect(found.persons).toHaveLength(n);
    expect(found.capped).toBe(false);
    expect(partners.size).toBe(Math.min(n, p));
    expect(requests).toBe(expected);
    expect(calls.getBusinessPartner).toBe(0);
  });

  it("resolves the partner criterion on the CRM side, for every matching partner", async () => {
    const crm = world(10_000, 1000);
    const { found, requests, calls } = await search(crm, "Zehner");
    // 100 partners named "Zehner …" with 10 persons each: 1,000 persons in 2 pages + 1 batch-get.
    expect(found.persons).toHaveLength(1000);
    expect(new Set(found.persons.map((person) => person.businessPartnerId)).size).toBe(100);
    expect(found.noPartner).toBe(false);
    expect(calls.searchContactPersons).toBe(2);
    expect(requests).toBe(3);
  });

  it("tells 'no such partner' from 'no persons' with one partner search", async () => {
    const crm = world(10, 10);
    const none = await search(crm, "Nirgendwo");
    expect(none.found).toMatchObject({ persons: [], noPartner: true });
    expect(none.calls.searchBusinessPartners).toBe(1);
    crm.addPartner({ ...muellerBauPartner("DE"), id: "bp-empty", name: "Leer KG" });
    const empty = await search(crm, "Leer");
    expect(empty.found).toMatchObject({ persons: [], noPartner: false });
  });

  it("stops at the cap and says more exist", async () => {
    const crm = world(SEARCH_CAP + 1, 10);
    const { found, calls } = await search(crm);
    expect(found.persons).toHaveLength(SEARCH_CAP);
    expect(found.capped).toBe(true);
    expect(calls.searchContactPersons).toBe(SEARCH_CAP / 500);
  });
});
