import {
  activeFields,
  defaultFieldDirections,
  pickFields,
  recordFromCrm,
  recordFromOutlook,
  type FieldDirections,
  type MappedField,
  type MappedRecord,
} from "../../../src/core/mapping";
import type {
  BusinessPartner,
  ConflictRule,
  ContactPerson,
  ContactPersonPatch,
  OutlookContact,
  OutlookContactWrite,
} from "../../../src/core/model";
import {
  exceedsMassDeleteGuard,
  planSync,
  type SyncPair,
  type SyncPlan,
  type SyncUpdateStep,
} from "../../../src/core/plans/sync-plan";
import { encodeSyncState } from "../../../src/core/sync-state";
import { muellerBauPartner, muellerBauPerson } from "../../support/builders";

const NOW = "2026-11-25T12:00:00.000Z";
const SYNCED = "2026-11-20T10:00:00.000Z";

const partner: BusinessPartner = muellerBauPartner("DE");

function person(id: string, over: Partial<ContactPerson> = {}): ContactPerson {
  return muellerBauPerson(id, over);
}

/** The Outlook contact Graph would hold for `record` (plus overrides). */
function contactFor(
  id: string,
  record: MappedRecord,
  syncState: string | null,
  over: Partial<OutlookContact> = {},
): OutlookContact {
  return {
    id: `o-${id}`,
    changeKey: `ck-${id}`,
    parentFolderId: "contacts",
    displayName: null,
    lastModifiedDateTime: "2026-11-22T10:00:00.000Z",
    givenName: record.firstName,
    middleName: null,
    surname: record.lastName,
    title: record.title,
    jobTitle: record.jobTitle,
    department: record.department,
    companyName: record.companyName,
    emailAddresses: record.email ? [{ name: null, address: record.email }] : [],
    businessPhones: record.phone ? [record.phone] : [],
    mobilePhone: record.mobile,
    homePhones: [],
    businessFax: record.fax,
    businessAddress: {
      street: record.street,
      city: record.city,
      postalCode: record.postalCode,
      state: record.state,
      countryOrRegion: record.countryOrRegion,
    },
    birthday: record.birthday,
    personalNotes: record.notes,
    fileAs: null,
    link: { crmId: id, syncState },
    ...over,
  };
}

function stateFor(
  record: MappedRecord,
  directions: Partial<FieldDirections>,
  photoHash: string | null = null,
) {
  const fields = activeFields(directions);
  return encodeSyncState({
    v: 1,
    crmVersion: "v1",
    syncedAt: SYNCED,
    record: pickFields(record, fields),
    fields,
    photoHash,
  });
}

const crmLeads: FieldDirections = { ...defaultFieldDirections };
const twoWay: FieldDirections = {
  name: "two-way",
  organisation: "two-way",
  email: "two-way",
  phones: "two-way",
  address: "two-way",
  birthday: "two-way",
  notes: "two-way",
};

interface Edit {
  crm?: Partial<ContactPerson>;
  outlook?: Partial<MappedRecord>;
  outlookTime?: string;
}

/** A linked pair whose base is the person as synchronised, then edited on either side. */
function pair(id: string, directions: Partial<FieldDirections>, edit: Edit = {}): SyncPair {
  const base = person(id);
  const baseRecord = recordFromCrm(base, partner);
  const now = person(id, { version: edit.crm ? "v2" : "v1", ...edit.crm });
  const outlookRecord = { ...baseRecord, ...edit.outlook };
  return {
    contact: contactFor(id, outlookRecord, stateFor(baseRecord, directions), {
      lastModifiedDateTime: edit.outlookTime ?? "2026-11-22T10:00:00.000Z",
    }),
    person: now,
    partner,
  };
}

function plan(
  pairs: SyncPair[],
  directions: Partial<FieldDirections>,
  conflictRule: ConflictRule = "crm-wins",
  removed: string[] = [],
) {
  return planSync({
    pairs,
    removedInOutlook: removed.map((crmId) => ({ crmId })),
    directions,
    conflictRule,
    now: NOW,
  });
}

function onlyUpdate(p: SyncPlan): SyncUpdateStep {
  expect(p.steps).toHaveLength(1);
  const step = p.steps[0];
  if (step?.kind !== "update") throw new Error(`expected an update step, got ${step?.kind}`);
  return step;
}

/** Applies a plan's update step to the pair as the runner would (CRM patch, Outlook write, state). */
function applyStep(p: SyncPair, step: SyncUpdateStep): SyncPair {
  const person = p.person ? { ...p.person, ...(step.crmPatch ?? {}) } : null;
  const write: OutlookContactWrite = step.outlookWrite;
  const contact: OutlookContact = {
    ...p.contact,
    ...write,
    businessAddress: write.businessAddress ?? p.contact.businessAddress,
    emailAddresses: write.emailAddresses ?? p.contact.emailAddresses,
    businessPhones: write.businessPhones ?? p.contact.businessPhones,
    link: { crmId: step.crmId, syncState: encodeSyncState(step.state) },
  } as OutlookContact;
  return { ...p, contact, person };
}

describe("planSync: one field, three-way", () => {
  type Row = {
    name: string;
    directions: Partial<FieldDirections>;
    rule?: ConflictRule;
    edit: Edit;
    outlookFields: MappedField[];
    crmPatch: ContactPersonPatch | null;
    conflicts: {
      field: string;
      winner: "crm" | "outlook";
      crmValue: string | null;
      outlookValue: string | null;
    }[];
    overwritten: { field: string; outlookValue: string | null; reason: string }[];
  };
  const rows: Row[] = [
    {
      name: "only the CRM changed -> Outlook update",
      directions: crmLeads,
      edit: { crm: { jobTitle: "Leitung" } },
      outlookFields: ["jobTitle"],
      crmPatch: null,
      conflicts: [],
      overwritten: [],
    },
    {
      name: "only Outlook changed, two-way -> CRM patch",
      directions: twoWay,
      edit: { outlook: { mobile: "+49 171 9999999" } },
      outlookFields: [],
      crmPatch: { mobile: "+49 171 9999999" },
      conflicts: [],
      overwritten: [],
    },
    {
      name: "only Outlook changed, CRM leads -> Outlook overwritten and listed",
      directions: crmLeads,
      edit: { outlook: { mobile: "+49 171 9999999" } },
      outlookFields: ["mobile"],
      crmPatch: null,
      conflicts: [],
      overwritten: [{ field: "mobile", outlookValue: "+49 171 9999999", reason: "crm-leads" }],
    },
    {
      name: "two-way only for phones: a name edit is still overwritten",
      directions: { ...crmLeads, phones: "two-way" },
      edit: { outlook: { firstName: "Anne", phone: "+49 89 1" } },
      outlookFields: ["firstName"],
      crmPatch: { phone: "+49 89 1" },
      conflicts: [],
      overwritten: [{ field: "firstName", outlookValue: "Anne", reason: "crm-leads" }],
    },
    {
      name: "both changed, two-way, crm-wins -> conflict, CRM value to Outlook",
      directions: twoWay,
      edit: { crm: { jobTitle: "CRM" }, outlook: { jobTitle: "OL" } },
      outlookFields: ["jobTitle"],
      crmPatch: null,
      conflicts: [{ field: "jobTitle", winner: "crm", crmValue: "CRM", outlookValue: "OL" }],
      overwritten: [],
    },
    {
      name: "both changed, two-way, outlook-wins -> conflict, Outlook value to the CRM",
      directions: twoWay,
      rule: "outlook-wins",
      edit: { crm: { jobTitle: "CRM" }, outlook: { jobTitle: "OL" } },
      outlookFields: [],
      crmPatch: { jobTitle: "OL" },
      conflicts: [{ field: "jobTitle", winner: "outlook", crmValue: "CRM", outlookValue: "OL" }],
      overwritten: [],
    },
    {
      name: "both changed, newest-wins, Outlook newer",
      directions: twoWay,
      rule: "newest-wins",
      edit: {
        crm: { jobTitle: "CRM" },
        outlook: { jobTitle: "OL" },
        outlookTime: "2026-11-24T10:00:00.000Z",
      },
      outlookFields: [],
      crmPatch: { jobTitle: "OL" },
      conflicts: [{ field: "jobTitle", winner: "outlook", crmValue: "CRM", outlookValue: "OL" }],
      overwritten: [],
    },
    {
      name: "both changed, newest-wins, CRM newer",
      directions: twoWay,
      rule: "newest-wins",
      edit: {
        crm: { jobTitle: "CRM", updatedAt: "2026-11-25T10:00:00.000Z" },
        outlook: { jobTitle: "OL" },
        outlookTime: "2026-11-24T10:00:00.000Z",
      },
      outlookFields: ["jobTitle"],
      crmPatch: null,
      conflicts: [{ field: "jobTitle", winner: "crm", crmValue: "CRM", outlookValue: "OL" }],
      overwritten: [],
    },
    {
      name: "both changed, CRM leads -> overwritten, no conflict",
      directions: crmLeads,
      edit: { crm: { jobTitle: "CRM" }, outlook: { jobTitle: "OL" } },
      outlookFields: ["jobTitle"],
      crmPatch: null,
      conflicts: [],
      overwritten: [{ field: "jobTitle", outlookValue: "OL", reason: "crm-leads" }],
    },
    {
      name: "both changed to the same value -> only the state is refreshed",
      directions: twoWay,
      edit: { crm: { jobTitle: "Same" }, outlook: { jobTitle: "Same" } },
      outlookFields: [],
      crmPatch: null,
      conflicts: [],
      overwritten: [],
    },
    {
      name: "company name is the partner's: two-way still overwrites an Outlook edit",
      directions: twoWay,
      edit: { outlook: { companyName: "Other GmbH" } },
      outlookFields: ["companyName"],
      crmPatch: null,
      conflicts: [],
      overwritten: [{ field: "companyName", outlookValue: "Other GmbH", reason: "crm-leads" }],
    },
    {
      name: "an Outlook edit blanking the last name never reaches the CRM",
      directions: twoWay,
      edit: { outlook: { lastName: null } },
      outlookFields: ["lastName"],
      crmPatch: null,
      conflicts: [],
      overwritten: [{ field: "lastName", outlookValue: null, reason: "crm-leads" }],
    },
    {
      name: "direction none: the field is ignored",
      directions: { ...crmLeads, notes: "none" },
      edit: { crm: { notes: "crm note" }, outlook: { notes: "outlook note" } },
      outlookFields: [],
      crmPatch: null,
      conflicts: [],
      overwritten: [],
    },
  ];

  test.each(rows)("$name", (row) => {
    const p = pair("cp-1", row.directions, row.edit);
    const result = plan([p], row.directions, row.rule);
    if (row.name.startsWith("direction none")) {
      expect(result.steps).toEqual([]);
      return;
    }
    const step = onlyUpdate(result);
    expect(step.outlookFields).toEqual(row.outlookFields);
    expect(step.crmPatch).toEqual(row.crmPatch);
    expect(
      step.conflicts.map(({ field, winner, crmValue, outlookValue }) => ({
        field,
        winner,
        crmValue,
        outlookValue,
      })),
    ).toEqual(row.conflicts);
    expect(
      step.overwritten.map(({ field, outlookValue, reason }) => ({ field, outlookValue, reason })),
    ).toEqual(row.overwritten);
    expect(step.ifMatch).toBe(p.person?.version);
    // Applying the step and planning again gives nothing to do.
    expect(plan([applyStep(p, step)], row.directions, row.rule).steps).toEqual([]);
  });
});

describe("planSync: whole contacts", () => {
  test("unchanged contacts give no steps (no writes)", () => {
    const pairs = ["cp-1", "cp-2", "cp-3"].map((id) => pair(id, crmLeads));
    expect(plan(pairs, crmLeads).steps).toEqual([]);
  });

  test("a CRM version change without a mapped change writes nothing", () => {
    expect(plan([pair("cp-1", crmLeads, { crm: { salutation: "Frau" } })], crmLeads).steps).toEqual([]);
  });

  test.each([
    ["missing", null],
    ["garbage", "{not json"],
    ["unknown version", JSON.stringify({ v: 9 })],
  ])("no usable state (%s) -> first sync, the CRM wins and the Outlook value is listed", (_label, raw) => {
    const base = person("cp-1");
    const outlookRecord = { ...recordFromCrm(base, partner), mobile: "+49 1", jobTitle: "Outlook job" };
    const p: SyncPair = { contact: contactFor("cp-1", outlookRecord, raw), person: base, partner };
    const step = onlyUpdate(plan([p], twoWay));
    expect(step.firstSync).toBe(true);
    expect(step.crmPatch).toBeNull();
    expect(step.outlookFields.sort()).toEqual(["jobTitle", "mobile"]);
    expect(step.overwritten.every((o) => o.reason === "first-sync")).toBe(true);
    expect(step.state.fields).toEqual(activeFields(twoWay));
    expect(plan([applyStep(p, step)], twoWay).steps).toEqual([]);
  });

  test("a state without a newly activated field is refreshed once", () => {
    const directions = { ...crmLeads, notes: "none" as const };
    const p = pair("cp-1", directions);
    const step = onlyUpdate(plan([p], crmLeads));
    expect(step.outlookFields).toEqual([]);
    expect(step.state.fields).toContain("notes");
    expect(plan([applyStep(p, step)], crmLeads).steps).toEqual([]);
  });

  test("new state carries the merged record, the person's version and the time", () => {
    const step = onlyUpdate(
      plan([pair("cp-1", twoWay, { crm: { jobTitle: "CRM" }, outlook: { mobile: "+49 2" } })], twoWay),
    );
    expect(step.state).toMatchObject({ v: 1, crmVersion: "v2", syncedAt: NOW });
    expect(step.state.record.jobTitle).toBe("CRM");
    expect(step.state.record.mobile).toBe("+49 2");
    expect(step.outlookFields).toEqual(["jobTitle"]);
    expect(step.crmPatch).toEqual({ mobile: "+49 2" });
  });

  test("the Outlook write keeps the user's other e-mail addresses and phones", () => {
    const p = pair("cp-1", crmLeads, { crm: { email: "new@mueller-bau.de", phone: "+49 89 2" } });
    p.contact.emailAddresses.push({ name: null, address: "private@example.org" });
    p.contact.businessPhones.push("+49 89 999");
    const step = onlyUpdate(plan([p], crmLeads));
    expect(step.outlookWrite.emailAddresses?.map((e) => e.address)).toEqual([
      "new@mueller-bau.de",
      "private@example.org",
    ]);
    expect(step.outlookWrite.businessPhones).toEqual(["+49 89 2", "+49 89 999"]);
  });

  test("the plan does not depend on the Outlook record's derived fields", () => {
    const p = pair("cp-1", crmLeads);
    expect(recordFromOutlook(p.contact)).toEqual(recordFromCrm(p.person as ContactPerson, partner));
  });
});

describe("planSync: deletes and unlinks", () => {
  test.each([
    ["deleted", { status: "deleted" as const }, "deleted-in-crm"],
    ["inactive", { status: "inactive" as const }, "inactive-in-crm"],
  ])("a person %s in the CRM deletes the Outlook contact", (_label, crm, reason) => {
    const result = plan([pair("cp-1", crmLeads, { crm })], crmLeads);
    expect(result.steps).toEqual([
      { kind: "delete", contactId: "o-cp-1", crmId: "cp-1", name: "Anna Schmidt", reason },
    ]);
  });

  test("a person missing in the CRM deletes the Outlook contact", () => {
    const p = { ...pair("cp-1", crmLeads), person: null };
    expect(plan([p], crmLeads).steps).toMatchObject([{ kind: "delete", reason: "missing-in-crm" }]);
  });

  test("a contact deleted in Outlook is only unlinked: no CRM step, no re-create", () => {
    const result = plan([pair("cp-1", crmLeads)], crmLeads, "crm-wins", ["cp-2"]);
    expect(result.steps).toEqual([{ kind: "unlink", crmId: "cp-2", name: "cp-2" }]);
  });

  test("a contact moved to another folder stays linked and is compared as usual", () => {
    const p = pair("cp-1", crmLeads, { crm: { jobTitle: "Leitung" } });
    p.contact.parentFolderId = "other-folder";
    const step = onlyUpdate(plan([p], crmLeads));
    expect(step.contactId).toBe("o-cp-1");
    expect(step.outlookFields).toEqual(["jobTitle"]);
  });

  test("no step kind ever deletes or creates a CRM record", () => {
    const pairs = [
      pair("a", twoWay, { outlook: { jobTitle: "x" } }),
      pair("b", twoWay, { crm: { status: "deleted" } }),
      { ...pair("c", twoWay), person: null },
    ];
    const kinds = new Set(plan(pairs, twoWay, "outlook-wins", ["d"]).steps.map((s) => s.kind));
    expect([...kinds].sort()).toEqual(["delete", "unlink", "update"]);
  });

  type GuardRow = [linked: number, deleted: number, needsConfirmation: boolean];
  const guardRows: GuardRow[] = [
    [100, 10, false], // exactly 10: not more than 10
    [100, 11, false], // 11 % of the linked
    [100, 21, true],
    [50, 11, true],
    [40, 8, false], // 20 % but only 8
    [55, 11, false], // exactly 20 %
    [100, 30, true],
  ];
  test.each(guardRows)(
    "mass-delete guard: %i linked, %i deleted -> needsConfirmation %s",
    (linked, deleted, expected) => {
      const pairs = Array.from({ length: linked }, (_, i) =>
        pair(`cp-${i}`, crmLeads, i < deleted ? { crm: { status: "deleted" } } : {}),
      );
      const result = plan(pairs, crmLeads);
      expect(result.deleteCount).toBe(deleted);
      expect(result.linkedCount).toBe(linked);
      expect(result.needsConfirmation).toBe(expected);
      expect(exceedsMassDeleteGuard(deleted, linked)).toBe(expected);
    },
  );
});

describe("planSync: photos by content hash", () => {
  function photoPair(
    base: string | null,
    crm: string | null | undefined,
    outlook: string | null | undefined,
  ): SyncPair {
    const p = pair("cp-1", crmLeads);
    const record = recordFromCrm(p.person as ContactPerson, partner);
    p.contact.link = { crmId: "cp-1", syncState: stateFor(record, crmLeads, base) };
    return { ...p, crmPhotoHash: crm, outlookPhotoHash: outlook };
  }
  type PhotoRow = [
    name: string,
    base: string | null,
    crm: string | null | undefined,
    outlook: string | null | undefined,
    action: string | null,
    hash: string | null,
  ];
  const rows: PhotoRow[] = [
    ["unchanged (not read)", "h1", undefined, undefined, null, "h1"],
    ["unchanged (read)", "h1", "h1", "h1", null, "h1"],
    ["new CRM photo -> Outlook", "h1", "h2", undefined, "to-outlook", "h2"],
    ["new Outlook photo -> CRM", "h1", undefined, "h2", "to-crm", "h2"],
    ["first CRM photo -> Outlook", null, "h2", null, "to-outlook", "h2"],
    ["removed in the CRM: not propagated", "h1", null, "h1", null, "h1"],
  ];
  test.each(rows)("%s", (_name, base, crm, outlook, action, hash) => {
    const result = plan([photoPair(base, crm, outlook)], crmLeads);
    if (action === null) {
      expect(result.steps).toEqual([]);
      return;
    }
    const step = onlyUpdate(result);
    expect(step.photo).toBe(action);
    expect(step.state.photoHash).toBe(hash);
    expect(step.outlookFields).toEqual([]);
  });

  test("a photo changed on both sides is a conflict resolved by the rule", () => {
    const step = onlyUpdate(plan([photoPair("h1", "h2", "h3")], crmLeads, "outlook-wins"));
    expect(step.photo).toBe("to-crm");
    expect(step.conflicts).toMatchObject([
      { field: "photo", crmValue: "h2", outlookValue: "h3", winner: "outlook" },
    ]);
  });
});

describe("planSync: a base written by an older version, a partner that could not be read", () => {
  const baseRecord = () => recordFromCrm(person("cp-1"), partner);
  function rawState(record: Record<string, string | null>, fields: string[]): string {
    const r: Record<string, string> = {};
    for (const [field, value] of Object.entries(record)) if (value !== null) r[field] = value;
    return JSON.stringify({ v: 1, cv: "v1", at: SYNCED, r, f: fields, ph: null });
  }

  type BaseRow = [
    field: MappedField,
    storedBase: string,
    crmChange: Partial<ContactPerson>,
    outlookField: MappedField,
  ];
  const baseRows: BaseRow[] = [
    ["birthday", "1980-02-03T00:00:00Z", { birthday: "1980-02-04" }, "birthday"],
    ["jobTitle", "  Einkauf ", { jobTitle: "Leitung Einkauf" }, "jobTitle"],
  ];
  test.each(baseRows)(
    "a base value stored un-normalised (%s %j) is compared normalised: a CRM change is no conflict",
    (field, storedBase, crmChange, outlookField) => {
      const raw = rawState({ ...baseRecord(), [field]: storedBase }, activeFields(twoWay));
      const p: SyncPair = {
        contact: contactFor("cp-1", baseRecord(), raw),
        person: person("cp-1", { version: "v2", ...crmChange }),
        partner,
      };
      const step = onlyUpdate(plan([p], twoWay, "outlook-wins"));
      expect(step.conflicts).toEqual([]);
      expect(step.crmPatch).toBeNull(); // the CRM's correction is not reverted
      expect(step.outlookFields).toEqual([outlookField]);
    },
  );

  const partnerFields: MappedField[] = [
    "companyName",
    "street",
    "city",
    "postalCode",
    "state",
    "countryOrRegion",
  ];
  test.each([
    ["no state", null],
    ["a state", "valid"],
  ])("a partner that could not be read never blanks the company fields (%s)", (_label, kind) => {
    const record = baseRecord();
    const raw = kind === "valid" ? stateFor(record, crmLeads) : null;
    const p: SyncPair = {
      contact: contactFor("cp-1", record, raw),
      person: person("cp-1", { version: "v2", jobTitle: "Leitung" }),
      partner: null,
    };
    const step = onlyUpdate(plan([p], crmLeads));
    expect(step.outlookFields).toEqual(["jobTitle"]);
    expect(step.overwritten.filter((o) => partnerFields.includes(o.field))).toEqual([]);
    for (const field of partnerFields) expect(step.state.record[field]).toBe(record[field]);
  });
});
