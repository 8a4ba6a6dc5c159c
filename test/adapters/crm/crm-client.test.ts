/**
 * The CRM adapter over real HTTP: reference CRM server (demo seed) behind a fault-injecting proxy
 * (test/support/fault-proxy.ts). Retries are counted with the proxy's and the server's request
 * counters, never timed.
 */
import { PNG } from "pngjs";
import { AppError } from "../../../src/core/errors";
import type { ContactPersonInput } from "../../../src/core/model";
import type { TokenProvider, TokenResource } from "../../../src/core/ports";
import { createCrmClient, type CrmClientOptions } from "../../../src/adapters/crm/crm-client";
import { startCrmServer, type CrmServerHandle } from "../../servers/crm/server";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy";

jest.setTimeout(30_000);

let server: CrmServerHandle;
let proxy: FaultProxy;
let counter = 0;
const run = Date.now().toString(36);

interface TokenCall {
  resource: TokenResource;
  claims: string | undefined;
}

function tokenProvider(token: () => string): TokenProvider & { calls: TokenCall[] } {
  const calls: TokenCall[] = [];
  return {
    calls,
    getToken: async (resource, options) => {
      calls.push({ resource, claims: options?.claims });
      return token();
    },
  };
}

function client(overrides: Partial<CrmClientOptions> = {}) {
  const tokens = tokenProvider(() => server.token);
  const requests: string[] = [];
  const crm = createCrmClient({
    baseUrl: `${proxy.origin}/api/v1`,
    tokens,
    retries: 2,
    retryBaseDelayMs: 1,
    timeoutMs: 5_000,
    onRequest: (e) => requests.push(`${e.method} ${e.path} #${e.attempt}`),
    ...overrides,
  });
  return { crm, tokens, requests };
}

function input(lastName: string, extra: Partial<ContactPersonInput> = {}): ContactPersonInput {
  return {
    businessPartnerId: "bp-0001",
    salutation: null,
    title: null,
    firstName: "Test",
    lastName,
    jobTitle: null,
    department: null,
    email: null,
    phone: null,
    mobile: null,
    fax: null,
    birthday: null,
    notes: null,
    ...extra,
  };
}

const uniqueName = (label: string): string => `Ad${run}${label}${++counter}`;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a rejection");
}

function png(): Uint8Array {
  const image = new PNG({ width: 2, height: 2 });
  image.data.fill(128);
  return new Uint8Array(PNG.sync.write(image));
}

const problem = (status: number, extra: Record<string, unknown> = {}) => ({
  kind: "respond" as const,
  status,
  headers: { "content-type": "application/problem+json" },
  body: JSON.stringify({ type: "about:blank", title: `HTTP ${status}`, status, ...extra }),
});

beforeAll(async () => {
  server = await startCrmServer({ port: 0, seed: "demo" });
  proxy = await startFaultProxy(new URL(server.url).origin);
});

afterAll(async () => {
  await proxy.close();
  await server.close();
});

beforeEach(() => {
  proxy.reset();
  server.resetRequestCount();
});

describe("every endpoint over real HTTP", () => {
  test("business partners: search with paging and get", async () => {
    const { crm } = client();
    const first = await crm.searchBusinessPartners({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await crm.searchBusinessPartners({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((p) => p.id)).not.toContain(first.items[0]?.id);
    const found = await crm.searchBusinessPartners({ search: "Müller Bau GmbH" });
    expect(found.items.map((p) => p.name)).toContain("Müller Bau GmbH");
    const partner = await crm.getBusinessPartner("bp-0001");
    expect(partner).toMatchObject({ name: "Müller Bau GmbH", address: { city: "München" } });
  });

  test("contact persons: search filters and get", async () => {
    const { crm } = client();
    const anna = await crm.getContactPerson("cp-00001");
    expect(anna).toMatchObject({
      firstName: "Anna",
      lastName: "Schmidt",
      email: "anna.schmidt@mueller-bau.de",
    });
    const byCity = await crm.searchContactPersons({
      city: "München",
      search: "Anna Schmidt",
      responsibleMe: true,
    });
    expect(byCity.items.map((p) => p.id)).toContain("cp-00001");
    for (const p of byCity.items) expect(p.responsibleEmployee).toBe("demo.user");
    const byPartner = await crm.searchContactPersons({ businessPartnerId: "bp-0002", limit: 500 });
    expect(byPartner.items.map((p) => p.email)).toContain("jean.dupont@lumiere.fr");
  });

  test("create, update, photos, lookup and batch-get", async () => {
    const { crm } = client();
    const name = uniqueName("Flow");
    const created = await crm.createContactPerson(
      input(name, { email: `${name}@Example.com`, mobile: "0151 7654321" }),
      `k-${name}`,
    );
    expect(created).toMatchObject({ lastName: name, status: "active", hasPhoto: false });
    const updated = await crm.updateContactPerson(created.id, { jobTitle: "Chefin" }, created.version);
    expect(updated.jobTitle).toBe("Chefin");
    expect(updated.version).not.toBe(created.version);
    expect(await crm.getPhoto(created.id)).toBeNull();
    const bytes = png();
    const photoVersion = await crm.putPhoto(created.id, { contentType: "image/png", data: bytes });
    expect(photoVersion).not.toBe(updated.version);
    const photo = await crm.getPhoto(created.id);
    expect(photo?.contentType).toBe("image/png");
    expect(photo?.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(photo?.data ?? []).equals(Buffer.from(bytes))).toBe(true);
    const anchorPhoto = await crm.getPhoto("cp-00001");
    expect(anchorPhoto?.data.length).toBeGreaterThan(8);
    const found = await crm.lookup({
      emails: [`${name.toUpperCase()}@EXAMPLE.COM`],
      phones: [],
      lastNames: [],
    });
    expect(found.map((p) => p.id)).toEqual([created.id]);
    const byPhone = await crm.lookup({ emails: [], phones: ["+491517654321"], lastNames: [] });
    expect(byPhone.map((p) => p.id)).toContain(created.id);
    const batch = await crm.batchGet([created.id, "cp-99999"]);
    expect(batch.items.map((p) => p.version)).toEqual([photoVersion]);
    expect(batch.missing).toEqual(["cp-99999"]);
  });

  test("only writable fields are sent, so a full ContactPerson can be passed back", async () => {
    const { crm } = client();
    const anna = await crm.getContactPerson("cp-00001");
    const name = uniqueName("Copy");
    const copy = await crm.createContactPerson({ ...anna, lastName: name, email: null }, `k-${name}`);
    expect(copy).toMatchObject({ lastName: name, firstName: "Anna", businessPartnerId: "bp-0001" });
    expect(copy.id).not.toBe(anna.id);
    const patched = await crm.updateContactPerson(copy.id, { ...copy, jobTitle: "Kopie" }, copy.version);
    expect(patched.jobTitle).toBe("Kopie");
  });

  test("lookup and batch-get split inputs above 1000 into several calls", async () => {
    const { crm } = client();
    const emails = Array.from({ length: 1500 }, (_, i) => `nobody${i}@example.invalid`);
    emails.push("anna.schmidt@mueller-bau.de");
    server.resetRequestCount();
    const found = await crm.lookup({ emails, phones: ["+491712345678"], lastNames: [] });
    expect(server.requestCount()).toBe(2);
    expect(found.filter((p) => p.id === "cp-00001")).toHaveLength(1);
    server.resetRequestCount();
    const ids = [
      ...Array.from({ length: 1000 }, (_, i) => `cp-${String(i + 1).padStart(5, "0")}`),
      ...Array.from({ length: 1500 }, (_, i) => `missing-${run}-${i}`),
    ];
    const batch = await crm.batchGet(ids);
    expect(server.requestCount()).toBe(3);
    expect(batch.items).toHaveLength(1000);
    expect(batch.missing).toHaveLength(1500);
  });
});

describe("problem+json -> AppError", () => {
  test("401 unauthorized (and the token never appears in the error)", async () => {
    const { crm } = client({ tokens: tokenProvider(() => "not-the-token-123") });
    const error = await rejection(crm.getContactPerson("cp-00001"));
    expect(error).toMatchObject({ code: "unauthorized", status: 401 });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("not-the-token-123");
    expect(proxy.count()).toBe(1);
  });

  test("404 not-found, 412 precondition-failed, 400 validation naming lastName", async () => {
    const { crm } = client();
    expect(await rejection(crm.getContactPerson("cp-99999"))).toMatchObject({
      code: "not-found",
      status: 404,
    });
    const person = await crm.createContactPerson(input(uniqueName("Err")), `k-${run}-err`);
    await crm.updateContactPerson(person.id, { firstName: "Neu" }, person.version);
    expect(
      await rejection(crm.updateContactPerson(person.id, { firstName: "Alt" }, person.version)),
    ).toMatchObject({
      code: "precondition-failed",
      status: 412,
    });
    const current = await crm.getContactPerson(person.id);
    const invalid = await rejection(crm.updateContactPerson(person.id, { lastName: "" }, current.version));
    expect(invalid).toMatchObject({ code: "validation", status: 400, field: "lastName" });
  });

  test("409/422 conflict for a reused idempotency key; 413 and 415 for photos", async () => {
    const { crm } = client();
    const key = `k-${run}-reuse`;
    const person = await crm.createContactPerson(input(uniqueName("Reuse")), key);
    expect(await rejection(crm.createContactPerson(input(uniqueName("Other")), key))).toMatchObject({
      code: "conflict",
    });
    const big = new Uint8Array(4 * 1024 * 1024 + 10);
    big.set(png().subarray(0, 8));
    expect(await rejection(crm.putPhoto(person.id, { contentType: "image/png", data: big }))).toMatchObject({
      code: "payload-too-large",
      status: 413,
    });
    const notPng = new TextEncoder().encode("definitely not an image");
    expect(
      await rejection(crm.putPhoto(person.id, { contentType: "image/png", data: notPng })),
    ).toMatchObject({
      code: "photo-invalid",
      status: 415,
    });
  });

  test("403 forbidden is not retried", async () => {
    const { crm } = client();
    proxy.enqueue(problem(403, { detail: "No access to this partner" }));
    const error = await rejection(crm.getBusinessPartner("bp-0001"));
    expect(error).toMatchObject({ code: "forbidden", status: 403, message: "No access to this partner" });
    expect(proxy.count()).toBe(1);
  });

  test("429 is retried honouring Retry-After, then throttled with retryAfterSeconds", async () => {
    const { crm } = client({ retries: 2 });
    for (let i = 0; i < 3; i++)
      proxy.enqueue({ ...problem(429), headers: { ...problem(429).headers, "retry-after": "0" } });
    const error = await rejection(crm.searchContactPersons({ search: "x" }));
    expect(error).toMatchObject({ code: "throttled", status: 429, retryAfterSeconds: 0, retryable: true });
    expect(proxy.count()).toBe(3);
    expect(server.requestCount()).toBe(0);
  });

  test("a Retry-After longer than allowed ends retrying at once", async () => {
    const { crm } = client({ retries: 3, maxRetryAfterSeconds: 5 });
    proxy.enqueue({ ...problem(429), headers: { ...problem(429).headers, "retry-after": "120" } });
    expect(await rejection(crm.getBusinessPartner("bp-0001"))).toMatchObject({
      code: "throttled",
      retryAfterSeconds: 120,
    });
    expect(proxy.count()).toBe(1);
  });

  test("5xx is retried for reads and succeeds when the server recovers", async () => {
    const { crm, requests } = client({ retries: 2 });
    proxy.enqueue(problem(503));
    proxy.enqueue(problem(502));
    const partner = await crm.getBusinessPartner("bp-0002");
    expect(partner.name).toBe("Lumière SA");
    expect(proxy.count()).toBe(3);
    expect(server.requestCount()).toBe(1);
    expect(requests.map((r) => r.split(" #")[1])).toEqual(["0", "1", "2"]);
  });

  test("5xx after the retries are exhausted is a server error", async () => {
    const { crm } = client({ retries: 1 });
    proxy.enqueue(problem(500));
    proxy.enqueue(problem(500));
    expect(await rejection(crm.batchGet(["cp-00001"]))).toMatchObject({ code: "server", status: 500 });
    expect(proxy.count()).toBe(2);
  });
});

describe("retry policy", () => {
  test("lookup (read-only POST) is retried", async () => {
    const { crm } = client();
    proxy.enqueue(problem(503));
    const found = await crm.lookup({ emails: ["jean.dupont@lumiere.fr"], phones: [], lastNames: [] });
    expect(found.map((p) => p.id)).toEqual(["cp-00002"]);
    expect(proxy.count()).toBe(2);
  });

  test("PATCH and photo PUT are never retried after a 503", async () => {
    const { crm } = client({ retries: 3 });
    const person = await crm.createContactPerson(input(uniqueName("NoRetry")), `k-${run}-noretry`);
    proxy.reset();
    proxy.enqueue(problem(503));
    expect(
      await rejection(crm.updateContactPerson(person.id, { firstName: "X" }, person.version)),
    ).toMatchObject({
      code: "server",
    });
    expect(proxy.count()).toBe(1);
    proxy.reset();
    proxy.enqueue(problem(503));
    expect(await rejection(crm.putPhoto(person.id, { contentType: "image/png", data: png() }))).toMatchObject(
      {
        code: "server",
      },
    );
    expect(proxy.count()).toBe(1);
  });

  test("a PATCH whose response was lost is not retried (the server may have applied it)", async () => {
    const { crm } = client({ retries: 3 });
    const person = await crm.createContactPerson(input(uniqueName("Lost")), `k-${run}-lost`);
    proxy.reset();
    server.resetRequestCount();
    proxy.enqueue({ kind: "drop-response" });
    expect(
      await rejection(crm.updateContactPerson(person.id, { firstName: "X" }, person.version)),
    ).toMatchObject({
      code: "network",
    });
    expect(proxy.count()).toBe(1);
    expect(server.requestCount()).toBe(1);
  });

  test("a create whose response was lost is retried with the same key and makes one record", async () => {
    const { crm } = client({ retries: 3 });
    const name = uniqueName("Idem");
    proxy.enqueue({ kind: "drop-response" });
    const person = await crm.createContactPerson(input(name), `k-${name}`);
    expect(proxy.count()).toBe(2);
    expect(server.requestCount()).toBe(2);
    const page = await crm.searchContactPersons({ search: name });
    expect(page.items.map((p) => p.id)).toEqual([person.id]);
  });

  test("writes are retried when the connection failed before anything was sent", async () => {
    const closed = await startCrmServer({ port: 0, seed: "none" });
    const deadUrl = closed.url;
    await closed.close();
    const requests: string[] = [];
    const crm = createCrmClient({
      baseUrl: deadUrl,
      tokens: tokenProvider(() => "t"),
      retries: 2,
      retryBaseDelayMs: 1,
      onRequest: (e) => requests.push(`${e.method} #${e.attempt}`),
    });
    expect(await rejection(crm.updateContactPerson("cp-00001", { firstName: "X" }, "v1"))).toMatchObject({
      code: "network",
    });
    expect(requests).toEqual(["PATCH #0", "PATCH #1", "PATCH #2"]);
  });

  test("timeouts are retried for reads and reported as timeout", async () => {
    const { crm } = client({ retries: 1, timeoutMs: 100 });
    proxy.enqueue({ kind: "delay", ms: 1_000 });
    proxy.enqueue({ kind: "delay", ms: 1_000 });
    expect(await rejection(crm.getBusinessPartner("bp-0001"))).toMatchObject({
      code: "timeout",
      retryable: true,
    });
    expect(proxy.count()).toBe(2);
  });
});

describe("cancellation and token handling", () => {
  test("an aborted signal rejects with cancelled without a request", async () => {
    const { crm } = client();
    const controller = new AbortController();
    controller.abort();
    expect(await rejection(crm.getContactPerson("cp-00001", { signal: controller.signal }))).toMatchObject({
      code: "cancelled",
    });
    expect(proxy.count()).toBe(0);
  });

  test("aborting an in-flight request rejects with cancelled and does not retry", async () => {
    const { crm } = client({ retries: 3 });
    proxy.enqueue({ kind: "delay", ms: 2_000 });
    const controller = new AbortController();
    const pending = crm.searchContactPersons({ search: "Weber" }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await rejection(pending)).toMatchObject({ code: "cancelled" });
    expect(proxy.count()).toBe(1);
  });

  test("aborting during the backoff wait rejects with cancelled", async () => {
    const { crm } = client({ retries: 3, retryBaseDelayMs: 60_000 });
    proxy.enqueue(problem(503));
    const controller = new AbortController();
    const pending = crm.getBusinessPartner("bp-0001", { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await rejection(pending)).toMatchObject({ code: "cancelled" });
    expect(proxy.count()).toBe(1);
  });

  test.each([401, 403])(
    "a claims challenge in a %i fetches a new token with the claims once",
    async (status) => {
      const { crm, tokens } = client();
      proxy.enqueue({
        kind: "respond",
        status,
        headers: {
          "content-type": "application/problem+json",
          "www-authenticate":
            'Bearer realm="crm", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="',
        },
        body: JSON.stringify({ title: "Unauthorized", status }),
      });
      const partner = await crm.getBusinessPartner("bp-0003");
      expect(partner.name).toBe("Weber Logistik AG");
      expect(tokens.calls).toEqual([
        { resource: "crm", claims: undefined },
        { resource: "crm", claims: '{"access_token":{}}' },
      ]);
    },
  );
});

describe("malformed responses -> bad-response, never a crash", () => {
  test.each([
    ["not JSON at all", "<html>oops</html>", "text/html"],
    ["truncated JSON", '{"items": [', "application/json"],
    ["a person without lastName", JSON.stringify({ id: "cp-1", version: "v1" }), "application/json"],
    ["a page without nextCursor", JSON.stringify({ items: [] }), "application/json"],
  ])("%s", async (_label, body, contentType) => {
    const { crm } = client();
    proxy.enqueue({ kind: "respond", status: 200, headers: { "content-type": contentType }, body });
    const call = body.includes("items") ? crm.searchContactPersons({}) : crm.getContactPerson("cp-00001");
    expect(await rejection(call)).toMatchObject({ code: "bad-response", retryable: false });
    expect(proxy.count()).toBe(1);
  });

  test("a photo with a wrong content type, a photo PUT without ETag", async () => {
    const { crm } = client();
    proxy.enqueue({ kind: "respond", status: 200, headers: { "content-type": "text/plain" }, body: "hello" });
    expect(await rejection(crm.getPhoto("cp-00001"))).toMatchObject({ code: "bad-response" });
    proxy.enqueue({ kind: "respond", status: 204 });
    expect(
      await rejection(crm.putPhoto("cp-00001", { contentType: "image/png", data: png() })),
    ).toMatchObject({
      code: "bad-response",
    });
  });

  test("an error status with a non-problem body still maps by status", async () => {
    const { crm } = client({ retries: 0 });
    proxy.enqueue({
      kind: "respond",
      status: 502,
      headers: { "content-type": "text/html" },
      body: "<h1>Bad gateway</h1>",
    });
    expect(await rejection(crm.getBusinessPartner("bp-0001"))).toMatchObject({ code: "server", status: 502 });
  });
});

describe("findCreated (contract v1.1 lookup by Idempotency-Key)", () => {
  it("names the person created with a key, and nothing for an unknown key", async () => {
    const { crm } = client();
    const key = `find-created-${run}`;
    const created = await crm.createContactPerson(input(`Resume${run}`), key);
    const found = await crm.findCreated([key, `${key}-unknown`]);
    expect(found.map((f) => [f.idempotencyKey, f.person.id])).toEqual([[key, created.id]]);
  });

  it("tolerates a v1.0 CRM that refuses the field: nothing is recognised", async () => {
    const { crm } = client();
    proxy.enqueue(
      {
        kind: "respond",
        status: 400,
        headers: { "content-type": "application/problem+json" },
        body: JSON.stringify({
          type: "https://crm.example/problems/validation",
          title: "Invalid request",
          status: 400,
          errors: [{ field: "idempotencyKeys", message: 'Unknown field "idempotencyKeys"' }],
        }),
      },
      { method: "POST" },
    );
    await expect(crm.findCreated(["any-key"])).resolves.toEqual([]);
  });
});
