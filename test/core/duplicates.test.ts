import fc from "fast-check";
import {
  candidateFromOutlook,
  chunkLookupKeys,
  classifyDuplicate,
  lookupKeysFor,
  type DuplicateCandidate,
  type ExistingPerson,
} from "../../src/core/duplicates";
import { normalizeName } from "../../src/core/normalize";
import { planImport } from "../../src/core/plans/import-plan";
import { aPartner, aPerson, anOutlookContact, FakeCrm } from "../support/fakes";

const DE = { defaultRegion: "DE" };

/** The demo anchor: Anna Schmidt of Müller Bau GmbH. */
const anna: ExistingPerson = {
  id: "cp-00001",
  businessPartnerId: "bp-0001",
  firstName: "Anna",
  lastName: "Schmidt",
  email: "anna.schmidt@mueller-bau.de",
  phone: "+49 89 1234567",
  mobile: "+49 171 2345678",
};
const jean: ExistingPerson = {
  id: "cp-00002",
  businessPartnerId: "bp-0002",
  firstName: "Jean",
  lastName: "Dupont",
  email: "jean.dupont@lumiere.fr",
  phone: "+33 1 42 68 53 00",
  mobile: null,
};
const crm: ExistingPerson[] = [anna, jean];

describe("the seed's duplicate criteria (contact-person-replication.txt)", () => {
  it("Email address: the contact's e-mail matches a contact person's e-mail -> assured (certain) duplicate", () => {
    const result = classifyDuplicate(
      { firstName: "A.", lastName: "S.", email: "anna.schmidt@mueller-bau.de" },
      crm,
      DE,
    );
    expect(result).toEqual({ status: "certain", matches: [{ id: anna.id, reason: "email" }] });
  });

  it("Last name and mobile (phone) number match a contact person -> assured (certain) duplicate", () => {
    const result = classifyDuplicate(
      { firstName: "Anne", lastName: "Schmidt", mobile: "0171 2345678" },
      crm,
      DE,
    );
    expect(result).toEqual({ status: "certain", matches: [{ id: anna.id, reason: "lastName+mobile" }] });
  });

  it("Certain Doublet – the contact does already exist in CRM", () => {
    const { id: _id, businessPartnerId: _bp, ...sameData } = anna;
    expect(classifyDuplicate(sameData, crm, DE)).toEqual({
      status: "certain",
      matches: [{ id: anna.id, reason: "email" }],
    });
  });

  it("Possible Doublet – the contact may exist in CRM (same first and last name, other e-mail)", () => {
    const result = classifyDuplicate(
      { firstName: "Anna", lastName: "Schmidt", email: "anna@privat.example" },
      crm,
      DE,
    );
    expect(result).toEqual({ status: "possible", matches: [{ id: anna.id, reason: "firstName+lastName" }] });
  });

  it("No duplicate – the contact does not exist in CRM (Max Neumann)", () => {
    const result = classifyDuplicate(
      { firstName: "Max", lastName: "Neumann", email: "max.neumann@example.org", mobile: "0160 9876543" },
      crm,
      DE,
    );
    expect(result).toEqual({ status: "none", matches: [] });
  });

  it("Contacts detected as assured duplicate can not be imported", () => {
    const contact = anOutlookContact({
      id: "o-1",
      givenName: "Anna",
      surname: "Schmidt",
      emailAddresses: [{ name: "Anna Schmidt", address: "Anna.Schmidt@Mueller-Bau.de" }],
    });
    const duplicate = classifyDuplicate(candidateFromOutlook(contact), crm, DE);
    expect(duplicate.status).toBe("certain");
    const plan = planImport({
      candidates: [contact],
      assignments: { "o-1": "bp-0001" },
      duplicates: { "o-1": duplicate },
      selected: ["o-1"],
      links: {},
      defaultRegion: "DE",
    });
    expect(plan.steps[0]).toMatchObject({ kind: "skip", reason: "certain-duplicate" });
  });
});

describe("classifyDuplicate rules (DESIGN.md 2.3)", () => {
  type Row = [
    string,
    DuplicateCandidate,
    { businessPartnerId?: string },
    "certain" | "possible" | "none",
    string[],
  ];
  it.each<Row>([
    // certain: e-mail
    [
      "e-mail trimmed and case-insensitive",
      { email: "  ANNA.Schmidt@Mueller-Bau.DE " },
      {},
      "certain",
      ["email"],
    ],
    [
      "e-mail alone is enough (other names)",
      { lastName: "Other", email: "anna.schmidt@mueller-bau.de" },
      {},
      "certain",
      ["email"],
    ],
    [
      "e-mail with <> and mailto:",
      { email: "<mailto:anna.schmidt@mueller-bau.de>" },
      {},
      "certain",
      ["email"],
    ],
    // certain: last name + mobile
    [
      "last name + mobile in E.164",
      { lastName: "Schmidt", mobile: "+491712345678" },
      {},
      "certain",
      ["lastName+mobile"],
    ],
    [
      "last name + mobile, national format",
      { lastName: "schmidt", mobile: "0171/2345678" },
      {},
      "certain",
      ["lastName+mobile"],
    ],
    [
      "last name + mobile, +49 (0)",
      { lastName: "SCHMIDT", mobile: "+49 (0)171 234 5678" },
      {},
      "certain",
      ["lastName+mobile"],
    ],
    // decision: candidate mobile equal to the person's business phone is only possible
    [
      "candidate mobile = person's phone -> possible",
      { lastName: "Schmidt", mobile: "089 1234567" },
      {},
      "possible",
      ["lastName+phone"],
    ],
    [
      "candidate phone = person's mobile -> possible",
      { lastName: "Schmidt", phone: "0171 2345678" },
      {},
      "possible",
      ["lastName+phone"],
    ],
    // possible: first + last name
    ["first + last name", { firstName: "Anna", lastName: "Schmidt" }, {}, "possible", ["firstName+lastName"]],
    [
      "first + last name, accents and case",
      { firstName: "ANNA", lastName: "Schmídt" },
      {},
      "possible",
      ["firstName+lastName"],
    ],
    ["first name alone is nothing", { firstName: "Anna", lastName: "Meier" }, {}, "none", []],
    ["last name alone is nothing", { lastName: "Schmidt" }, {}, "none", []],
    // possible: last name + another phone
    [
      "last name + business phone",
      { lastName: "Schmidt", phone: "089 1234567" },
      {},
      "possible",
      ["lastName+phone"],
    ],
    [
      "last name + other phone",
      { lastName: "Dupont", otherPhones: ["+33 1 42 68 53 00"] },
      {},
      "possible",
      ["lastName+phone"],
    ],
    ["phone without the last name is nothing", { lastName: "Meier", phone: "089 1234567" }, {}, "none", []],
    [
      "mobile without the last name is nothing",
      { lastName: "Meier", mobile: "0171 2345678" },
      {},
      "none",
      [],
    ],
    // possible: last name within the assigned partner
    [
      "last name within the assigned partner",
      { lastName: "Schmidt" },
      { businessPartnerId: "bp-0001" },
      "possible",
      ["lastName+businessPartner"],
    ],
    ["last name, another partner", { lastName: "Schmidt" }, { businessPartnerId: "bp-0002" }, "none", []],
    // blanks never match
    ["empty candidate", {}, {}, "none", []],
    [
      "empty strings",
      { firstName: "", lastName: "", email: "", phone: "", mobile: "" },
      { businessPartnerId: "bp-0001" },
      "none",
      [],
    ],
    ["nulls", { firstName: null, lastName: null, email: null, phone: null, mobile: null }, {}, "none", []],
    ["unparseable mobile", { lastName: "Schmidt", mobile: "n/a" }, {}, "none", []],
    ["invalid e-mail", { email: "anna.schmidt" }, {}, "none", []],
  ])("%s", (_name, candidate, options, status, reasons) => {
    const result = classifyDuplicate(candidate, crm, { ...DE, ...options });
    expect(result.status).toBe(status);
    expect(result.matches.map((m) => m.reason)).toEqual(reasons);
  });

  const blankPerson: ExistingPerson = {
    id: "cp-blank",
    businessPartnerId: "bp-9",
    firstName: null,
    lastName: "",
    email: "",
    phone: null,
    mobile: "not a number",
  };

  it.each<[string, DuplicateCandidate]>([
    ["blank e-mail vs blank e-mail", { email: "" }],
    ["missing last name and mobile vs blank", { mobile: "also not a number" }],
    ["empty last name and names", { firstName: "", lastName: "" }],
  ])("blank values of a person never match: %s", (_name, candidate) => {
    expect(classifyDuplicate(candidate, [blankPerson], DE).status).toBe("none");
  });

  it("lists every person that caused the status, strongest reason first, each once", () => {
    const twin: ExistingPerson = {
      ...anna,
      id: "cp-twin",
      email: "other@mueller-bau.de",
      mobile: "+49 171 2345678",
    };
    const namesake: ExistingPerson = { ...anna, id: "cp-namesake", email: null, mobile: null, phone: null };
    const result = classifyDuplicate(
      {
        firstName: "Anna",
        lastName: "Schmidt",
        email: "anna.schmidt@mueller-bau.de",
        mobile: "0171 2345678",
      },
      [namesake, twin, anna],
      DE,
    );
    expect(result).toEqual({
      status: "certain",
      matches: [
        { id: "cp-00001", reason: "email" },
        { id: "cp-twin", reason: "lastName+mobile" },
      ],
    });
  });

  it("orders possible matches by reason, then input order", () => {
    const p = (id: string, over: Partial<ExistingPerson>): ExistingPerson => ({
      ...anna,
      id,
      email: null,
      phone: null,
      mobile: null,
      ...over,
    });
    const people = [
      p("in-partner", { firstName: "Berta" }),
      p("phone", { firstName: "Carla", phone: "089 999999" }),
      p("name-1", {}),
      p("name-2", { businessPartnerId: "bp-7" }),
    ];
    const result = classifyDuplicate(
      { firstName: "Anna", lastName: "Schmidt", phone: "+49 89 999999" },
      people,
      { ...DE, businessPartnerId: "bp-0001" },
    );
    expect(result.status).toBe("possible");
    expect(result.matches).toEqual([
      { id: "name-1", reason: "firstName+lastName" },
      { id: "name-2", reason: "firstName+lastName" },
      { id: "phone", reason: "lastName+phone" },
      { id: "in-partner", reason: "lastName+businessPartner" },
    ]);
  });

  it("lists a person given twice only once", () => {
    expect(classifyDuplicate({ email: anna.email }, [anna, anna], DE).matches).toHaveLength(1);
  });
});

describe("classification is symmetric in letter case and accents", () => {
  const first = ["Anna", "Jörg", "José", "Zoë", "Eva"];
  const last = ["Schmidt", "Müller", "Groß", "Dupont", "O'Brien", "Lüdenscheidt-Meyer"];
  const mobiles = ["+49 171 2345678", "0171 2345678", "+49 160 1111111", null];
  const phones = ["+49 89 1234567", "089 1234567", "+33 1 42 68 53 00", null];
  const emails = ["anna@x.de", "joerg@y.de", null];

  const personArb = fc.record({
    id: fc.constantFrom("p1", "p2", "p3"),
    businessPartnerId: fc.constantFrom("bp-1", "bp-2"),
    firstName: fc.constantFrom(...first, null),
    lastName: fc.constantFrom(...last),
    email: fc.constantFrom(...emails),
    phone: fc.constantFrom(...phones),
    mobile: fc.constantFrom(...mobiles),
  });
  const candidateArb = fc.record(
    {
      firstName: fc.constantFrom(...first, null, ""),
      lastName: fc.constantFrom(...last, null, ""),
      email: fc.constantFrom(...emails, "", undefined),
      phone: fc.constantFrom(...phones, ""),
      mobile: fc.constantFrom(...mobiles, ""),
    },
    { requiredKeys: [] },
  );

  /** Changes letter case and strips or adds accents (never the letters themselves). */
  const vary = (text: string | null | undefined, mode: number): string | null | undefined => {
    if (!text) return text;
    switch (mode % 5) {
      case 0:
        return text.toUpperCase();
      case 1:
        return text.toLowerCase();
      case 2:
        return text.normalize("NFD").replace(/\p{M}/gu, "");
      case 3:
        return text.normalize("NFD"); // decomposed accents
      default:
        return ` ${text.replace(/'/g, "’").replace(/ß/g, "ss")} `;
    }
  };
  const varyCandidate = (c: DuplicateCandidate, mode: number): DuplicateCandidate => ({
    ...c,
    firstName: vary(c.firstName, mode),
    lastName: vary(c.lastName, mode + 1),
    email: c.email ? (mode % 2 ? c.email.toUpperCase() : c.email) : c.email,
  });
  const varyPerson = (p: ExistingPerson, mode: number): ExistingPerson => ({
    ...p,
    firstName: vary(p.firstName, mode + 2),
    lastName: vary(p.lastName, mode + 3) ?? "",
    email: p.email ? (mode % 2 ? p.email : p.email.toUpperCase()) : p.email,
  });

  it("changing case/accents of the candidate or the persons never changes the result", () => {
    fc.assert(
      fc.property(
        candidateArb,
        fc.array(personArb, { maxLength: 4 }),
        fc.nat(20),
        fc.option(fc.constantFrom("bp-1", "bp-2"), { nil: undefined }),
        (candidate, people, mode, businessPartnerId) => {
          const options = { defaultRegion: "DE", businessPartnerId };
          const base = classifyDuplicate(candidate, people, options);
          const variedCandidate = classifyDuplicate(varyCandidate(candidate, mode), people, options);
          const variedPeople = classifyDuplicate(
            candidate,
            people.map((p) => varyPerson(p, mode)),
            options,
          );
          expect(variedCandidate).toEqual(base);
          expect(variedPeople).toEqual(base);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("the status is none exactly when there are no matches, and every match is a listed person", () => {
    fc.assert(
      fc.property(candidateArb, fc.array(personArb, { maxLength: 4 }), (candidate, people) => {
        const result = classifyDuplicate(candidate, people, DE);
        expect(result.status === "none").toBe(result.matches.length === 0);
        for (const match of result.matches) expect(people.some((p) => p.id === match.id)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("candidateFromOutlook", () => {
  it("takes the mapped fields and the further phones", () => {
    const contact = anOutlookContact({
      givenName: "Anna",
      surname: "Schmidt",
      emailAddresses: [
        { name: null, address: "a@x.de" },
        { name: null, address: "b@x.de" },
      ],
      businessPhones: ["089 1", "089 2"],
      homePhones: ["089 3"],
      mobilePhone: "0171 2345678",
    });
    expect(candidateFromOutlook(contact)).toEqual({
      firstName: "Anna",
      lastName: "Schmidt",
      email: "a@x.de",
      phone: "089 1",
      mobile: "0171 2345678",
      otherPhones: ["089 2", "089 3"],
    });
  });
});

describe("lookupKeysFor", () => {
  it("builds one deduplicated, normalised key set for many candidates", () => {
    const keys = lookupKeysFor(
      [
        { firstName: "Anna", lastName: " Müller ", email: " Anna@Example.ORG ", mobile: "0171 2345678" },
        { lastName: "MÜLLER", email: "anna@example.org", phone: "+49 171 2345678" },
        { lastName: "Mueller", phone: "089 123456", otherPhones: ["(089) 123456", "garbage"] },
        { lastName: "", email: "not-an-address", phone: "" },
        { lastName: null, email: null, mobile: null },
      ],
      "DE",
    );
    expect(keys).toEqual({
      emails: ["anna@example.org"],
      phones: ["+491712345678", "+4989123456"],
      lastNames: ["Müller", "Mueller"],
    });
  });

  it("is empty for no candidates", () => {
    expect(lookupKeysFor([], "DE")).toEqual({ emails: [], phones: [], lastNames: [] });
  });

  it("finds every person any rule could match (the keys cover the rules)", () => {
    fc.assert(
      fc.property(
        fc.record({
          firstName: fc.constantFrom("Anna", "Jean", null),
          lastName: fc.constantFrom("Schmidt", "SCHMÍDT", "Dupont", "Neumann", null),
          email: fc.constantFrom("ANNA.SCHMIDT@mueller-bau.de", "x@y.de", null),
          phone: fc.constantFrom("089 1234567", "+33 1 42 68 53 00", null),
          mobile: fc.constantFrom("0171 2345678", null),
        }),
        (candidate) => {
          const keys = lookupKeysFor([candidate], "DE");
          const result = classifyDuplicate(candidate, crm, {
            defaultRegion: "DE",
            businessPartnerId: "bp-0001",
          });
          for (const match of result.matches) {
            const person = crm.find((p) => p.id === match.id);
            const email = (person?.email ?? "").toLowerCase();
            const found =
              keys.emails.includes(email) ||
              keys.lastNames.some((n) => normalizeName(n) === normalizeName(person?.lastName));
            expect(found).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("chunkLookupKeys", () => {
  it.each<[number, number[]]>([
    [2, [2, 2, 1]],
    [3, [3, 2]],
    [10, [5]],
  ])("max %i -> chunk sizes %j", (max, sizes) => {
    const keys = { emails: ["a", "b", "c", "d", "e"], phones: ["1", "2"], lastNames: ["x", "y", "z"] };
    const chunks = chunkLookupKeys(keys, max);
    expect(chunks.map((c) => c.emails.length)).toEqual(sizes);
    expect(chunks.flatMap((c) => c.emails)).toEqual(keys.emails);
    expect(chunks.flatMap((c) => c.phones)).toEqual(keys.phones);
    expect(chunks.flatMap((c) => c.lastNames)).toEqual(keys.lastNames);
    for (const c of chunks) {
      expect(Math.max(c.emails.length, c.phones.length, c.lastNames.length)).toBeLessThanOrEqual(max);
    }
  });

  it("gives no chunk for empty keys", () => {
    expect(chunkLookupKeys({ emails: [], phones: [], lastNames: [] }, 1000)).toEqual([]);
  });
});

describe("one bulk lookup for a whole import (FakeCrm)", () => {
  it("finds every person any candidate could match with a single lookup call", async () => {
    const partner = aPartner({ id: "bp-0001" });
    const persons = [
      aPerson({
        id: "cp-a",
        businessPartnerId: "bp-0001",
        lastName: "Schmidt",
        firstName: "Anna",
        mobile: "+49 171 2345678",
      }),
      aPerson({ id: "cp-b", businessPartnerId: "bp-0001", lastName: "Müller", email: "k.mueller@x.de" }),
      aPerson({ id: "cp-c", businessPartnerId: "bp-0001", lastName: "Weber", phone: "+49 40 555555" }),
    ];
    const fake = new FakeCrm({ businessPartners: [partner], contactPersons: persons });
    const candidates: DuplicateCandidate[] = [
      { lastName: "schmidt", mobile: "0171 2345678" },
      { lastName: "Other", email: "K.Mueller@X.DE" },
      { lastName: "WEBER", phone: "040 555555" },
      { firstName: "Max", lastName: "Neumann", email: "max.neumann@example.org" },
    ];
    const found = await fake.lookup(lookupKeysFor(candidates, "DE"));
    expect(fake.calls.lookup).toBe(1);
    const statuses = candidates.map((c) => classifyDuplicate(c, found, DE));
    expect(statuses).toEqual([
      { status: "certain", matches: [{ id: "cp-a", reason: "lastName+mobile" }] },
      { status: "certain", matches: [{ id: "cp-b", reason: "email" }] },
      { status: "possible", matches: [{ id: "cp-c", reason: "lastName+phone" }] },
      { status: "none", matches: [] },
    ]);
  });
});
