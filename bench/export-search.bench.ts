/**
 * The export wizard's search (src/taskpane/export/export-search.ts: persons page by page, then
 * their business partners) through the real CRM client against the reference CRM server, all
 * persons (no criteria, "only mine" off). Counts the HTTP requests the server received.
 * - export-search-2000-crm-requests: the demo CRM (2,000 persons, 200 partners); bound 6.
 * - export-search-10000-crm-requests: 10,000 persons under 1,000 partners; bound 30.
 * - export-search-partner-10000-crm-requests: the same CRM, partner criterion matching 100
 *   partners (1,000 persons); bound 3.
 * - export-search-2000-ms, export-search-10000-ms: wall time of those searches (no bound).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createStaticTokenProvider } from "../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../src/adapters/crm/crm-client";
import type { BusinessPartner, ContactPerson } from "../src/core/model";
import {
  emptyCriteria,
  loadPartners,
  loadPersons,
  type Criteria,
} from "../src/taskpane/export/export-search";
import { startCrmServer, type CrmServerHandle } from "../test/servers/crm/server";
import { openStore } from "../test/servers/crm/store";
import type { DemoData } from "../test/servers/demo-data";
import { figure, type Figure } from "./figure";

const PERSONS = 10_000;
const PARTNERS = 1_000;

function largeCrm(): DemoData {
  const businessPartners: BusinessPartner[] = Array.from({ length: PARTNERS }, (_, i) => ({
    id: `bp-l-${i}`,
    name: i % 10 === 0 ? `Zehner Handel ${i} AG` : `Partner ${i} GmbH`,
    address: { street: null, city: "Berlin", postalCode: null, state: null, countryOrRegion: "DE" },
    phone: null,
    website: null,
    emailDomains: [`partner-${i}.example.com`],
  }));
  const contactPersons: ContactPerson[] = Array.from({ length: PERSONS }, (_, i) => ({
    id: `cp-l-${String(i + 1).padStart(5, "0")}`,
    businessPartnerId: `bp-l-${i % PARTNERS}`,
    salutation: null,
    title: null,
    firstName: `First${i}`,
    lastName: `Last${String(i).padStart(5, "0")}`,
    jobTitle: null,
    department: null,
    email: `person${i}@partner-${i % PARTNERS}.example.com`,
    phone: null,
    mobile: null,
    fax: null,
    birthday: null,
    notes: null,
    responsibleEmployee: "demo.user",
    hasPhoto: false,
    version: "v1",
    updatedAt: "2026-11-01T00:00:00.000Z",
    status: "active",
  }));
  return { businessPartners, contactPersons };
}

async function search(
  server: CrmServerHandle,
  criteria: Criteria,
): Promise<{ requests: number; ms: number; persons: number }> {
  const crm = createCrmClient({
    baseUrl: server.url,
    tokens: createStaticTokenProvider({ crm: server.token, graph: "unused" }),
  });
  const signal = new AbortController().signal;
  server.resetRequestCount();
  const started = performance.now();
  const found = await loadPersons(crm, criteria, signal);
  const partners = await loadPartners(
    crm,
    found.persons.map((p) => p.businessPartnerId),
    signal,
  );
  const ms = Math.round(performance.now() - started);
  const missing = found.persons.filter((p) => !partners.has(p.businessPartnerId)).length;
  if (missing > 0) throw new Error(`${missing} persons without their business partner`);
  return { requests: server.requestCount(), ms, persons: found.persons.length };
}

export async function run(): Promise<Figure[]> {
  const all: Criteria = { ...emptyCriteria, responsibleMe: false };
  const demo = await startCrmServer({ seed: "demo" });
  let small: { requests: number; ms: number; persons: number };
  try {
    small = await search(demo, all);
  } finally {
    await demo.close();
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-export-search-"));
  try {
    const file = path.join(dir, "crm.sqlite");
    const store = openStore(file);
    store.seed(largeCrm());
    store.close();
    const server = await startCrmServer({ db: file, seed: "none" });
    try {
      const large = await search(server, all);
      const partner = await search(server, { ...all, partner: "Zehner" });
      if (large.persons !== PERSONS) throw new Error(`found ${large.persons} of ${PERSONS} persons`);
      if (partner.persons !== PERSONS / 10) throw new Error(`partner criterion found ${partner.persons}`);
      return [
        figure("export-search-2000-crm-requests", small.requests, "requests", 6),
        figure("export-search-10000-crm-requests", large.requests, "requests", 30),
        figure("export-search-partner-10000-crm-requests", partner.requests, "requests", 3),
        figure("export-search-2000-ms", small.ms, "ms", null),
        figure("export-search-10000-ms", large.ms, "ms", null),
      ];
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
