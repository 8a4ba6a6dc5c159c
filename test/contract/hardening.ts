/**
 * Contract v1 cases found by hostile probes: the one name fold of `lookup` (a gateway must fold
 * names, e-mails and phones as the contract states, or the add-in misses duplicates), unusable
 * text (lone surrogates, control characters, invisible-only required fields, invalid UTF-8),
 * merge patches that change nothing, error replies that name the right field, media types, strict
 * `limit`, and the optional lookup by `Idempotency-Key`. Registered by `contractSuite`.
 */
import { problemFields, type ContractResponse } from "./http";

type Call = (
  method: string,
  path: string,
  init?: {
    body?: unknown;
    raw?: Uint8Array;
    contentType?: string;
    headers?: Record<string, string>;
  },
) => Promise<ContractResponse>;

interface Person {
  id: string;
  lastName: string;
  version: string;
  updatedAt: string;
  [key: string]: unknown;
}

export interface HardeningContext {
  call: Call;
  prefix: string;
  newKey: () => string;
  partnerId: () => string;
  create: (fields: Record<string, unknown>, key?: string) => Promise<Person>;
  expectProblem: (res: ContractResponse, status: number) => void;
}

/** The fold pairs: stored spelling, looked-up spelling (the add-in calls them the same name). */
export const FOLD_PAIRS: readonly [string, string][] = [
  ["Łukasiewicz", "Lukasiewicz"],
  ["Østergaard", "Ostergaard"],
  ["O\u2019Brien", "O'Brien"],
  ["Müller\u2010Lüdenscheidt", "Müller-Lüdenscheidt"],
  ["Straße", "STRASSE"],
];

export function hardeningSuite(ctx: HardeningContext): void {
  const { call, prefix, newKey, create, expectProblem } = ctx;
  const post = (fields: Record<string, unknown>) =>
    call("POST", "/contact-persons", {
      body: { businessPartnerId: ctx.partnerId(), ...fields },
      headers: { "idempotency-key": newKey() },
    });

  describe("lookup: one fold for names, e-mails and phones", () => {
    test.each(FOLD_PAIRS)("a person named %s is found by the last name %s", async (stored, asked) => {
      const person = await create({ lastName: `${prefix}${stored}` });
      const res = await call("POST", "/contact-persons/lookup", {
        body: { lastNames: [`${prefix}${asked}`] },
      });
      expect(res.status).toBe(200);
      expect((res.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
    });
    test("e-mails are compared trimmed and in lower case; phones in E.164 whatever the notation", async () => {
      const email = `${prefix.toLowerCase()}.fold@example.com`;
      const person = await create({ lastName: `${prefix}Fold`, email, mobile: "+49 (0)171 9876543" });
      const res = await call("POST", "/contact-persons/lookup", {
        body: { emails: [` ${email.toUpperCase()}`] },
      });
      expect((res.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
      const byPhone = await call("POST", "/contact-persons/lookup", { body: { phones: ["+491719876543"] } });
      expect((byPhone.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
    });
  });

  describe("unusable text is refused with 400 naming the field", () => {
    test.each([
      ["a lone surrogate in lastName", { lastName: "M\uD800ller" }, "lastName"],
      ["a lone low surrogate in firstName", { lastName: "x", firstName: "Ann\uDC00a" }, "firstName"],
      ["NUL only as lastName", { lastName: "\u0000" }, "lastName"],
      ["zero-width characters only as lastName", { lastName: "\u200B\u200D\u2060" }, "lastName"],
      ["control characters only as lastName", { lastName: "\u0007\u001B" }, "lastName"],
      ["a C0 control inside lastName", { lastName: "Mei\u0000er" }, "lastName"],
      ["a C1 control in jobTitle", { lastName: "x", jobTitle: "Chef\u0085in" }, "jobTitle"],
      ["a line break in department", { lastName: "x", department: "Ein\nkauf" }, "department"],
      ["a control character in notes", { lastName: "x", notes: "bell \u0007" }, "notes"],
    ])("%s", async (_name, fields, field) => {
      const res = await post(fields);
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain(field);
    });
    test("line breaks and tabs in notes and characters outside the BMP are kept exactly", async () => {
      const person = await create({ lastName: `${prefix}Emoji😀`, notes: "Zeile 1\nZeile\t2" });
      const read = await call("GET", `/contact-persons/${person.id}`);
      expect(read.json).toMatchObject({ lastName: `${prefix}Emoji😀`, notes: "Zeile 1\nZeile\t2" });
    });
    test("a PATCH with a lone surrogate is 400 naming the field and changes nothing", async () => {
      const person = await create({ lastName: `${prefix}PatchText` });
      const res = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { firstName: "\uD83D" },
        headers: { "if-match": `"${person.version}"` },
      });
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain("firstName");
      expect((await call("GET", `/contact-persons/${person.id}`)).json).toMatchObject({
        version: person.version,
      });
    });
    test("a body that is not valid UTF-8 is 400 naming body (never stored with U+FFFD)", async () => {
      const lastName = `${prefix}Latin`;
      const text = `{"businessPartnerId":${JSON.stringify(ctx.partnerId())},"lastName":"${lastName}M\u00FCller"}`;
      const bytes = Uint8Array.from([...text].map((c) => c.charCodeAt(0))); // ü as the single byte 0xFC
      const res = await call("POST", "/contact-persons", {
        raw: bytes,
        contentType: "application/json",
        headers: { "idempotency-key": newKey() },
      });
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain("body");
      const found = await call("GET", `/contact-persons?search=${encodeURIComponent(lastName)}`);
      expect((found.json as { items: Person[] }).items).toEqual([]);
    });
  });

  describe("a merge patch that changes nothing writes nothing", () => {
    test.each([
      ["an empty object", JSON.stringify({})],
      ["null", "null"],
      ["the current values", null],
    ])("%s keeps the version and updatedAt", async (_name, raw) => {
      const person = await create({ lastName: `${prefix}Noop`, firstName: "Eva" });
      const body = raw ?? JSON.stringify({ firstName: "Eva", lastName: person.lastName });
      const res = await call("PATCH", `/contact-persons/${person.id}`, {
        raw: new TextEncoder().encode(body),
        contentType: "application/merge-patch+json",
        headers: { "if-match": `"${person.version}"` },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ version: person.version, updatedAt: person.updatedAt });
      const read = await call("GET", `/contact-persons/${person.id}`);
      expect(read.json).toMatchObject({ version: person.version, updatedAt: person.updatedAt });
    });
  });

  describe("error replies are problem+json naming the field", () => {
    test.each([
      ["GET", "/contact-persons/%E0%A4%A"],
      ["GET", "/business-partners/%zz"],
      ["GET", `/contact-persons/${"x".repeat(65)}`],
      ["GET", `/contact-persons/${"x".repeat(101)}`],
      ["GET", `/contact-persons/${"x".repeat(300)}/photo`],
      ["GET", `/business-partners/${"y".repeat(120)}`],
    ])("%s %s is 400 naming id", async (method, path) => {
      const res = await call(method, path);
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain("id");
    });
    test.each([["image/jpeg"], ["text/plain"], ["application/x-www-form-urlencoded"]])(
      "a create sent as %s is 415",
      async (contentType) => {
        const res = await call("POST", "/contact-persons", {
          raw: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
          contentType,
          headers: { "idempotency-key": newKey() },
        });
        expectProblem(res, 415);
      },
    );
    test("a lookup sent as text/plain is 415", async () => {
      const res = await call("POST", "/contact-persons/lookup", {
        raw: new TextEncoder().encode('{"emails":[]}'),
        contentType: "text/plain",
      });
      expectProblem(res, 415);
    });
    test.each([["0x10"], ["1e2"], ["+5"], ["5.0"], [" 5"], ["-1"], ["0"], [""]])(
      "limit=%s is 400 naming limit",
      async (value) => {
        const res = await call("GET", `/contact-persons?limit=${encodeURIComponent(value)}`);
        expectProblem(res, 400);
        expect(problemFields(res.json)).toContain("limit");
      },
    );
    test("limit=007 is the decimal 7", async () => {
      const res = await call("GET", "/business-partners?limit=007");
      expect(res.status).toBe(200);
      expect((res.json as { items: unknown[] }).items.length).toBeLessThanOrEqual(7);
    });
  });

  describe("lookup by Idempotency-Key (optional, contract v1.1)", () => {
    test("names the person this user created with a key; unknown keys are left out", async () => {
      const key = newKey();
      const person = await create({ lastName: `${prefix}Resume` }, key);
      const unknown = newKey();
      const res = await call("POST", "/contact-persons/lookup", {
        body: { idempotencyKeys: [key, unknown] },
      });
      expect(res.status).toBe(200);
      const body = res.json as { items: Person[]; createdWith?: { idempotencyKey: string; id: string }[] };
      expect(body.createdWith).toEqual([{ idempotencyKey: key, id: person.id }]);
      expect(body.items.map((p) => p.id)).toContain(person.id);
    });
    test("more than 1000 keys is 400 naming idempotencyKeys", async () => {
      const keys = Array.from({ length: 1001 }, (_, i) => `${prefix}-k${i}`);
      const res = await call("POST", "/contact-persons/lookup", { body: { idempotencyKeys: keys } });
      expectProblem(res, 400);
      expect(problemFields(res.json).some((f) => f.startsWith("idempotencyKeys"))).toBe(true);
    });
  });
}
