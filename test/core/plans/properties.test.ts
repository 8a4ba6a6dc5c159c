/**
 * Cross-cutting invariants of the three plans (issue 6), property-based:
 * - applying a plan and planning again gives nothing to do;
 * - no plan ever deletes a CRM record (there is no such step; CRM writes are creates/patches of
 *   CRM-writable fields only, never a status change, never a blank last name).
 * The plans are applied here in memory the way the runners apply them (writes merged into the
 * contact, link + state written, CRM patches bump the version), imports through the FakeCrm.
 */
import fc from "fast-check";
import { classifyDuplicate, candidateFromOutlook } from "../../../src/core/duplicates";
import {
  crmWritableFields,
  mappedFields,
  type FieldDirections,
  type MappedField,
  type MappedRecord,
} from "../../../src/core/mapping";
import type {
  BusinessPartner,
  ConflictRule,
  ContactPerson,
  FieldDirection,
  OutlookContact,
  OutlookContactWrite,
} from "../../../src/core/model";
import { planExport, type ExportPlan } from "../../../src/core/plans/export-plan";
import { planImport } from "../../../src/core/plans/import-plan";
import { planSync, type SyncPair, type SyncPlan } from "../../../src/core/plans/sync-plan";
import { encodeSyncState } from "../../../src/core/sync-state";
import { aPartner, aPerson, anOutlookContact, FakeCrm } from "../../support/fakes";

const emptyRecord = (): MappedRecord =>
  Object.fromEntries(mappedFields.map((f) => [f, null])) as MappedRecord;

const NOW = "2026-11-25T12:00:00.000Z";
const LATER = "2026-11-25T13:00:00.000Z";

// ---------------------------------------------------------------------------------------------
// generators

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const firstNames = pick<string | null>("Anna", "Jörg", " Zoë ", "Eva  Maria", null);
const lastNames = pick("Schmidt", "Müller", "O'Brien", " Weber ", "Dupont");
const emails = pick<string | null>("anna@x.de", "ANNA@x.de", "jo@y.de", " e@z.de ", null);
const phones = pick<string | null>("+49 89 1234567", "089 7654321", "0171 2345678", null);
const texts = pick<string | null>("Einkauf", "Sales", "  Head  of Sales ", null);
const notes = pick<string | null>("a\nb", " note ", "x\r\ny", null);
const dates = pick<string | null>("1980-02-29", "1975-12-01", null);

const partnerArb: fc.Arbitrary<BusinessPartner> = fc
  .record({
    name: pick("Müller Bau GmbH", "Lumière SA"),
    city: pick<string | null>("München", "Paris", null),
  })
  .map(({ name, city }) =>
    aPartner({ id: "bp-1", name, address: { city, street: "Hauptstraße 1", postalCode: null } }),
  );

const personFields = fc.record({
  title: pick<string | null>("Dr.", null),
  firstName: firstNames,
  lastName: lastNames,
  jobTitle: texts,
  department: texts,
  email: emails,
  phone: phones,
  mobile: phones,
  fax: pick<string | null>("089 1", null),
  birthday: dates,
  notes,
});

const outlookEdits = fc.record(
  {
    givenName: firstNames,
    surname: fc.oneof(lastNames, fc.constant<string | null>(null)),
    jobTitle: texts,
    emailAddresses: fc.array(
      emails.map((address) => ({ name: null, address: address ?? "other@x.de" })),
      { maxLength: 3 },
    ),
    businessPhones: fc.array(
      phones.map((p) => p ?? "030 1"),
      { maxLength: 3 },
    ),
    mobilePhone: phones,
    personalNotes: notes,
    companyName: pick<string | null>("Other GmbH", null),
    businessAddress: pick({}, { city: "Berlin" }),
  },
  { requiredKeys: [] },
);

const directionArb = pick<FieldDirection>("crm-to-outlook", "two-way", "none");
const directionsArb: fc.Arbitrary<Partial<FieldDirections>> = fc.record(
  {
    name: directionArb,
    organisation: directionArb,
    email: directionArb,
    phones: directionArb,
    address: directionArb,
    birthday: directionArb,
    notes: directionArb,
  },
  { requiredKeys: [] },
);

/** A blank Outlook contact (what Graph has before a create's fields are applied). */
function blankContact(id: string, folder = "folder-contacts"): OutlookContact {
  return {
    ...anOutlookContact({ id, parentFolderId: folder }),
    givenName: null,
    surname: null,
    emailAddresses: [],
    businessPhones: [],
    displayName: null,
    fileAs: null,
    changeKey: "ck-0",
    lastModifiedDateTime: NOW,
  };
}

/** A Graph PATCH: the given properties replace the contact's. */
function applyWrite(contact: OutlookContact, write: OutlookContactWrite): OutlookContact {
  const { link, ...fields } = write;
  const next: OutlookContact = { ...contact, ...fields, lastModifiedDateTime: LATER };
  if (link !== undefined) next.link = link;
  return next;
}

// ---------------------------------------------------------------------------------------------
// export

interface ExportWorld {
  persons: ContactPerson[];
  partner: BusinessPartner;
  linked: OutlookContact[];
  deselected: string[];
  directions: Partial<FieldDirections>;
  withdrawDeselected: boolean;
}

const exportWorldArb: fc.Arbitrary<ExportWorld> = fc
  .record({
    partner: partnerArb,
    people: fc.array(personFields, { minLength: 1, maxLength: 4 }),
    /** Per person: not linked, linked with edits and a state (garbage or none), linked twice. */
    links: fc.array(
      fc.record({
        kind: pick("none", "linked", "linked", "twice"),
        edits: outlookEdits,
        state: pick("valid", "none", "garbage"),
        deselect: fc.boolean(),
      }),
      { minLength: 4, maxLength: 4 },
    ),
    directions: directionsArb,
    withdrawDeselected: fc.boolean(),
  })
  .map(({ partner, people, links, directions, withdrawDeselected }) => {
    const persons = people.map((fields, i) =>
      aPerson({ ...fields, id: `cp-${i}`, businessPartnerId: partner.id, version: String(i + 3) }),
    );
    const linked: OutlookContact[] = [];
    const deselected: string[] = [];
    persons.forEach((person, i) => {
      const link = links[i] ?? links[0];
      if (!link || link.kind === "none") return;
      const syncState =
        link.state === "valid"
          ? encodeSyncState({
              v: 1,
              crmVersion: "2",
              syncedAt: NOW,
              record: { ...emptyRecord(), lastName: "Old" },
              fields: ["lastName"],
              photoHash: null,
            })
          : link.state === "garbage"
            ? "{garbage"
            : null;
      const copies = link.kind === "twice" ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        linked.push({
          ...blankContact(`o-${i}-${c}`),
          ...link.edits,
          link: { crmId: person.id, syncState },
        });
      }
      if (link.deselect) deselected.push(person.id);
    });
    // Deselected persons are not selected any more.
    return {
      persons: persons.filter((p) => !deselected.includes(p.id)),
      partner,
      linked,
      deselected,
      directions,
      withdrawDeselected,
    };
  });

function runExport(world: ExportWorld, linked: OutlookContact[]): ExportPlan {
  return planExport({
    selected: world.persons.map((person) => ({ person, partner: world.partner })),
    linked,
    deselectedExported: world.deselected,
    options: { withdrawDeselected: world.withdrawDeselected, fieldDirections: world.directions },
    now: NOW,
  });
}

function applyExport(plan: ExportPlan, linked: OutlookContact[]): OutlookContact[] {
  const byId = new Map(linked.map((c) => [c.id, c]));
  let created = 0;
  for (const step of plan.steps) {
    if (step.kind === "create") {
      const id = `new-${created++}`;
      byId.set(id, applyWrite(blankContact(id), step.write));
    } else if (step.kind === "update") {
      const current = byId.get(step.outlookId);
      if (!current) throw new Error(`update of unknown contact ${step.outlookId}`);
      byId.set(step.outlookId, applyWrite(current, step.write));
    } else if (step.kind === "withdraw") {
      byId.delete(step.outlookId);
    }
  }
  return [...byId.values()];
}

describe("planExport", () => {
  it("applying a plan and planning again gives only unchanged steps", () => {
    fc.assert(
      fc.property(exportWorldArb, (world) => {
        const after = applyExport(runExport(world, world.linked), world.linked);
        const again = runExport(world, after);
        expect(again.steps.filter((s) => s.kind !== "unchanged")).toEqual([]);
        expect(again.counts.unchanged).toBe(world.persons.length);
      }),
      { numRuns: 150 },
    );
  });

  it("never creates a second contact for a linked person, and plans only Outlook steps", () => {
    fc.assert(
      fc.property(exportWorldArb, (world) => {
        const plan = runExport(world, world.linked);
        const linkedIds = new Set(world.linked.map((c) => c.link?.crmId));
        for (const step of plan.steps) {
          expect(["create", "update", "unchanged", "withdraw"]).toContain(step.kind);
          if (step.kind === "create") expect(linkedIds.has(step.crmId)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// sync

interface SyncWorld {
  pairs: SyncPair[];
  directions: Partial<FieldDirections>;
  conflictRule: "crm-wins" | "outlook-wins" | "newest-wins";
}

const syncWorldArb: fc.Arbitrary<SyncWorld> = fc
  .record({
    partner: partnerArb,
    rows: fc.array(
      fc.record({
        base: personFields,
        crmEdits: fc.record(
          { firstName: firstNames, email: emails, mobile: phones, notes, jobTitle: texts },
          { requiredKeys: [] },
        ),
        outlookEdits,
        status: pick<ContactPerson["status"] | "missing">(
          "active",
          "active",
          "active",
          "inactive",
          "deleted",
          "missing",
        ),
        hasState: fc.boolean(),
        crmPhoto: pick<string | null | undefined>(undefined, null, "p1", "p2"),
        outlookPhoto: pick<string | null | undefined>(undefined, null, "p1", "p3"),
        updatedAt: pick("2026-11-25T11:00:00.000Z", "2026-11-25T14:00:00.000Z"),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    directions: directionsArb,
    conflictRule: pick("crm-wins", "outlook-wins", "newest-wins") as fc.Arbitrary<SyncWorld["conflictRule"]>,
  })
  .map(({ partner, rows, directions, conflictRule }) => {
    const pairs: SyncPair[] = rows.map((row, i) => {
      const basePerson = aPerson({ ...row.base, id: `cp-${i}`, businessPartnerId: partner.id, version: "5" });
      // The state: what both sides agreed on (the export of the base person).
      const exported = runExport(
        {
          persons: [basePerson],
          partner,
          linked: [],
          deselected: [],
          directions,
          withdrawDeselected: false,
        },
        [],
      );
      const contact0 = applyExport(exported, [])[0] as OutlookContact;
      const contact: OutlookContact = {
        ...applyWrite(contact0, row.outlookEdits),
        id: `o-${i}`,
        lastModifiedDateTime: "2026-11-25T12:30:00.000Z",
        link: { crmId: basePerson.id, syncState: row.hasState ? (contact0.link?.syncState ?? null) : null },
      };
      const person =
        row.status === "missing"
          ? null
          : { ...basePerson, ...row.crmEdits, version: "6", updatedAt: row.updatedAt, status: row.status };
      return { contact, person, partner, crmPhotoHash: row.crmPhoto, outlookPhotoHash: row.outlookPhoto };
    });
    return { pairs, directions, conflictRule };
  });

function runSync(world: SyncWorld, pairs: SyncPair[]): SyncPlan {
  return planSync({
    pairs,
    removedInOutlook: [],
    directions: world.directions,
    conflictRule: world.conflictRule,
    now: NOW,
  });
}

/** Applies a sync plan as the runner does; returns the pairs afterwards (deleted contacts gone). */
function applySync(plan: SyncPlan, pairs: SyncPair[]): SyncPair[] {
  const out: SyncPair[] = [];
  for (const pair of pairs) {
    const step = plan.steps.find((s) => s.kind !== "unlink" && s.contactId === pair.contact.id);
    if (!step) {
      out.push(pair);
      continue;
    }
    if (step.kind === "delete") continue; // Outlook contact to Deleted Items; the CRM person stays
    if (step.kind !== "update") continue;
    let person = pair.person as ContactPerson;
    if (step.crmPatch) person = { ...person, ...step.crmPatch, version: String(Number(person.version) + 1) };
    const state = { ...step.state, crmVersion: person.version };
    const contact = applyWrite(pair.contact, {
      ...step.outlookWrite,
      link: { crmId: step.crmId, syncState: encodeSyncState(state) },
    });
    const photo =
      step.photo === "to-outlook"
        ? { crmPhotoHash: pair.crmPhotoHash, outlookPhotoHash: pair.crmPhotoHash }
        : step.photo === "to-crm"
          ? { crmPhotoHash: pair.outlookPhotoHash, outlookPhotoHash: pair.outlookPhotoHash }
          : { crmPhotoHash: pair.crmPhotoHash, outlookPhotoHash: pair.outlookPhotoHash };
    out.push({ ...pair, contact, person, ...photo });
  }
  return out;
}

describe("planSync", () => {
  it("applying a plan and planning again gives nothing to do", () => {
    fc.assert(
      fc.property(syncWorldArb, (world) => {
        const plan = runSync(world, world.pairs);
        const again = runSync(world, applySync(plan, world.pairs));
        expect(again.steps).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("never deletes or blanks a CRM record: CRM patches hold only CRM-writable fields, never a status", () => {
    fc.assert(
      fc.property(syncWorldArb, (world) => {
        const plan = runSync(world, world.pairs);
        for (const step of plan.steps) {
          expect(["update", "delete", "unlink"]).toContain(step.kind);
          if (step.kind !== "update" || !step.crmPatch) continue;
          for (const key of Object.keys(step.crmPatch))
            expect(crmWritableFields.has(key as MappedField)).toBe(true);
          expect(step.crmPatch).not.toHaveProperty("status");
          if ("lastName" in step.crmPatch) expect(step.crmPatch.lastName?.trim()).toBeTruthy();
        }
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// import (through the FakeCrm)

describe("planImport", () => {
  const importWorldArb = fc.record({
    contacts: fc.array(
      fc.record({
        edits: outlookEdits,
        selected: fc.boolean(),
        assigned: fc.boolean(),
        checked: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    existing: fc.array(personFields, { maxLength: 3 }),
  });

  it("importing and planning again (unlinked contacts only) gives nothing to import; no CRM person is ever removed", async () => {
    await fc.assert(
      fc.asyncProperty(importWorldArb, async (world) => {
        const partner = aPartner({ id: "bp-1" });
        const crm = new FakeCrm({
          businessPartners: [partner],
          contactPersons: world.existing.map((f, i) =>
            aPerson({ ...f, id: `cp-${i}`, businessPartnerId: "bp-1" }),
          ),
        });
        const before = crm.allPersons();
        let contacts = world.contacts.map((c, i) => ({ ...blankContact(`o-${i}`), ...c.edits }));
        const meta = new Map(world.contacts.map((c, i) => [`o-${i}`, c]));
        const input = (list: OutlookContact[]) => {
          const active = crm.allPersons().filter((p) => p.status === "active");
          return {
            candidates: list,
            assignments: Object.fromEntries(
              list.map((c) => [c.id, meta.get(c.id)?.assigned ? "bp-1" : null]),
            ),
            duplicates: Object.fromEntries(
              list.map((c) => [
                c.id,
                meta.get(c.id)?.checked
                  ? classifyDuplicate(candidateFromOutlook(c), active, {
                      defaultRegion: "DE",
                      businessPartnerId: "bp-1",
                    })
                  : undefined,
              ]),
            ),
            selected: list.filter((c) => meta.get(c.id)?.selected).map((c) => c.id),
            links: {},
            defaultRegion: "DE",
          };
        };
        const plan = planImport(input(contacts));
        for (const step of plan.steps) {
          if (step.kind !== "import") continue;
          const created = await crm.createContactPerson(step.input, step.idempotencyKey);
          contacts = contacts.map((c) =>
            c.id === step.outlookId ? { ...c, link: { crmId: created.id, syncState: null } } : c,
          );
        }
        const unlinked = contacts.filter((c) => c.link === null);
        const again = planImport(input(unlinked));
        expect(again.steps.filter((s) => s.kind !== "skip")).toEqual([]);
        const after = crm.allPersons();
        for (const person of before) {
          expect(after.find((p) => p.id === person.id)).toEqual(person);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("export then sync", () => {
  it("a freshly exported contact needs no sync (the export's state is what sync expects)", () => {
    fc.assert(
      fc.property(
        exportWorldArb,
        pick<ConflictRule>("crm-wins", "outlook-wins", "newest-wins"),
        (world, conflictRule) => {
          const after = applyExport(runExport(world, world.linked), world.linked);
          const byCrmId = new Map(world.persons.map((p) => [p.id, p]));
          const pairs: SyncPair[] = after
            .filter((c) => c.link && byCrmId.has(c.link.crmId))
            .map((contact) => ({
              contact,
              person: byCrmId.get(contact.link?.crmId ?? "") ?? null,
              partner: world.partner,
            }));
          const plan = planSync({
            pairs,
            removedInOutlook: [],
            directions: world.directions,
            conflictRule,
            now: NOW,
          });
          // Contacts left alone because of pending two-way Outlook edits are the sync's job.
          const pending = new Set(
            runExport(world, after)
              .steps.filter((s) => s.reason === "pending-outlook-edits")
              .map((s) => s.crmId),
          );
          expect(plan.steps.filter((s) => !pending.has(s.crmId))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
