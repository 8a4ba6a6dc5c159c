/**
 * The CRM contract suite (contract v1, openapi/crm-v1.json), runnable against ANY implementation:
 * it needs a base URL and a token, creates its own records (last names start with a unique
 * prefix), never changes or deletes seed data, and needs one existing business partner (the first
 * one the partner search returns).
 *
 * Used by `test/contract/reference.test.ts` (against the reference server) and by
 * `npm run test:contract -- --base-url <url> --token <t>` (remote.contract.ts).
 *
 * @example
 *   describe("my gateway", () => contractSuite(() => ({ baseUrl: "https://gw/api/v1", token: "t" })));
 */
import { PNG } from "pngjs";
import { hardeningSuite } from "./hardening";
import {
  contractHttp,
  problemFields,
  type ContractExchange,
  type ContractResponse,
  type ContractTarget,
} from "./http";

interface Person {
  id: string;
  businessPartnerId: string;
  firstName: string | null;
  lastName: string;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  version: string;
  updatedAt: string;
  hasPhoto: boolean;
  status: string;
  responsibleEmployee: string | null;
  [key: string]: unknown;
}

interface Partner {
  id: string;
  name: string;
  address: { city?: string | null };
  emailDomains: string[];
}

const PERSON_KEYS = [
  "id",
  "businessPartnerId",
  "salutation",
  "title",
  "firstName",
  "lastName",
  "jobTitle",
  "department",
  "email",
  "phone",
  "mobile",
  "fax",
  "birthday",
  "notes",
  "responsibleEmployee",
  "hasPhoto",
  "version",
  "updatedAt",
  "status",
];

function pngBytes(): Uint8Array {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(200);
  return new Uint8Array(PNG.sync.write(png));
}

const JPEG_MAGIC = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

function expectProblem(res: ContractResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.contentType).toMatch(/^application\/problem\+json/);
  const body = res.json as { status?: unknown; title?: unknown; type?: unknown };
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe("string");
  expect(typeof body.type).toBe("string");
}

const stripQuotes = (etag: string | null): string | null =>
  etag === null ? null : etag.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");

/** Registers the contract tests (jest globals) for the target returned by `target()`. */
export function contractSuite(
  target: () => ContractTarget,
  options: { onExchange?: (exchange: ContractExchange) => void } = {},
): void {
  const { call } = contractHttp(target, options.onExchange);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const prefix = `Ct${run}`;
  const digits7 = String(1_000_000 + (Date.now() % 9_000_000)).slice(0, 7);
  let partner: Partner;
  let me: string;
  let keyCounter = 0;
  const newKey = (): string => `${prefix}-key-${++keyCounter}`;

  const create = async (fields: Record<string, unknown>, key = newKey()): Promise<Person> => {
    const res = await call("POST", "/contact-persons", {
      body: { businessPartnerId: partner.id, ...fields },
      headers: { "idempotency-key": key },
    });
    expect(res.status).toBe(201);
    return res.json as Person;
  };

  beforeAll(async () => {
    const res = await call("GET", "/business-partners?limit=1");
    expect(res.status).toBe(200);
    const items = (res.json as { items: Partner[] }).items;
    if (items[0] === undefined) throw new Error("The contract suite needs at least one business partner");
    partner = items[0];
    const who = await call("GET", "/me");
    expect(who.status).toBe(200);
    me = (who.json as { userId: string }).userId;
  });

  describe("authentication", () => {
    const endpoints: [string, string, unknown][] = [
      ["GET", "/me", null],
      ["GET", "/business-partners", null],
      ["GET", "/business-partners/any-id", null],
      ["GET", "/contact-persons", null],
      ["GET", "/contact-persons/any-id", null],
      ["POST", "/contact-persons", { lastName: "x", businessPartnerId: "x" }],
      ["PATCH", "/contact-persons/any-id", { lastName: "x" }],
      ["GET", "/contact-persons/any-id/photo", null],
      ["PUT", "/contact-persons/any-id/photo", null],
      ["POST", "/contact-persons/lookup", { emails: ["a@b.de"] }],
      ["POST", "/contact-persons/batch-get", { ids: ["x"] }],
    ];
    test.each(endpoints)("%s %s without a token -> 401 problem+json", async (method, path, body) => {
      const res =
        method === "PUT"
          ? await call(method, path, { raw: pngBytes(), contentType: "image/png", token: null })
          : await call(method, path, {
              body: body ?? undefined,
              token: null,
              headers: { "idempotency-key": newKey(), "if-match": '"v1"' },
            });
      expectProblem(res, 401);
    });
    test.each(endpoints)("%s %s with a wrong token -> 401 problem+json", async (method, path, body) => {
      const res =
        method === "PUT"
          ? await call(method, path, { raw: pngBytes(), contentType: "image/png", token: "wrong-token" })
          : await call(method, path, {
              body: body ?? undefined,
              token: "wrong-token",
              headers: { "idempotency-key": newKey(), "if-match": '"v1"' },
            });
      expectProblem(res, 401);
    });
    test("GET /me names the user behind the token", () => {
      expect(typeof me).toBe("string");
      expect(me.length).toBeGreaterThan(0);
    });
    test("the OpenAPI document is served at /openapi.json", async () => {
      const res = await call("GET", "/openapi.json");
      expect(res.status).toBe(200);
      expect((res.json as { openapi: string }).openapi).toMatch(/^3\.1/);
    });
    test("CORS preflight allows Authorization, If-Match and Idempotency-Key", async () => {
      const { baseUrl } = target();
      const res = await fetch(`${baseUrl}/contact-persons`, {
        method: "OPTIONS",
        headers: {
          origin: "https://pane.example",
          "access-control-request-method": "PATCH",
          "access-control-request-headers": "authorization,if-match,idempotency-key",
        },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get("access-control-allow-origin")).toBeTruthy();
      const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase();
      for (const h of ["authorization", "if-match", "idempotency-key"]) expect(allowed).toContain(h);
    });
  });

  describe("business partners", () => {
    test("search returns a page and get returns the partner", async () => {
      const res = await call("GET", `/business-partners?search=${encodeURIComponent(partner.name)}&limit=5`);
      expect(res.status).toBe(200);
      const page = res.json as { items: Partner[]; nextCursor: string | null };
      expect(page.items.map((p) => p.id)).toContain(partner.id);
      const one = await call("GET", `/business-partners/${encodeURIComponent(partner.id)}`);
      expect(one.status).toBe(200);
      expect(one.json).toMatchObject({ id: partner.id, name: partner.name });
      const bp = one.json as Partner;
      expect(Array.isArray(bp.emailDomains)).toBe(true);
      for (const d of bp.emailDomains) expect(d).toBe(d.toLowerCase());
    });
    test("an unknown partner is a 404 problem", async () => {
      expectProblem(await call("GET", `/business-partners/${prefix}-nope`), 404);
    });
    test("a cursor leads to a disjoint next page", async () => {
      const first = await call("GET", "/business-partners?limit=2");
      const page1 = first.json as { items: Partner[]; nextCursor: string | null };
      expect(page1.items.length).toBeLessThanOrEqual(2);
      if (page1.nextCursor === null) return; // a CRM with at most two partners: nothing more to page
      const second = await call(
        "GET",
        `/business-partners?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`,
      );
      expect(second.status).toBe(200);
      const ids1 = page1.items.map((p) => p.id);
      for (const p of (second.json as { items: Partner[] }).items) expect(ids1).not.toContain(p.id);
    });
    test("limit above 500 and a broken cursor are 400 naming the parameter", async () => {
      const tooMany = await call("GET", "/business-partners?limit=501");
      expectProblem(tooMany, 400);
      expect(problemFields(tooMany.json)).toContain("limit");
      const broken = await call("GET", "/business-partners?cursor=%%%not-a-cursor");
      expectProblem(broken, 400);
    });
  });

  describe("create (Idempotency-Key)", () => {
    test("creates a person with every field, an ETag and a server id", async () => {
      const body = {
        businessPartnerId: partner.id,
        salutation: "Frau",
        title: "Dr.",
        firstName: "Zoë",
        lastName: `${prefix}Öztürk-D'Arcy`,
        jobTitle: "Einkäuferin",
        department: "Einkauf",
        email: `${prefix.toLowerCase()}.full@example.com`,
        phone: "+49 (0)89 123456",
        mobile: `0151 ${digits7}`,
        fax: null,
        birthday: "1980-02-29",
        notes: "Zeile 1\nZeile 2 <b>kein HTML</b>",
      };
      const res = await call("POST", "/contact-persons", { body, headers: { "idempotency-key": newKey() } });
      expect(res.status).toBe(201);
      const person = res.json as Person;
      // `outlookUsers` is optional in contract v1 (the CRM-side switch); when present, a list of user ids.
      expect(
        Object.keys(person)
          .filter((k) => k !== "outlookUsers")
          .sort(),
      ).toEqual([...PERSON_KEYS].sort());
      const wishes = (person as { outlookUsers?: unknown }).outlookUsers;
      if (wishes !== undefined)
        expect(Array.isArray(wishes) && wishes.every((u) => typeof u === "string")).toBe(true);
      expect(person).toMatchObject(body);
      expect(person.status).toBe("active");
      expect(person.hasPhoto).toBe(false);
      expect(stripQuotes(res.headers.get("etag"))).toBe(person.version);
      const read = await call("GET", `/contact-persons/${encodeURIComponent(person.id)}`);
      expect(read.status).toBe(200);
      expect(read.json).toEqual(person);
      expect(stripQuotes(read.headers.get("etag"))).toBe(person.version);
    });
    test("the same key and body never creates twice (the first answer is replayed)", async () => {
      const key = newKey();
      const body = { businessPartnerId: partner.id, lastName: `${prefix}Idem`, firstName: "Once" };
      const first = await call("POST", "/contact-persons", { body, headers: { "idempotency-key": key } });
      const second = await call("POST", "/contact-persons", { body, headers: { "idempotency-key": key } });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect((second.json as Person).id).toBe((first.json as Person).id);
      const found = await call("GET", `/contact-persons?search=${encodeURIComponent(`${prefix}Idem`)}`);
      expect((found.json as { items: Person[] }).items).toHaveLength(1);
    });
    test("the same key with another body is 409/422", async () => {
      const key = newKey();
      await create({ lastName: `${prefix}KeyA` }, key);
      const res = await call("POST", "/contact-persons", {
        body: { businessPartnerId: partner.id, lastName: `${prefix}KeyB` },
        headers: { "idempotency-key": key },
      });
      expect([409, 422]).toContain(res.status);
      expectProblem(res, res.status);
    });
    test("a missing Idempotency-Key is 400", async () => {
      const res = await call("POST", "/contact-persons", {
        body: { businessPartnerId: partner.id, lastName: `${prefix}NoKey` },
      });
      expectProblem(res, 400);
    });
    test("a body without lastName is 400 naming lastName", async () => {
      const res = await call("POST", "/contact-persons", {
        body: { businessPartnerId: partner.id, firstName: "Nameless" },
        headers: { "idempotency-key": newKey() },
      });
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain("lastName");
    });
    test.each([
      ["an unknown field", { lastName: "x", shoeSize: 44 }, "shoeSize"],
      ["a malformed e-mail", { lastName: "x", email: "not-an-email" }, "email"],
      ["an invalid birthday", { lastName: "x", birthday: "1980-13-45" }, "birthday"],
      ["a too long last name", { lastName: "x".repeat(101) }, "lastName"],
      ["a wrong type", { lastName: 42 }, "lastName"],
      [
        "an unknown business partner",
        { lastName: "x", businessPartnerId: `${prefix}-no-bp` },
        "businessPartnerId",
      ],
    ])("%s is 400 naming the field", async (_name, fields, field) => {
      const res = await call("POST", "/contact-persons", {
        body: { businessPartnerId: partner.id, ...fields },
        headers: { "idempotency-key": newKey() },
      });
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain(field);
    });
  });

  describe("read", () => {
    test("an unknown contact person is a 404 problem", async () => {
      expectProblem(await call("GET", `/contact-persons/${prefix}-nope`), 404);
    });
    test("search by free text, partner, city and responsible=me", async () => {
      const person = await create({
        lastName: `${prefix}Suche`,
        firstName: "Søren",
        email: `${run}.suche@example.com`,
      });
      const byText = await call("GET", `/contact-persons?search=${encodeURIComponent(`${prefix}suche`)}`);
      expect((byText.json as { items: Person[] }).items.map((p) => p.id)).toEqual([person.id]);
      const byEmail = await call("GET", `/contact-persons?search=${encodeURIComponent(`${run}.suche@`)}`);
      expect((byEmail.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
      const byPartner = await call(
        "GET",
        `/contact-persons?businessPartnerId=${encodeURIComponent(partner.id)}&search=${prefix}Suche`,
      );
      expect((byPartner.json as { items: Person[] }).items.map((p) => p.id)).toEqual([person.id]);
      if (partner.address.city) {
        const byCity = await call(
          "GET",
          `/contact-persons?city=${encodeURIComponent(partner.address.city)}&search=${prefix}Suche`,
        );
        expect((byCity.json as { items: Person[] }).items.map((p) => p.id)).toEqual([person.id]);
        const otherCity = await call("GET", `/contact-persons?city=${prefix}Nowhere&search=${prefix}Suche`);
        expect((otherCity.json as { items: Person[] }).items).toEqual([]);
      }
      const mine = await call("GET", "/contact-persons?responsible=me&limit=100");
      expect(mine.status).toBe(200);
      for (const p of (mine.json as { items: Person[] }).items) expect(p.responsibleEmployee).toBe(me);
    });
    test("paging with nextCursor until exhausted returns every match exactly once", async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++)
        created.push((await create({ lastName: `${prefix}Page`, firstName: `P${i}` })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `search=${prefix}Page&limit=2${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
        const res = await call("GET", `/contact-persons?${query}`);
        expect(res.status).toBe(200);
        const page = res.json as { items: Person[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(cursor).toBeNull();
      expect(pages).toBe(3);
      expect([...seen].sort()).toEqual([...created].sort());
    });
    test("limit above 500 is 400 naming limit; unknown query parameters are 400", async () => {
      const res = await call("GET", "/contact-persons?limit=501");
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain("limit");
      const unknown = await call("GET", "/contact-persons?colour=blue");
      expectProblem(unknown, 400);
      expect(problemFields(unknown.json)).toContain("colour");
    });
  });

  describe("update (If-Match)", () => {
    test("merge-patch with the current ETag updates and changes the version", async () => {
      const person = await create({
        lastName: `${prefix}Patch`,
        firstName: "Alt",
        jobTitle: "Bleibt",
        notes: "weg",
      });
      const res = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { firstName: "Neu", notes: null },
        contentType: "application/merge-patch+json",
        headers: { "if-match": `"${person.version}"` },
      });
      expect(res.status).toBe(200);
      const updated = res.json as Person;
      expect(updated).toMatchObject({
        firstName: "Neu",
        notes: null,
        jobTitle: "Bleibt",
        lastName: person.lastName,
      });
      expect(updated.version).not.toBe(person.version);
      expect(stripQuotes(res.headers.get("etag"))).toBe(updated.version);
    });
    test("a stale If-Match is 412, a missing one 428", async () => {
      const person = await create({ lastName: `${prefix}Stale` });
      const ok = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { firstName: "Eins" },
        headers: { "if-match": `"${person.version}"` },
      });
      expect(ok.status).toBe(200);
      const stale = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { firstName: "Zwei" },
        headers: { "if-match": `"${person.version}"` },
      });
      expectProblem(stale, 412);
      const missing = await call("PATCH", `/contact-persons/${person.id}`, { body: { firstName: "Drei" } });
      expectProblem(missing, 428);
      const read = await call("GET", `/contact-persons/${person.id}`);
      expect((read.json as Person).firstName).toBe("Eins");
    });
    test("clearing lastName or sending unknown fields is 400 naming the field", async () => {
      const person = await create({ lastName: `${prefix}Clear` });
      const cleared = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { lastName: null },
        headers: { "if-match": `"${person.version}"` },
      });
      expectProblem(cleared, 400);
      expect(problemFields(cleared.json)).toContain("lastName");
      const unknown = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { version: "v99" },
        headers: { "if-match": `"${person.version}"` },
      });
      expectProblem(unknown, 400);
      expect(problemFields(unknown.json)).toContain("version");
    });
    test("patching an unknown person is 404", async () => {
      const res = await call("PATCH", `/contact-persons/${prefix}-nope`, {
        body: { firstName: "x" },
        headers: { "if-match": '"v1"' },
      });
      expectProblem(res, 404);
    });
  });

  describe("the CRM-side switch (optional outlookUsers)", () => {
    test("PATCH sets the users who want the person in Outlook; ?outlookUser= finds exactly those persons", async () => {
      const person = await create({ lastName: `${prefix}Wish` });
      const other = `${prefix.toLowerCase()}-other@contoso.example`;
      const set = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { outlookUsers: [me, other] },
        headers: { "if-match": `"${person.version}"` },
      });
      if (set.status === 400 && problemFields(set.json).includes("outlookUsers")) {
        // A CRM without the switch: it must then never list the field either.
        expect((person as { outlookUsers?: unknown }).outlookUsers).toBeUndefined();
        return;
      }
      expect(set.status).toBe(200);
      const updated = set.json as Person & { outlookUsers: string[] };
      expect([...updated.outlookUsers].sort()).toEqual([me, other].sort());
      const search = `search=${encodeURIComponent(`${prefix}Wish`)}`;
      const mine = await call(
        "GET",
        `/contact-persons?${search}&outlookUser=${encodeURIComponent(other.toUpperCase())}`,
      );
      expect(mine.status).toBe(200);
      expect((mine.json as { items: Person[] }).items.map((p) => p.id)).toEqual([person.id]);
      const nobody = await call(
        "GET",
        `/contact-persons?${search}&outlookUser=${encodeURIComponent(`${prefix}-nobody`)}`,
      );
      expect((nobody.json as { items: Person[] }).items).toEqual([]);
      const cleared = await call("PATCH", `/contact-persons/${person.id}`, {
        body: { outlookUsers: [] },
        headers: { "if-match": `"${updated.version}"` },
      });
      expect(cleared.status).toBe(200);
      expect((cleared.json as { outlookUsers: string[] }).outlookUsers).toEqual([]);
      const gone = await call("GET", `/contact-persons?${search}&outlookUser=${encodeURIComponent(other)}`);
      expect((gone.json as { items: Person[] }).items).toEqual([]);
    });
  });

  describe("photo", () => {
    test("no photo is a 404 problem; PUT stores it, returns the new version, GET returns the bytes", async () => {
      const person = await create({ lastName: `${prefix}Photo` });
      expectProblem(await call("GET", `/contact-persons/${person.id}/photo`), 404);
      const bytes = pngBytes();
      const put = await call("PUT", `/contact-persons/${person.id}/photo`, {
        raw: bytes,
        contentType: "image/png",
      });
      expect([200, 204]).toContain(put.status);
      const newVersion = stripQuotes(put.headers.get("etag"));
      expect(newVersion).toBeTruthy();
      expect(newVersion).not.toBe(person.version);
      const got = await call("GET", `/contact-persons/${person.id}/photo`);
      expect(got.status).toBe(200);
      expect(got.contentType).toMatch(/^image\/png/);
      expect(Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
      const read = await call("GET", `/contact-persons/${person.id}`);
      expect(read.json).toMatchObject({ hasPhoto: true, version: newVersion });
    });
    test("larger than 4 MB is 413; another type or mismatching bytes is 415", async () => {
      const person = await create({ lastName: `${prefix}PhotoLimits` });
      const big = new Uint8Array(4 * 1024 * 1024 + 1);
      big.set(pngBytes().subarray(0, 8));
      const tooBig = await call("PUT", `/contact-persons/${person.id}/photo`, {
        raw: big,
        contentType: "image/png",
      });
      expectProblem(tooBig, 413);
      const gif = await call("PUT", `/contact-persons/${person.id}/photo`, {
        raw: new TextEncoder().encode("GIF89a......"),
        contentType: "image/gif",
      });
      expectProblem(gif, 415);
      const mismatch = await call("PUT", `/contact-persons/${person.id}/photo`, {
        raw: JPEG_MAGIC,
        contentType: "image/png",
      });
      expectProblem(mismatch, 415);
      const read = await call("GET", `/contact-persons/${person.id}`);
      expect(read.json).toMatchObject({ hasPhoto: false, version: person.version });
    });
  });

  describe("lookup", () => {
    test("e-mail in another letter case (and padded) finds the person", async () => {
      const email = `${run}.Lookup@Example.com`;
      const person = await create({ lastName: `${prefix}Lookup`, email });
      const res = await call("POST", "/contact-persons/lookup", {
        body: { emails: [`  ${email.toUpperCase()} `] },
      });
      expect(res.status).toBe(200);
      expect((res.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
    });
    test("phones are compared in E.164: stored '0171 …' is found by '+49171…'", async () => {
      const person = await create({
        lastName: `${prefix}Phone`,
        phone: `0171 ${digits7}`,
        fax: `+49 (0)30 ${digits7}`,
      });
      const res = await call("POST", "/contact-persons/lookup", {
        body: { phones: [`+49171${digits7}`], emails: [], lastNames: [] },
      });
      expect((res.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
      const byFax = await call("POST", "/contact-persons/lookup", { body: { phones: [`+4930${digits7}`] } });
      expect((byFax.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
    });
    test("last names match case- and accent-insensitively; mobile numbers too", async () => {
      const person = await create({ lastName: `${prefix}Müller`, mobile: `+49 160 ${digits7}` });
      const res = await call("POST", "/contact-persons/lookup", {
        body: { lastNames: [`${prefix}MULLER`.toLowerCase()] },
      });
      expect((res.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
      const byMobile = await call("POST", "/contact-persons/lookup", {
        body: { phones: [`0160 ${digits7}`] },
      });
      expect((byMobile.json as { items: Person[] }).items.map((p) => p.id)).toContain(person.id);
    });
    test("more than 1000 keys of a kind is 400; unknown keys are 400", async () => {
      const emails = Array.from({ length: 1001 }, (_, i) => `x${i}@example.com`);
      const res = await call("POST", "/contact-persons/lookup", { body: { emails } });
      expectProblem(res, 400);
      expect(problemFields(res.json).some((f) => f.startsWith("emails"))).toBe(true);
      const unknown = await call("POST", "/contact-persons/lookup", { body: { names: ["x"] } });
      expectProblem(unknown, 400);
      expect(problemFields(unknown.json)).toContain("names");
    });
  });

  describe("batch-get", () => {
    test("returns current versions and lists missing ids", async () => {
      const a = await create({ lastName: `${prefix}BatchA` });
      const b = await create({ lastName: `${prefix}BatchB` });
      const patched = await call("PATCH", `/contact-persons/${b.id}`, {
        body: { firstName: "Neu" },
        headers: { "if-match": `"${b.version}"` },
      });
      const missingId = `${prefix}-missing`;
      const res = await call("POST", "/contact-persons/batch-get", {
        body: { ids: [a.id, b.id, missingId] },
      });
      expect(res.status).toBe(200);
      const result = res.json as { items: Person[]; missing: string[] };
      expect(result.items.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
      expect(result.items.find((p) => p.id === b.id)?.version).toBe((patched.json as Person).version);
      expect(result.missing).toEqual([missingId]);
    });
    test("more than 1000 ids is 400 naming ids", async () => {
      const ids = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
      const res = await call("POST", "/contact-persons/batch-get", { body: { ids } });
      expectProblem(res, 400);
      expect(problemFields(res.json)).toContain("ids");
    });
  });

  // Contract v1 additions (issue 18): what a list needs in a few requests, not one per partner.
  describe("partner batch-get and the partner filter of the person search", () => {
    test("POST /business-partners/batch-get returns the partners and lists missing ids", async () => {
      const missingId = `${prefix}-no-partner`;
      const res = await call("POST", "/business-partners/batch-get", {
        body: { ids: [partner.id, missingId, partner.id] },
      });
      expect(res.status).toBe(200);
      const result = res.json as { items: Partner[]; missing: string[] };
      expect(result.items.map((p) => p.id)).toEqual([partner.id]);
      expect(result.items[0]).toMatchObject({ id: partner.id, name: partner.name });
      expect(result.missing).toEqual([missingId]);
    });
    test("partner batch-get of more than 1000 ids is 400 naming ids; unknown fields are 400", async () => {
      const ids = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
      const tooMany = await call("POST", "/business-partners/batch-get", { body: { ids } });
      expectProblem(tooMany, 400);
      expect(problemFields(tooMany.json)).toContain("ids");
      const unknown = await call("POST", "/business-partners/batch-get", { body: { ids: [], names: [] } });
      expectProblem(unknown, 400);
      expect(problemFields(unknown.json)).toContain("names");
    });
    test("businessPartnerSearch keeps only persons whose partner matches the partner search", async () => {
      const person = await create({ lastName: `${prefix}Firma` });
      const byName = await call(
        "GET",
        `/contact-persons?businessPartnerSearch=${encodeURIComponent(partner.name)}&search=${prefix}Firma`,
      );
      expect(byName.status).toBe(200);
      expect((byName.json as { items: Person[] }).items.map((p) => p.id)).toEqual([person.id]);
      // Every person found belongs to a partner the partner search finds for the same text.
      const word = partner.name.split(/\s+/).find((w) => w.length >= 3) ?? partner.name;
      const page = await call(
        "GET",
        `/contact-persons?businessPartnerSearch=${encodeURIComponent(word)}&limit=100`,
      );
      expect(page.status).toBe(200);
      const partnerIds = new Set((page.json as { items: Person[] }).items.map((p) => p.businessPartnerId));
      expect(partnerIds.size).toBeGreaterThan(0);
      const matches = await call("GET", `/business-partners?search=${encodeURIComponent(word)}&limit=500`);
      const partnerPage = matches.json as { items: Partner[]; nextCursor: string | null };
      const matching = new Set(partnerPage.items.map((p) => p.id));
      // (A CRM with more than 500 partners matching one word: the first page cannot prove it.)
      if (partnerPage.nextCursor === null)
        for (const id of partnerIds) expect([id, matching.has(id)]).toEqual([id, true]);
      const none = await call("GET", `/contact-persons?businessPartnerSearch=${prefix}NoSuchPartner`);
      expect((none.json as { items: Person[] }).items).toEqual([]);
    });
  });

  hardeningSuite({ call, prefix, newKey, partnerId: () => partner.id, create, expectProblem });
}
