import fc from "fast-check";
import {
  activeFields,
  clean,
  cleanDate,
  crmInputFromOutlook,
  crmPatchFromRecord,
  crmWritableFields,
  defaultFieldDirections,
  diffRecords,
  directionOf,
  displayNameOf,
  fieldGroupOf,
  fileAsOf,
  mappedFields,
  outlookWriteFromRecord,
  pickFields,
  recordFromCrm,
  recordFromOutlook,
  recordHash,
  type FieldDirections,
  type MappedField,
  type MappedRecord,
} from "../../src/core/mapping";
import type { FieldGroup } from "../../src/core/config";
import type {
  Address,
  BusinessPartner,
  ContactPerson,
  OutlookContactFields,
  OutlookContactWrite,
} from "../../src/core/model";
import { blankOutlookFields } from "../support/builders";
import { aPartner, aPerson } from "../support/fakes";

const emptyRecord = (): MappedRecord =>
  Object.fromEntries(mappedFields.map((f) => [f, null])) as MappedRecord;

const blankOutlook = (): OutlookContactFields => blankOutlookFields();

const blankPerson = (): ContactPerson =>
  aPerson({
    salutation: null,
    title: null,
    firstName: null,
    lastName: "X",
    jobTitle: null,
    department: null,
    email: null,
    phone: null,
    mobile: null,
    fax: null,
    birthday: null,
    notes: null,
  });
const blankPartner = (): BusinessPartner => aPartner({ name: "", address: {} });

interface Row {
  field: MappedField;
  /** The raw value on both sides and the canonical record value. */
  raw: string;
  value: string;
  crm: (v: string) => { person?: Partial<ContactPerson>; partner?: Partial<BusinessPartner> };
  outlook: (v: string) => Partial<OutlookContactFields>;
  /** Reads the field back from an Outlook write. */
  written: (w: OutlookContactWrite) => unknown;
  /** The CRM patch key, or null for partner-owned fields. */
  crmKey: keyof ContactPerson | null;
}

const address = (part: keyof Address) => ({
  crm: (v: string) => ({ partner: { address: { [part]: v } } }),
  outlook: (v: string) => ({ businessAddress: { [part]: v } }),
  written: (w: OutlookContactWrite) => w.businessAddress?.[part],
  crmKey: null,
});

// The table of mapping.ts, one row per field.
const table: Row[] = [
  {
    field: "title",
    raw: " Dr. ",
    value: "Dr.",
    crm: (v) => ({ person: { title: v } }),
    outlook: (v) => ({ title: v }),
    written: (w) => w.title,
    crmKey: "title",
  },
  {
    field: "firstName",
    raw: "Anna  Maria",
    value: "Anna Maria",
    crm: (v) => ({ person: { firstName: v } }),
    outlook: (v) => ({ givenName: v }),
    written: (w) => w.givenName,
    crmKey: "firstName",
  },
  {
    field: "lastName",
    raw: " Schmidt ",
    value: "Schmidt",
    crm: (v) => ({ person: { lastName: v } }),
    outlook: (v) => ({ surname: v }),
    written: (w) => w.surname,
    crmKey: "lastName",
  },
  {
    field: "jobTitle",
    raw: "Head of\tSales",
    value: "Head of Sales",
    crm: (v) => ({ person: { jobTitle: v } }),
    outlook: (v) => ({ jobTitle: v }),
    written: (w) => w.jobTitle,
    crmKey: "jobTitle",
  },
  {
    field: "department",
    raw: "Einkauf",
    value: "Einkauf",
    crm: (v) => ({ person: { department: v } }),
    outlook: (v) => ({ department: v }),
    written: (w) => w.department,
    crmKey: "department",
  },
  {
    field: "companyName",
    raw: "Müller Bau GmbH",
    value: "Müller Bau GmbH",
    crm: (v) => ({ partner: { name: v } }),
    outlook: (v) => ({ companyName: v }),
    written: (w) => w.companyName,
    crmKey: null,
  },
  {
    field: "email",
    raw: " anna.schmidt@mueller-bau.de ",
    value: "anna.schmidt@mueller-bau.de",
    crm: (v) => ({ person: { email: v } }),
    outlook: (v) => ({ emailAddresses: [{ name: "Anna", address: v }] }),
    written: (w) => w.emailAddresses?.[0]?.address,
    crmKey: "email",
  },
  {
    field: "phone",
    raw: "+49 89 1234567",
    value: "+49 89 1234567",
    crm: (v) => ({ person: { phone: v } }),
    outlook: (v) => ({ businessPhones: [v] }),
    written: (w) => w.businessPhones?.[0],
    crmKey: "phone",
  },
  {
    field: "mobile",
    raw: "0171 2345678",
    value: "0171 2345678",
    crm: (v) => ({ person: { mobile: v } }),
    outlook: (v) => ({ mobilePhone: v }),
    written: (w) => w.mobilePhone,
    crmKey: "mobile",
  },
  {
    field: "fax",
    raw: "089 1234569",
    value: "089 1234569",
    crm: (v) => ({ person: { fax: v } }),
    outlook: (v) => ({ businessFax: v }),
    written: (w) => w.businessFax,
    crmKey: "fax",
  },
  {
    field: "street",
    raw: "Hauptstraße 1\r\nHinterhaus",
    value: "Hauptstraße 1\nHinterhaus",
    ...address("street"),
  },
  { field: "city", raw: "München", value: "München", ...address("city") },
  { field: "postalCode", raw: "80331", value: "80331", ...address("postalCode") },
  { field: "state", raw: "Bayern", value: "Bayern", ...address("state") },
  { field: "countryOrRegion", raw: "Germany", value: "Germany", ...address("countryOrRegion") },
  {
    field: "birthday",
    raw: "1980-02-29",
    value: "1980-02-29",
    crm: (v) => ({ person: { birthday: v } }),
    outlook: (v) => ({ birthday: `${v}T00:00:00Z` }),
    written: (w) => w.birthday,
    crmKey: "birthday",
  },
  {
    field: "notes",
    raw: " Line 1\r\nLine  2 ",
    value: "Line 1\nLine  2",
    crm: (v) => ({ person: { notes: v } }),
    outlook: (v) => ({ personalNotes: v }),
    written: (w) => w.personalNotes,
    crmKey: "notes",
  },
];

function crmSide(row: Row, raw: string): MappedRecord {
  const { person, partner } = row.crm(raw);
  const basePartner = blankPartner();
  return recordFromCrm(
    { ...blankPerson(), ...person },
    { ...basePartner, ...partner, address: { ...basePartner.address, ...partner?.address } },
  );
}

describe("the mapping table covers every mapped field", () => {
  it("has one row per field", () => {
    expect(table.map((r) => r.field).sort()).toEqual([...mappedFields].sort());
  });
});

describe.each(table)("field $field", (row) => {
  it("CRM -> record", () => {
    const record = crmSide(row, row.raw);
    expect(record[row.field]).toBe(row.value);
    for (const other of mappedFields)
      if (other !== row.field && other !== "lastName") expect(record[other]).toBeNull();
  });

  it("Outlook -> record", () => {
    const record = recordFromOutlook({ ...blankOutlook(), ...row.outlook(row.raw) });
    expect(record[row.field]).toBe(row.value);
    for (const other of mappedFields) if (other !== row.field) expect(record[other]).toBeNull();
  });

  it("record -> Outlook write", () => {
    const record = { ...emptyRecord(), [row.field]: row.value };
    expect(row.written(outlookWriteFromRecord(record))).toBe(row.value);
    expect(row.written(outlookWriteFromRecord(record, [row.field]))).toBe(row.value);
  });

  it("record -> CRM patch (partner-owned fields never)", () => {
    const record = { ...emptyRecord(), [row.field]: row.value };
    const patch = crmPatchFromRecord(record, [row.field]);
    if (row.crmKey === null) {
      expect(patch).toEqual({});
      expect(crmWritableFields.has(row.field)).toBe(false);
    } else {
      expect(patch).toEqual({ [row.crmKey]: row.value });
      expect(crmWritableFields.has(row.field)).toBe(true);
    }
  });

  it("blank on either side -> null", () => {
    expect(crmSide(row, "  ")[row.field]).toBeNull();
    expect(recordFromOutlook({ ...blankOutlook(), ...row.outlook("  ") })[row.field]).toBeNull();
  });
});

describe("clean / cleanDate", () => {
  it.each<[string | null | undefined, boolean, string | null]>([
    [null, false, null],
    [undefined, false, null],
    ["", false, null],
    ["  a  b  ", false, "a b"],
    ["a\nb", false, "a b"],
    [" a\r\n  b ", true, "a\n  b"],
    ["\n\n", true, null],
  ])("clean(%j, multiline %j) -> %j", (raw, multiline, expected) => {
    expect(clean(raw, multiline)).toBe(expected);
  });

  it.each<[string | null | undefined, string | null]>([
    ["1980-02-29", "1980-02-29"],
    ["1980-02-29T11:59:00Z", "1980-02-29"],
    [" 1980-02-29 ", "1980-02-29"],
    ["29.02.1980", null],
    ["", null],
    [null, null],
  ])("cleanDate(%j) -> %j", (raw, expected) => {
    expect(cleanDate(raw)).toBe(expected);
  });
});

describe("display name and file-as", () => {
  it.each<[string | null, string | null, string | null, string | null]>([
    ["Anna", "Schmidt", "Anna Schmidt", "Schmidt, Anna"],
    [null, "Schmidt", "Schmidt", "Schmidt"],
    ["Anna", null, "Anna", "Anna"],
    [null, null, null, null],
  ])("%j %j -> %j / %j", (firstName, lastName, display, fileAs) => {
    expect(displayNameOf({ firstName, lastName })).toBe(display);
    expect(fileAsOf({ firstName, lastName })).toBe(fileAs);
  });

  it("writes fileAs with the names and names the e-mail entry", () => {
    const record = { ...emptyRecord(), firstName: "Anna", lastName: "Schmidt", email: "a@x.de" };
    const write = outlookWriteFromRecord(record);
    expect(write.fileAs).toBe("Schmidt, Anna");
    expect(write.emailAddresses).toEqual([{ name: "Anna Schmidt", address: "a@x.de" }]);
    expect(outlookWriteFromRecord(record, ["jobTitle"])).toEqual({ jobTitle: null });
  });
});

describe("directionOf", () => {
  const groups = Object.keys(defaultFieldDirections) as FieldGroup[];
  const rows: [MappedField, FieldGroup, "crm-to-outlook" | "two-way" | "none", string][] = [];
  for (const field of mappedFields) {
    for (const direction of ["crm-to-outlook", "two-way", "none"] as const) {
      let expected: string = direction;
      if (direction === "two-way" && !crmWritableFields.has(field)) expected = "crm-to-outlook";
      if (field === "lastName" && direction === "none") expected = "crm-to-outlook";
      rows.push([field, fieldGroupOf[field], direction, expected]);
    }
  }

  it.each(rows)("%s (group %s) set to %s -> %s", (field, group, direction, expected) => {
    expect(directionOf(field, { [group]: direction })).toBe(expected);
  });

  it.each(mappedFields.map((f) => [f]))("%s defaults to crm-to-outlook", (field) => {
    expect(directionOf(field, {})).toBe("crm-to-outlook");
  });

  it("activeFields drops fields of groups set to none (never lastName)", () => {
    const directions: Partial<FieldDirections> = { name: "none", address: "none", notes: "two-way" };
    expect(activeFields(directions)).toEqual(
      mappedFields.filter((f) => f === "lastName" || !["name", "address"].includes(fieldGroupOf[f])),
    );
    expect(groups).toHaveLength(7);
  });
});

describe("outlookWriteFromRecord keeps the user's extra e-mails and phones", () => {
  const current: OutlookContactFields = {
    ...blankOutlook(),
    emailAddresses: [
      { name: "Old", address: "old@x.de" },
      { name: "Private", address: "private@y.de" },
    ],
    businessPhones: ["089 1", "089 2"],
    homePhones: ["030 9"],
  };

  it.each<[string, MappedRecord, Partial<OutlookContactWrite>]>([
    [
      "replaces the first e-mail and phone, keeps the others",
      { ...emptyRecord(), firstName: "Anna", lastName: "Schmidt", email: "new@x.de", phone: "089 7" },
      {
        emailAddresses: [
          { name: "Anna Schmidt", address: "new@x.de" },
          { name: "Private", address: "private@y.de" },
        ],
        businessPhones: ["089 7", "089 2"],
      },
    ],
    [
      // Graph collections cannot hold a blank first entry, and a promoted second entry would read
      // back as the mapped value: clearing the mapped value empties the collection (converges).
      "clearing empties the collection",
      { ...emptyRecord(), lastName: "Schmidt", email: null, phone: null },
      { emailAddresses: [], businessPhones: [] },
    ],
  ])("%s", (_name, record, expected) => {
    const write = outlookWriteFromRecord(record, mappedFields, current);
    expect(write).toMatchObject(expected);
    expect(write.homePhones).toBeUndefined(); // never touched
  });

  it("without `current` the collections hold only the mapped value", () => {
    const write = outlookWriteFromRecord({ ...emptyRecord(), email: "a@x.de", phone: "1" });
    expect(write.emailAddresses).toHaveLength(1);
    expect(write.businessPhones).toEqual(["1"]);
    expect(outlookWriteFromRecord(emptyRecord()).emailAddresses).toEqual([]);
  });
});

describe("crmPatchFromRecord", () => {
  it.each<[string, MappedRecord, MappedField[], object]>([
    [
      "never blanks lastName (null)",
      { ...emptyRecord(), lastName: null, firstName: "A" },
      ["firstName", "lastName"],
      { firstName: "A" },
    ],
    [
      "writes a non-blank lastName",
      { ...emptyRecord(), lastName: "Meyer" },
      ["lastName"],
      { lastName: "Meyer" },
    ],
    ["clears other fields with null", { ...emptyRecord(), email: null }, ["email"], { email: null }],
    ["drops partner fields", { ...emptyRecord(), companyName: "X", city: "Y" }, ["companyName", "city"], {}],
    ["only the given fields", { ...emptyRecord(), title: "Dr.", notes: "n" }, ["notes"], { notes: "n" }],
  ])("%s", (_name, record, fields, expected) => {
    expect(crmPatchFromRecord(record, fields)).toEqual(expected);
  });

  it("never yields a blank lastName for any record", () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: null }), (lastName) => {
        const patch = crmPatchFromRecord({ ...emptyRecord(), lastName: clean(lastName) }, mappedFields);
        expect(patch.lastName === undefined || patch.lastName.trim() !== "").toBe(true);
      }),
    );
  });
});

describe("crmInputFromOutlook", () => {
  it("maps an Outlook contact to a new CRM person (no partner fields, no salutation)", () => {
    const contact: OutlookContactFields = {
      ...blankOutlook(),
      givenName: " Max ",
      surname: "Neumann",
      companyName: "Ignored GmbH",
      emailAddresses: [{ name: null, address: "max.neumann@example.org" }],
      businessPhones: ["030 1", "030 2"],
      mobilePhone: "0160 1",
      birthday: "1990-01-02T00:00:00Z",
      personalNotes: "hi",
    };
    expect(crmInputFromOutlook(contact, "bp-1")).toEqual({
      businessPartnerId: "bp-1",
      salutation: null,
      title: null,
      firstName: "Max",
      lastName: "Neumann",
      jobTitle: null,
      department: null,
      email: "max.neumann@example.org",
      phone: "030 1",
      mobile: "0160 1",
      fax: null,
      birthday: "1990-01-02",
      notes: "hi",
    });
  });

  it("gives an empty lastName when the surname is missing (validate first)", () => {
    expect(crmInputFromOutlook(blankOutlook(), "bp-1").lastName).toBe("");
  });
});

describe("diffRecords, pickFields and recordHash", () => {
  const a = { ...emptyRecord(), firstName: "Anna", lastName: "Schmidt", city: "München" };
  const b = { ...a, firstName: "Anne", city: "Berlin" };

  it("diffRecords lists the differing fields among the given ones", () => {
    expect(diffRecords(a, b)).toEqual(["firstName", "city"]);
    expect(diffRecords(a, b, ["lastName", "city"])).toEqual(["city"]);
    expect(diffRecords(a, a)).toEqual([]);
  });

  it("pickFields nulls the others", () => {
    expect(pickFields(a, ["lastName"])).toEqual({ ...emptyRecord(), lastName: "Schmidt" });
  });

  it("recordHash is stable, order-independent and sensitive to the given fields only", () => {
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as MappedRecord;
    expect(recordHash(reordered)).toBe(recordHash(a));
    expect(recordHash(a)).not.toBe(recordHash(b));
    expect(recordHash(a, ["lastName"])).toBe(recordHash(b, ["lastName"]));
  });
});

// ---------------------------------------------------------------------------------------------
// round trips

const singleLine = fc
  .string({ unit: "grapheme", maxLength: 20 })
  .map((s) => clean(s))
  .filter((s): s is string => s !== null);
const multiLine = fc
  .array(fc.string({ unit: "grapheme", maxLength: 10 }), { minLength: 1, maxLength: 3 })
  .map((lines) => clean(lines.join("\n"), true))
  .filter((s): s is string => s !== null);
const date = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const valueFor = (field: MappedField) =>
  fc.option(field === "birthday" ? date : field === "notes" || field === "street" ? multiLine : singleLine, {
    nil: null,
  });
const recordArb: fc.Arbitrary<MappedRecord> = fc.record(
  Object.fromEntries(mappedFields.map((f) => [f, valueFor(f)])) as Record<
    MappedField,
    fc.Arbitrary<string | null>
  >,
);

describe("round trips (property-based)", () => {
  it("recordFromOutlook(outlookWriteFromRecord(r)) == r for any record (all fields mapped)", () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const contact = { ...blankOutlook(), ...outlookWriteFromRecord(record) } as OutlookContactFields;
        expect(recordFromOutlook(contact)).toEqual(record);
      }),
      { numRuns: 300 },
    );
  });

  it("the same holds over a contact with extra entries (kept when e-mail and phone are set)", () => {
    fc.assert(
      fc.property(recordArb, (full) => {
        const current = {
          ...blankOutlook(),
          emailAddresses: [
            { name: null, address: "old@x.de" },
            { name: null, address: "extra@x.de" },
          ],
          businessPhones: ["1", "2"],
        };
        const contact = {
          ...current,
          ...outlookWriteFromRecord(full, mappedFields, current),
        } as OutlookContactFields;
        expect(recordFromOutlook(contact)).toEqual(full);
        expect(contact.emailAddresses.some((e) => e.address === "extra@x.de")).toBe(full.email !== null);
        expect(contact.businessPhones.includes("2")).toBe(full.phone !== null);
      }),
      { numRuns: 200 },
    );
  });

  it("recordFromCrm after applying crmPatchFromRecord gives the record back (CRM-owned fields)", () => {
    const writable = mappedFields.filter((f) => crmWritableFields.has(f));
    fc.assert(
      fc.property(recordArb, singleLine, (record, lastName) => {
        const full = { ...record, lastName };
        const person = { ...blankPerson(), ...crmPatchFromRecord(full, writable) };
        expect(pickFields(recordFromCrm(person, null), writable)).toEqual(pickFields(full, writable));
      }),
      { numRuns: 200 },
    );
  });

  it("recordHash is equal exactly when the records are equal (on the sample)", () => {
    fc.assert(
      fc.property(recordArb, recordArb, (a, b) => {
        expect(recordHash(a) === recordHash(b)).toBe(diffRecords(a, b).length === 0);
      }),
      { numRuns: 200 },
    );
  });
});
