import fc from "fast-check";
import { defaultFieldDirections, recordFromCrm, recordFromOutlook } from "../../../src/core/mapping";
import type {
  BusinessPartner,
  ContactPerson,
  OutlookContact,
  OutlookContactWrite,
} from "../../../src/core/model";
import {
  planExport,
  PHOTO_PENDING_PREFIX,
  type ExportPlanInput,
  type ExportReason,
  type ExportStepKind,
} from "../../../src/core/plans/export-plan";
import { decodeSyncState } from "../../../src/core/sync-state";
import { muellerBauPartner, muellerBauPerson } from "../../support/builders";

const NOW = "2026-11-25T10:00:00.000Z";

const partner: BusinessPartner = muellerBauPartner("Deutschland");

function person(id: string, over: Partial<ContactPerson> = {}): ContactPerson {
  return muellerBauPerson(id, { lastName: `Schmidt-${id}`, updatedAt: NOW, ...over });
}

/** An Outlook contact as Graph would return it after `write` (what the emulator stores). */
function contact(id: string, write: OutlookContactWrite, over: Partial<OutlookContact> = {}): OutlookContact {
  return {
    id,
    changeKey: `ck-${id}`,
    parentFolderId: "contacts",
    displayName: null,
    lastModifiedDateTime: "2026-11-20T10:00:00Z",
    givenName: write.givenName ?? null,
    middleName: null,
    surname: write.surname ?? null,
    title: write.title ?? null,
    jobTitle: write.jobTitle ?? null,
    department: write.department ?? null,
    companyName: write.companyName ?? null,
    emailAddresses: write.emailAddresses ?? [],
    businessPhones: write.businessPhones ?? [],
    mobilePhone: write.mobilePhone ?? null,
    homePhones: [],
    businessFax: write.businessFax ?? null,
    businessAddress: write.businessAddress ?? {},
    birthday: write.birthday ?? null,
    personalNotes: write.personalNotes ?? null,
    fileAs: write.fileAs ?? null,
    link: write.link ?? null,
    ...over,
  };
}

const options = { withdrawDeselected: true, fieldDirections: defaultFieldDirections };

/** A contact exactly as a finished export of `p` left it. */
function exported(p: ContactPerson, id = `o-${p.id}`, over: Partial<OutlookContact> = {}): OutlookContact {
  const plan = planExport({
    selected: [{ person: p, partner }],
    linked: [],
    deselectedExported: [],
    options,
    now: NOW,
  });
  const step = plan.steps[0];
  if (step?.kind !== "create") throw new Error("expected a create step");
  return contact(id, step.write, over);
}

type Row = [
  string,
  Omit<ExportPlanInput, "now" | "options"> & { options?: ExportPlanInput["options"] },
  [ExportStepKind, ExportReason, string][],
];

const a = person("cp-1");
const b = person("cp-2");

const table: Row[] = [
  [
    "new person -> create",
    { selected: [{ person: a, partner }], linked: [], deselectedExported: [] },
    [["create", "new", "cp-1"]],
  ],
  [
    "exported and equal -> unchanged",
    { selected: [{ person: a, partner }], linked: [exported(a)], deselectedExported: [] },
    [["unchanged", "up-to-date", "cp-1"]],
  ],
  [
    "CRM version changed -> update",
    {
      selected: [{ person: { ...a, version: "v2", jobTitle: "CEO" }, partner }],
      linked: [exported(a)],
      deselectedExported: [],
    },
    [["update", "crm-changed", "cp-1"]],
  ],
  [
    "Outlook edited a mapped field -> update (CRM leads)",
    {
      selected: [{ person: a, partner }],
      linked: [exported(a, "o-1", { jobTitle: "Boss" })],
      deselectedExported: [],
    },
    [["update", "outlook-changed", "cp-1"]],
  ],
  [
    "linked without sync state -> update",
    {
      selected: [{ person: a, partner }],
      linked: [exported(a, "o-1", { link: { crmId: "cp-1", syncState: "garbage" } })],
      deselectedExported: [],
    },
    [["update", "no-sync-state", "cp-1"]],
  ],
  [
    "field directions changed -> update",
    {
      selected: [{ person: a, partner }],
      linked: [exported(a)],
      deselectedExported: [],
      options: { ...options, fieldDirections: { ...defaultFieldDirections, notes: "none" } },
    },
    [["update", "fields-changed", "cp-1"]],
  ],
  [
    "two-way Outlook edit not yet synced -> left to the sync",
    {
      selected: [{ person: a, partner }],
      linked: [exported(a, "o-1", { jobTitle: "Boss" })],
      deselectedExported: [],
      options: { ...options, fieldDirections: { ...defaultFieldDirections, organisation: "two-way" } },
    },
    [["unchanged", "pending-outlook-edits", "cp-1"]],
  ],
  [
    "photo upload not confirmed -> update",
    {
      selected: [{ person: { ...a, hasPhoto: true }, partner }],
      linked: [
        (() => {
          const c = exported(a);
          const state = c.link?.syncState ?? "";
          return {
            ...c,
            link: {
              crmId: "cp-1",
              syncState: state.replace('"cv":"v1"', `"cv":"${PHOTO_PENDING_PREFIX}v1"`),
            },
          };
        })(),
      ],
      deselectedExported: [],
    },
    [["update", "crm-changed", "cp-1"]],
  ],
  [
    "moved back left, withdraw on -> withdraw",
    { selected: [{ person: a, partner }], linked: [exported(a), exported(b)], deselectedExported: ["cp-2"] },
    [
      ["unchanged", "up-to-date", "cp-1"],
      ["withdraw", "deselected", "cp-2"],
    ],
  ],
  [
    "moved back left, withdraw off -> nothing",
    {
      selected: [],
      linked: [exported(b)],
      deselectedExported: ["cp-2"],
      options: { ...options, withdrawDeselected: false },
    },
    [],
  ],
  ["deselected but not linked -> nothing", { selected: [], linked: [], deselectedExported: ["cp-2"] }, []],
  [
    "two linked contacts for one id -> one kept, one withdrawn",
    {
      selected: [{ person: a, partner }],
      linked: [
        exported(a, "o-late", { lastModifiedDateTime: "2026-11-21T00:00:00Z" }),
        exported(a, "o-early"),
      ],
      deselectedExported: [],
    },
    [
      ["withdraw", "duplicate-link", "cp-1"],
      ["unchanged", "up-to-date", "cp-1"],
    ],
  ],
  [
    "linked contacts of persons not in this export are left alone",
    { selected: [{ person: a, partner }], linked: [exported(b)], deselectedExported: [] },
    [["create", "new", "cp-1"]],
  ],
  [
    "a person selected twice is planned once",
    {
      selected: [
        { person: a, partner },
        { person: a, partner },
      ],
      linked: [],
      deselectedExported: ["cp-1"],
    },
    [["create", "new", "cp-1"]],
  ],
];

describe("planExport", () => {
  it.each(table)("%s", (_name, input, expected) => {
    const plan = planExport({ options, ...input, now: NOW });
    expect(plan.steps.map((s) => [s.kind, s.reason, s.crmId])).toEqual(expected);
    const counts = { create: 0, update: 0, unchanged: 0, withdraw: 0 };
    for (const [kind] of expected) counts[kind] += 1;
    expect(plan.counts).toEqual(counts);
  });

  it("writes the CRM id and an encoded sync state in the create", () => {
    const plan = planExport({
      selected: [{ person: a, partner }],
      linked: [],
      deselectedExported: [],
      options,
      now: NOW,
    });
    const step = plan.steps[0];
    if (step?.kind !== "create") throw new Error("expected create");
    expect(step.write.link?.crmId).toBe("cp-1");
    const state = decodeSyncState(step.write.link?.syncState);
    expect(state?.crmVersion).toBe("v1");
    expect(state?.syncedAt).toBe(NOW);
    expect(state?.record.lastName).toBe("Schmidt-cp-1");
    expect(step.write.surname).toBe("Schmidt-cp-1");
    expect(step.write.companyName).toBe("Müller Bau GmbH");
    expect(step.folderId).toBeNull();
    expect(step.label).toBe("Anna Schmidt-cp-1");
  });

  it("targets the given folder for creates", () => {
    const plan = planExport({
      selected: [{ person: a, partner }],
      linked: [],
      deselectedExported: [],
      options: { ...options, targetFolderId: "f-crm" },
      now: NOW,
    });
    expect(plan.steps[0]).toMatchObject({ kind: "create", folderId: "f-crm" });
  });

  it("an update keeps the user's further e-mail addresses and lists the changed fields", () => {
    const linked = exported(a, "o-1", {
      jobTitle: "Boss",
      emailAddresses: [
        { name: "Anna", address: "cp-1@mueller-bau.de" },
        { name: "Anna private", address: "anna@example.org" },
      ],
    });
    const plan = planExport({
      selected: [{ person: a, partner }],
      linked: [linked],
      deselectedExported: [],
      options,
      now: NOW,
    });
    const step = plan.steps[0];
    if (step?.kind !== "update") throw new Error("expected update");
    expect(step.changedFields).toEqual(["jobTitle"]);
    expect(step.write.emailAddresses?.map((e) => e.address)).toEqual([
      "cp-1@mueller-bau.de",
      "anna@example.org",
    ]);
  });

  it("re-planning after applying every step yields only unchanged steps", () => {
    const people = [person("cp-1"), person("cp-2", { version: "v9" }), person("cp-3", { firstName: null })];
    const first = planExport({
      selected: people.map((p) => ({ person: p, partner })),
      linked: [exported(person("cp-2"), "o-2", { jobTitle: "Old" })],
      deselectedExported: [],
      options,
      now: NOW,
    });
    const applied = first.steps.map((step, i) => {
      if (step.kind === "create") return contact(`new-${i}`, step.write);
      if (step.kind === "update") return contact(step.outlookId, step.write);
      throw new Error(`unexpected ${step.kind}`);
    });
    const second = planExport({
      selected: people.map((p) => ({ person: p, partner })),
      linked: applied,
      deselectedExported: [],
      options,
      now: NOW,
    });
    expect(second.counts).toEqual({ create: 0, update: 0, unchanged: 3, withdraw: 0 });
    for (const c of applied) {
      const p = people.find((x) => x.id === c.link?.crmId);
      expect(p && recordFromOutlook(c)).toEqual(p && recordFromCrm(p, partner));
    }
  });

  it("reports duplicates: the contact with a readable state is kept", () => {
    const good = exported(a, "o-b", { lastModifiedDateTime: "2026-11-22T00:00:00Z" });
    const bad = exported(a, "o-a", { link: { crmId: "cp-1", syncState: null } });
    const plan = planExport({
      selected: [{ person: a, partner }],
      linked: [bad, good],
      deselectedExported: [],
      options,
      now: NOW,
    });
    expect(plan.duplicates).toEqual([{ crmId: "cp-1", keptId: "o-b", withdrawnIds: ["o-a"] }]);
    expect(plan.steps.find((s) => s.kind === "withdraw")?.outlookId).toBe("o-a");
  });
});

describe("planExport properties", () => {
  const text = fc.option(fc.constantFrom("", " ", "Anna", "Müller  Bau", "x\r\ny", "+49 171 2345678"), {
    nil: null,
  });
  const personArb = fc.record({
    n: fc.integer({ min: 1, max: 6 }),
    title: text,
    firstName: text,
    jobTitle: text,
    notes: text,
    birthday: fc.option(fc.constantFrom("1980-02-03", "2000-12-31T00:00:00Z"), { nil: null }),
    version: fc.constantFrom("v1", "v2"),
    hasPhoto: fc.boolean(),
  });
  const stateArb = fc.constantFrom("fresh", "stale-version", "edited", "no-state", "absent", "twice");

  it("applying a plan and planning again yields only unchanged steps, one contact per person", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(personArb, stateArb), { maxLength: 6 }), (rows) => {
        const people = new Map<string, ContactPerson>();
        for (const [p] of rows)
          people.set(
            `cp-${p.n}`,
            person(`cp-${p.n}`, { ...p, firstName: p.firstName, lastName: `L${p.n}`, version: p.version }),
          );
        const linked: OutlookContact[] = [];
        for (const [p, state] of rows) {
          const current = people.get(`cp-${p.n}`) as ContactPerson;
          if (state === "absent" || linked.some((c) => c.link?.crmId === current.id)) continue;
          const base = exported({ ...current, version: "v0" }, `o-${p.n}`);
          if (state === "fresh") linked.push(exported(current, `o-${p.n}`));
          if (state === "stale-version") linked.push(base);
          if (state === "edited") linked.push(exported(current, `o-${p.n}`, { jobTitle: "edited" }));
          if (state === "no-state") linked.push({ ...base, link: { crmId: current.id, syncState: null } });
          if (state === "twice") linked.push(exported(current, `o-${p.n}`), exported(current, `o-${p.n}b`));
        }
        const selected = [...people.values()].map((p) => ({ person: p, partner }));
        const plan = planExport({ selected, linked, deselectedExported: [], options, now: NOW });
        // Apply the plan to an in-memory mailbox.
        const box = new Map(linked.map((c) => [c.id, c]));
        plan.steps.forEach((step, i) => {
          if (step.kind === "create") box.set(`new-${i}`, contact(`new-${i}`, step.write));
          if (step.kind === "update") box.set(step.outlookId, contact(step.outlookId, step.write));
          if (step.kind === "withdraw") box.delete(step.outlookId);
        });
        const again = planExport({
          selected,
          linked: [...box.values()],
          deselectedExported: [],
          options,
          now: NOW,
        });
        expect(again.counts).toEqual({ create: 0, update: 0, unchanged: people.size, withdraw: 0 });
        const ids = [...box.values()].map((c) => c.link?.crmId).sort();
        expect(ids).toEqual([...people.keys()].sort());
      }),
      { numRuns: 200 },
    );
  });
});

describe("planExport: inactive and deleted persons (issue 19)", () => {
  it.each(["inactive", "deleted"] as const)(
    "a %s person is skipped with the reason, never created",
    (status) => {
      const p = person("cp-9", { status });
      const plan = planExport({
        selected: [
          { person: p, partner },
          { person: a, partner },
        ],
        linked: [],
        deselectedExported: [],
        options,
        now: NOW,
      });
      expect(plan.steps.map((s) => [s.kind, s.crmId])).toEqual([["create", a.id]]);
      expect(plan.skipped).toEqual([{ crmId: "cp-9", label: expect.any(String), reason: status }]);
      expect(plan.counts).toEqual({ create: 1, update: 0, unchanged: 0, withdraw: 0 });
    },
  );
  it("an inactive person with a linked contact is neither updated nor withdrawn by the export (the sync removes it)", () => {
    const p = person("cp-9");
    const linked = exported(p);
    const plan = planExport({
      selected: [{ person: { ...p, status: "inactive" }, partner }],
      linked: [linked],
      deselectedExported: [],
      options,
      now: NOW,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(["inactive"]);
  });
});
