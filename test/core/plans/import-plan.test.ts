import type { OutlookContact } from "../../../src/core/model";
import {
  applyImportEdits,
  crmFieldLimits,
  importIdempotencyKey,
  planImport,
  validateImportCandidate,
  type ImportDuplicateInfo,
  type PlanImportInput,
} from "../../../src/core/plans/import-plan";

function contact(id: string, over: Partial<OutlookContact> = {}): OutlookContact {
  return {
    id,
    changeKey: `ck-${id}`,
    parentFolderId: "folder-default",
    displayName: "Eva Meyer",
    lastModifiedDateTime: null,
    link: null,
    givenName: "Eva",
    middleName: null,
    surname: "Meyer",
    title: null,
    jobTitle: null,
    department: null,
    companyName: "Contoso GmbH",
    emailAddresses: [{ name: "Eva Meyer", address: "eva.meyer@contoso.de" }],
    businessPhones: ["089 123456"],
    mobilePhone: "+49 171 9999999",
    homePhones: [],
    businessFax: null,
    businessAddress: {},
    birthday: null,
    personalNotes: null,
    fileAs: null,
    ...over,
  };
}

const none: ImportDuplicateInfo = { status: "none", matches: [] };
const possible: ImportDuplicateInfo = {
  status: "possible",
  matches: [{ id: "cp-7", reason: "first-last-name" }],
};
const certain: ImportDuplicateInfo = { status: "certain", matches: [{ id: "cp-9", reason: "email" }] };

function input(over: Partial<PlanImportInput> & { c?: OutlookContact }): PlanImportInput {
  const c = over.c ?? contact("o1");
  return {
    candidates: [c],
    assignments: { [c.id]: "bp-1" },
    duplicates: { [c.id]: none },
    selected: [c.id],
    links: {},
    defaultRegion: "DE",
    ...over,
  };
}

describe("validateImportCandidate", () => {
  const cases: [string, Partial<OutlookContact>, { field: string; code: string; blocking: boolean }[]][] = [
    ["complete contact", {}, []],
    ["no last name", { surname: "  " }, [{ field: "lastName", code: "missing", blocking: true }]],
    ["null last name", { surname: null }, [{ field: "lastName", code: "missing", blocking: true }]],
    [
      "invalid e-mail",
      { emailAddresses: [{ name: null, address: "eva.meyer(at)contoso" }] },
      [{ field: "email", code: "invalid-email", blocking: true }],
    ],
    ["no e-mail is fine", { emailAddresses: [] }, []],
    [
      "unparseable phone",
      { businessPhones: ["call reception"] },
      [{ field: "phone", code: "invalid-phone", blocking: true }],
    ],
    [
      "unparseable mobile",
      { mobilePhone: "12" },
      [{ field: "mobile", code: "invalid-phone", blocking: true }],
    ],
    [
      "phone with an extension the CRM does not accept",
      { businessPhones: ["089 123456 ext. 12"] },
      [{ field: "phone", code: "invalid-phone", blocking: true }],
    ],
    ["only the first business phone is imported", { businessPhones: ["089 123456", "nonsense"] }, []],
    [
      "too long last name",
      { surname: "x".repeat(crmFieldLimits.lastName + 1) },
      [{ field: "lastName", code: "too-long", blocking: true }],
    ],
    ["last name at the limit", { surname: "x".repeat(crmFieldLimits.lastName) }, []],
    [
      "script-like first name is a hint only",
      { givenName: "<script>alert(1)</script>" },
      [{ field: "firstName", code: "markup", blocking: false }],
    ],
    [
      "event handler markup in notes",
      { personalNotes: 'see <img src=x onerror="x()">' },
      [{ field: "notes", code: "markup", blocking: false }],
    ],
    ["angle brackets in prose are no markup", { personalNotes: "a < b and c > d" }, []],
  ];
  it.each(cases)("%s", (_name, over, expected) => {
    const problems = validateImportCandidate(contact("o1", over), "DE");
    expect(problems.map(({ field, code, blocking }) => ({ field, code, blocking }))).toEqual(expected);
  });

  it("reports the CRM limit for too-long fields", () => {
    const problems = validateImportCandidate(contact("o1", { jobTitle: "y".repeat(500) }), "DE");
    expect(problems).toEqual([
      { field: "jobTitle", code: "too-long", blocking: true, limit: crmFieldLimits.jobTitle },
    ]);
  });
});

describe("planImport", () => {
  const cases: [string, Partial<PlanImportInput> & { c?: OutlookContact }, string, string | undefined][] = [
    ["selected, partner, no duplicate", {}, "import", undefined],
    ["selected, partner, possible duplicate", { duplicates: { o1: possible } }, "import", undefined],
    ["not selected", { selected: [] }, "skip", "not-selected"],
    [
      "certain duplicate is never imported even when selected",
      { duplicates: { o1: certain } },
      "skip",
      "certain-duplicate",
    ],
    ["no duplicate result yet", { duplicates: {} }, "skip", "duplicate-unknown"],
    ["no business partner", { assignments: { o1: null } }, "skip", "no-partner"],
    ["missing assignment entry", { assignments: {} }, "skip", "no-partner"],
    ["no last name", { c: contact("o1", { surname: null }) }, "skip", "invalid-data"],
    [
      "invalid e-mail",
      { c: contact("o1", { emailAddresses: [{ name: null, address: "a@" }] }) },
      "skip",
      "invalid-data",
    ],
    [
      "link to a certain duplicate's match",
      { duplicates: { o1: certain }, links: { o1: "cp-9" } },
      "link",
      undefined,
    ],
    [
      "link needs no tick",
      { duplicates: { o1: certain }, links: { o1: "cp-9" }, selected: [] },
      "link",
      undefined,
    ],
    [
      "link to a possible duplicate's match",
      { duplicates: { o1: possible }, links: { o1: "cp-7" } },
      "link",
      undefined,
    ],
    [
      "link to an id that is no match",
      { duplicates: { o1: certain }, links: { o1: "cp-1" } },
      "skip",
      "invalid-link",
    ],
    [
      "completed last name makes it importable",
      { c: contact("o1", { surname: null }), edits: { o1: { lastName: "Meyer" } } },
      "import",
      undefined,
    ],
    [
      "cleared invalid e-mail makes it importable",
      { c: contact("o1", { emailAddresses: [{ name: null, address: "a@" }] }), edits: { o1: { email: "" } } },
      "import",
      undefined,
    ],
  ];
  it.each(cases)("%s", (_name, over, kind, reason) => {
    const [step] = planImport(input(over)).steps;
    expect(step?.kind).toBe(kind);
    if (step?.kind === "skip") expect(step.reason).toBe(reason);
  });

  it("names the offending fields of invalid data", () => {
    const c = contact("o1", { surname: "", businessPhones: ["abc"] });
    const [step] = planImport(input({ c })).steps;
    expect(step).toMatchObject({
      kind: "skip",
      reason: "invalid-data",
      problems: [
        { field: "lastName", code: "missing" },
        { field: "phone", code: "invalid-phone" },
      ],
    });
  });

  it("builds the CRM input with the assigned partner and a stable idempotency key", () => {
    const [step] = planImport(input({})).steps;
    if (step?.kind !== "import") throw new Error("expected an import step");
    expect(step.input).toMatchObject({
      businessPartnerId: "bp-1",
      firstName: "Eva",
      lastName: "Meyer",
      email: "eva.meyer@contoso.de",
      phone: "089 123456",
      mobile: "+49 171 9999999",
    });
    expect(step.idempotencyKey).toBe(importIdempotencyKey("o1"));
    expect(step.outlookPatch).toBeNull();
  });

  it("carries the row's completions to the CRM and back to Outlook", () => {
    const c = contact("o1", { surname: null });
    const [step] = planImport(input({ c, edits: { o1: { lastName: " Meyer " } } })).steps;
    if (step?.kind !== "import") throw new Error("expected an import step");
    expect(step.input.lastName).toBe("Meyer");
    expect(step.outlookPatch).toMatchObject({ surname: "Meyer", fileAs: "Meyer, Eva" });
  });

  it("counts steps and keeps candidate order", () => {
    const cs = [
      contact("a"),
      contact("b"),
      contact("c", { emailAddresses: [{ name: null, address: "c@contoso.de" }], mobilePhone: null }),
    ];
    const plan = planImport({
      candidates: cs,
      assignments: { a: "bp-1", b: "bp-1", c: "bp-1" },
      duplicates: { a: none, b: certain, c: none },
      selected: ["a", "c"],
      links: { b: "cp-9" },
      defaultRegion: "DE",
    });
    expect(plan.steps.map((s) => `${s.outlookId}:${s.kind}`)).toEqual(["a:import", "b:link", "c:import"]);
    expect(plan.counts).toEqual({ import: 2, link: 1, skip: 0 });
  });

  it.each<[string, Partial<OutlookContact>, "skip" | "import"]>([
    [
      "same e-mail in another letter case",
      { emailAddresses: [{ name: null, address: "EVA.MEYER@contoso.de" }] },
      "skip",
    ],
    ["same last name and mobile", { emailAddresses: [], mobilePhone: "0171 9999999" }, "skip"],
    [
      "same name only (possible, both imported)",
      { emailAddresses: [], mobilePhone: null, businessPhones: [] },
      "import",
    ],
  ])("two ticked contacts in one run: %s -> second is %s", (_name, over, kind) => {
    const first = contact("o1");
    const second = contact("o2", over);
    const plan = planImport({
      candidates: [first, second],
      assignments: { o1: "bp-1", o2: "bp-1" },
      duplicates: { o1: none, o2: none },
      selected: ["o1", "o2"],
      links: {},
      defaultRegion: "DE",
    });
    expect(plan.steps[0]?.kind).toBe("import");
    expect(plan.steps[1]).toMatchObject(kind === "skip" ? { kind, reason: "duplicate-in-run" } : { kind });
  });

  it("no plan ever imports a certain duplicate, whatever else is chosen", () => {
    for (const selected of [[], ["o1"]]) {
      for (const assignments of [{}, { o1: "bp-1" }]) {
        const plan = planImport(input({ duplicates: { o1: certain }, selected, assignments }));
        expect(plan.steps.every((s) => s.kind !== "import")).toBe(true);
      }
    }
  });
});

describe("importIdempotencyKey / applyImportEdits", () => {
  it("is deterministic per Outlook id and differs between ids", () => {
    expect(importIdempotencyKey("AAMk-1")).toBe(importIdempotencyKey("AAMk-1"));
    expect(importIdempotencyKey("AAMk-1")).not.toBe(importIdempotencyKey("AAMk-2"));
    expect(importIdempotencyKey("x".repeat(300)).length).toBeLessThan(64);
  });

  it("returns the contact unchanged without edits", () => {
    const c = contact("o1");
    expect(applyImportEdits(c, undefined)).toEqual({ contact: c, outlookPatch: null });
    expect(applyImportEdits(c, {})).toEqual({ contact: c, outlookPatch: null });
  });

  it("keeps the other e-mail addresses when the first is corrected", () => {
    const c = contact("o1", {
      emailAddresses: [
        { name: null, address: "bad@" },
        { name: null, address: "private@example.org" },
      ],
    });
    const { contact: edited } = applyImportEdits(c, { email: "eva@contoso.de" });
    expect(edited.emailAddresses.map((e) => e.address)).toEqual(["eva@contoso.de", "private@example.org"]);
  });
});

describe("planImport: an import an earlier run left unfinished (issue 19)", () => {
  const resumed: ImportDuplicateInfo = { status: "none", matches: [], resumeId: "cp-42" };
  const cases: [string, Partial<PlanImportInput>, { kind: string; crmId?: string; resumed?: true }][] = [
    [
      "ticked: linked to its own person",
      { duplicates: { o1: resumed } },
      { kind: "link", crmId: "cp-42", resumed: true },
    ],
    [
      "ticked, even with another certain duplicate and no partner",
      { duplicates: { o1: { ...certain, resumeId: "cp-42" } }, assignments: {} },
      { kind: "link", crmId: "cp-42", resumed: true },
    ],
    ["not ticked: skipped", { duplicates: { o1: resumed }, selected: [] }, { kind: "skip" }],
  ];
  it.each(cases)("%s", (_name, over, expected) => {
    const [step] = planImport(input(over)).steps;
    expect(step).toMatchObject(expected);
  });
});

describe("validateImportCandidate: text the CRM refuses (issue 19)", () => {
  const cases: [string, Partial<OutlookContact>, string, string][] = [
    ["a lone surrogate", { surname: "M\uD800ller" }, "lastName", "invalid-text"],
    ["a control character", { jobTitle: "Chef\u0007" }, "jobTitle", "invalid-text"],
    ["zero-width characters only", { surname: "\u200B\u200D" }, "lastName", "missing"],
  ];
  it.each(cases)("%s is blocking", (_name, over, field, code) => {
    expect(validateImportCandidate(contact("o1", over), "DE")).toContainEqual({
      field,
      code,
      blocking: true,
    });
  });
  it("line breaks in notes are fine", () => {
    expect(validateImportCandidate(contact("o1", { personalNotes: "a\nb\tc" }), "DE")).toEqual([]);
  });
});
