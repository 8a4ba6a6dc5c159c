// The Graph emulator's own tests over real HTTPS: shapes against ./reference (Graph docs JSON), paging,
// $filter/$expand, $batch rules, Outlook limits, delta rounds and photos.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startGraphEmulator, type GraphEmulatorHandle } from "./emulator";
import { insecureFetchOptions } from "./insecure-fetch";
import { asJpeg } from "./demo-seed";

jest.setTimeout(60_000);

const REF = join(__dirname, "reference");
const ref = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(REF, name), "utf8")) as Record<string, unknown>;
const keys = (o: unknown): string[] => Object.keys(o as object).sort();

const GUID = "8D4E2A71-3C9B-4F5E-A6D0-7B1C9E2F4A63";
const CRM_PROP = `String {${GUID}} Name CrmContactPersonId`;

let graph: GraphEmulatorHandle;
let n = 0;

interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { value?: Record<string, unknown>[] };
  raw: Buffer;
}

async function req(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const url = path.startsWith("https://") ? path : `${graph.url}${path}`;
  const isBinary = Buffer.isBuffer(body);
  const res = await fetch(url, {
    ...insecureFetchOptions(),
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined && !isBinary ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : isBinary ? new Uint8Array(body as Buffer) : JSON.stringify(body),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  let json = {} as Reply["json"];
  if ((res.headers.get("content-type") ?? "").includes("json") && raw.length > 0)
    json = JSON.parse(raw.toString("utf8")) as Reply["json"];
  return { status: res.status, headers: res.headers, json, raw };
}

function mailbox(): string {
  const t = `emu-test-${++n}`;
  graph.addMailbox(t);
  return t;
}

async function seed(token: string, count: number, path = "/me/contacts"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await req(token, "POST", path, {
      givenName: `G${i}`,
      surname: `S${i}`,
      emailAddresses: [{ address: `p${i}@example.com`, name: `P ${i}` }],
    });
    ids.push(String(r.json.id));
  }
  return ids;
}

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: "none" });
});
afterAll(async () => {
  await graph.close();
});
beforeEach(() => {
  graph.setFaults({ faultRate: 0 });
  graph.setLatency(0);
});

describe("shapes (against the reference JSON)", () => {
  it("create/get/update contacts like the docs", async () => {
    const t = mailbox();
    const created = await req(t, "POST", "/me/contacts", ref("04-contact-create-req.json"));
    expect(created.status).toBe(201);
    expect(created.json.displayName).toBe("Pavel Bansky");
    for (const k of keys(ref("04-contact-create-resp.json"))) expect(created.json).toHaveProperty(k);
    const id = String(created.json.id);
    expect(id).toMatch(/^[A-Za-z0-9_=+/-]+=$/);

    const got = await req(t, "GET", `/me/contacts/${id}`);
    const reference = ref("02-contact-get-resp.json");
    expect(keys(got.json)).toEqual(keys(reference));
    expect(String(got.json["@odata.context"])).toMatch(
      /^https:\/\/localhost:\d+\/v1\.0\/\$metadata#users\('[0-9a-f-]+'\)\/contacts\/\$entity$/,
    );
    expect(got.json["@odata.etag"]).toBe(`W/"${String(got.json.changeKey)}"`);
    expect(got.json.createdDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(got.json.homeAddress).toEqual({});
    expect(got.json.categories).toEqual([]);
    expect(got.json.initials).toBeNull();
    expect(got.json.fileAs).toBe("");

    const updated = await req(t, "PATCH", `/me/contacts/${id}`, ref("05-contact-update-req.json"));
    expect(updated.status).toBe(200);
    for (const k of keys(ref("05-contact-update-resp.json"))) expect(updated.json).toHaveProperty(k);
    // Edm.DateTimeOffset: the date of the docs' request comes back with a time part (FIDELITY 5).
    expect(updated.json.birthday).toBe("1974-07-22T00:00:00Z");
    expect(updated.json.homeAddress).toEqual(
      (ref("05-contact-update-req.json") as { homeAddress: unknown }).homeAddress,
    );
    expect(updated.json.changeKey).not.toBe(got.json.changeKey);

    const bad = await req(t, "POST", "/me/contacts", { noSuchProperty: 1 });
    expect(bad.status).toBe(400);
  });

  it("errors use Graph's envelope; missing items are ErrorItemNotFound; unknown tokens 401", async () => {
    const t = mailbox();
    const missing = await req(t, "GET", "/me/contacts/AAMkAGnothereAAA=");
    expect(missing.status).toBe(404);
    expect(keys(missing.json)).toEqual(keys(ref("09b-error-example-2022.json")));
    const error = missing.json.error as Record<string, unknown>;
    expect(keys(error)).toEqual(["code", "innerError", "message"]);
    expect(error.code).toBe("ErrorItemNotFound");
    expect(keys(error.innerError)).toEqual(["client-request-id", "date", "request-id"]);
    const unauthorized = await req("nobody", "GET", "/me/contacts");
    expect(unauthorized.status).toBe(401);
    expect((unauthorized.json.error as { code: string }).code).toBe("InvalidAuthenticationToken");
  });

  it("contact folders: list, create (201), get", async () => {
    const t = mailbox();
    // Real Graph does not list the default folder (FIDELITY 1); it is reached by its well-known name.
    const list = await req(t, "GET", "/me/contactFolders");
    expect(list.json.value).toEqual([]);
    const defaultFolder = await req(t, "GET", "/me/contactFolders/contacts");
    const refList = ref("11b-contactfolders-list-resp.json") as { value: unknown[] };
    expect(keys(defaultFolder.json).filter((k) => !k.startsWith("@"))).toEqual(keys(refList.value[0]));
    expect(defaultFolder.json.displayName).toBe("Contacts");
    const created = await req(t, "POST", "/me/contactFolders", { displayName: "Important contacts" });
    expect(created.status).toBe(201);
    const refCreated = ref("11-contactfolder-create-resp.json");
    for (const k of keys(refCreated)) expect(created.json).toHaveProperty(k);
    expect(created.json.parentFolderId).toBe(defaultFolder.json.id);
    expect((await req(t, "GET", "/me/contactFolders")).json.value?.map((f) => f.id)).toEqual([
      created.json.id,
    ]);
    const got = await req(t, "GET", `/me/contactFolders/${String(created.json.id)}`);
    expect(got.json.displayName).toBe("Important contacts");
    expect((await req(t, "POST", "/me/contactFolders", { displayName: "important contacts" })).status).toBe(
      409,
    );
  });
});

describe("lists", () => {
  it("pages with $top/$skip and absolute https nextLinks that keep the query options", async () => {
    const t = mailbox();
    await seed(t, 25);
    const first = await req(t, "GET", "/me/contacts?$select=givenName,surname");
    expect(first.json.value).toHaveLength(10);
    expect(keys(first.json.value?.[0])).toEqual(["@odata.etag", "givenName", "id", "surname"]);
    const seen = new Set<string>();
    let next: string | undefined = `${graph.url}/me/contacts?$top=7&$select=surname`;
    let pages = 0;
    while (next) {
      const page = await req(t, "GET", next);
      pages++;
      for (const c of page.json.value ?? []) seen.add(String(c.id));
      next = page.json["@odata.nextLink"] as string | undefined;
      if (next)
        expect(next).toMatch(
          /^https:\/\/localhost:\d+\/v1\.0\/me\/contacts\?\$top=7&\$select=surname&\$skip=\d+$/,
        );
    }
    expect(pages).toBe(4);
    expect(seen.size).toBe(25);
  });

  it("honours X-Forwarded-Proto/Host/Prefix in links", async () => {
    const t = mailbox();
    await seed(t, 3);
    const page = await req(t, "GET", "/me/contacts?$top=1", undefined, {
      "X-Forwarded-Proto": "https",
      "X-Forwarded-Host": "pane.local:8443",
      "X-Forwarded-Prefix": "/graph",
    });
    expect(page.json["@odata.nextLink"]).toBe(
      "https://pane.local:8443/graph/v1.0/me/contacts?$top=1&$skip=1",
    );
    expect(String(page.json["@odata.context"])).toMatch(
      /^https:\/\/pane\.local:8443\/graph\/v1\.0\/\$metadata#/,
    );
  });

  it("filters by e-mail and by the extended property; $expand returns it with its context key", async () => {
    const t = mailbox();
    await seed(t, 5);
    const created = await req(t, "POST", "/me/contacts", {
      surname: "Linked",
      singleValueExtendedProperties: [{ id: CRM_PROP, value: "CP-42" }],
    });
    expect(created.json).not.toHaveProperty("singleValueExtendedProperties");
    const byMail = await req(
      t,
      "GET",
      `/me/contacts?$filter=${encodeURIComponent("emailAddresses/any(a:a/address eq 'P3@EXAMPLE.com')")}`,
    );
    expect(byMail.json.value?.map((c) => c.surname)).toEqual(["S3"]);

    const filter = (id: string, value: string, any = "any", idKey = "id"): string =>
      `$filter=${encodeURIComponent(`singleValueExtendedProperties/${any}(ep: ep/${idKey} eq '${id}' and ep/value eq '${value}')`)}`;
    const found = await req(t, "GET", `/me/contacts?${filter(CRM_PROP, "cp-42", "Any", "Id")}`);
    expect(found.json.value?.map((c) => c.surname)).toEqual(["Linked"]);
    expect(found.json.value?.[0]).not.toHaveProperty("singleValueExtendedProperties");
    const otherCase = CRM_PROP.replace("CrmContactPersonId", "crmcontactpersonid");
    expect((await req(t, "GET", `/me/contacts?${filter(otherCase, "cp-42")}`)).json.value).toEqual([]);
    const guidLower = CRM_PROP.replace(GUID, GUID.toLowerCase());
    expect((await req(t, "GET", `/me/contacts?${filter(guidLower, "CP-42")}`)).json.value).toHaveLength(1);

    const expand = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${CRM_PROP}')`)}`;
    const one = await req(t, "GET", `/me/contacts/${String(created.json.id)}?${expand}`);
    const refExpand = ref("06c-svep-get-expand-message-resp.json");
    expect(one.json.singleValueExtendedProperties).toEqual([{ id: CRM_PROP, value: "CP-42" }]);
    expect(Object.keys(one.json)).toContain("singleValueExtendedProperties@odata.context");
    expect(Object.keys(refExpand)).toContain("singleValueExtendedProperties@odata.context");
    expect(String(one.json["singleValueExtendedProperties@odata.context"])).toMatch(
      /\/contacts\('[^']*%3D'\)\/singleValueExtendedProperties$/,
    );
    const listed = await req(t, "GET", `/me/contacts?$top=100&${expand}`);
    expect(listed.json.value?.filter((c) => c.singleValueExtendedProperties)).toHaveLength(1);
    expect((await req(t, "GET", "/me/contacts?$filter=surname eq 'x'")).status).toBe(400);
  });

  it("DELETE moves to Deleted Items: 204, gone from /me/contacts", async () => {
    const t = mailbox();
    const [id] = await seed(t, 1);
    const del = await req(t, "DELETE", `/me/contacts/${id}`);
    expect(del.status).toBe(204);
    expect(del.raw.length).toBe(0);
    expect((await req(t, "GET", `/me/contacts/${id}`)).status).toBe(404);
    expect((await req(t, "GET", "/me/contacts")).json.value).toEqual([]);
    const state = graph.inspect(t);
    expect(state.contacts.map((c) => c.folderId)).toEqual([state.deletedItemsId]);
  });
});

describe("$batch", () => {
  it("answers members with their own status/headers/body; 204 body null; counts members", async () => {
    const t = mailbox();
    const [id] = await seed(t, 1);
    graph.resetRequestCounts();
    const r = await req(t, "POST", "/$batch", {
      requests: [
        { id: "1", method: "GET", url: `/me/contacts/${id}` },
        { id: "2", method: "DELETE", url: `/me/contacts/${id}`, dependsOn: ["1"] },
        { id: "3", method: "GET", url: "/me/contacts/AAMkAGmissingAAA=" },
        {
          id: "4",
          method: "PATCH",
          url: "/me/contacts/AAMkAGmissingAAA=",
          dependsOn: ["3"],
          headers: { "Content-Type": "application/json" },
          body: { surname: "x" },
        },
      ],
    });
    expect(r.status).toBe(200);
    const responses = (
      r.json.responses as { id: string; status: number; headers: Record<string, string>; body: unknown }[]
    )
      .slice()
      .sort((a, b) => a.id.localeCompare(b.id));
    const refResp = (ref("08-batch-resp.json") as { responses: Record<string, unknown>[] }).responses[0];
    expect(keys(responses[0])).toEqual(keys(refResp));
    expect(responses.map((x) => x.status)).toEqual([200, 204, 404, 424]);
    expect(responses[0].headers["OData-Version"]).toBe("4.0");
    expect(responses[1].body).toBeNull();
    expect((responses[2].body as { error: { code: string } }).error.code).toBe("ErrorItemNotFound");
    const counts = graph.requestCounts();
    expect(counts["POST /$batch"]).toBe(1);
    expect(counts["GET /me/contacts/{id}"]).toBe(2);
    expect(counts["DELETE /me/contacts/{id}"]).toBe(1);
    expect(counts["PATCH /me/contacts/{id}"]).toBeUndefined();
  });

  it("rejects more than 20 requests, duplicate ids and bodies without Content-Type with 400", async () => {
    const t = mailbox();
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i + 1),
      method: "GET",
      url: "/me/contacts",
    }));
    expect((await req(t, "POST", "/$batch", { requests: many })).status).toBe(400);
    expect((await req(t, "POST", "/$batch", { requests: many.slice(0, 20) })).status).toBe(200);
    const dup = [many[0], { ...many[1], id: "1" }];
    expect((await req(t, "POST", "/$batch", { requests: dup })).status).toBe(400);
    const noType = [{ id: "1", method: "POST", url: "/me/contacts", body: { surname: "x" } }];
    expect((await req(t, "POST", "/$batch", { requests: noType })).status).toBe(400);
  });
});

describe("Outlook limits and faults", () => {
  it("5 slow requests at once: at least one 429 ApplicationThrottled with Retry-After", async () => {
    const t = mailbox();
    graph.setLatency(300);
    const replies = await Promise.all(Array.from({ length: 5 }, () => req(t, "GET", "/me/contacts")));
    const throttled = replies.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(Number(throttled[0].headers.get("retry-after"))).toBeGreaterThan(0);
    expect(throttled[0].json).toMatchObject({
      error: { code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit." },
    });
    expect(replies.filter((r) => r.status === 200)).toHaveLength(4);
  });

  it("a batch of 20 runs 4 at a time; members collide with other requests as 429 inside the batch", async () => {
    const t = mailbox();
    graph.setLatency(100);
    const members = Array.from({ length: 20 }, (_, i) => ({
      id: String(i + 1),
      method: "GET",
      url: "/me/contacts",
    }));
    const alone = await req(t, "POST", "/$batch", { requests: members });
    expect((alone.json.responses as { status: number }[]).every((m) => m.status === 200)).toBe(true);
    const [b1, b2] = await Promise.all([
      req(t, "POST", "/$batch", { requests: members }),
      req(t, "POST", "/$batch", { requests: members }),
    ]);
    const inner = [
      ...(b1.json.responses as { status: number; headers: Record<string, string> }[]),
      ...(b2.json.responses as { status: number; headers: Record<string, string> }[]),
    ];
    const throttled = inner.filter((m) => m.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].headers["Retry-After"]).toBeDefined();
  });

  it("enforces the request quota per window with 429 + Retry-After", async () => {
    const limited = await startGraphEmulator({ seed: "none", quota: 3, windowMs: 60_000 });
    try {
      const codes: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${limited.url}/me/contacts`, {
          ...insecureFetchOptions(),
          headers: { Authorization: `Bearer ${limited.token}` },
        });
        codes.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get("retry-after");
        await res.arrayBuffer();
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it("injects faults deterministically per seed", async () => {
    const t = mailbox();
    const run = async (): Promise<number[]> => {
      graph.setFaults({ faultRate: 0.5, faultSeed: 99 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        try {
          out.push((await req(t, "GET", "/me/contacts")).status);
        } catch {
          out.push(0); // connection reset
        }
      }
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.some((s) => s !== 200)).toBe(true);
  });
});

describe("delta", () => {
  it("pages with $skiptoken, ends with a $deltatoken link, then returns only changes incl. @removed", async () => {
    const t = mailbox();
    const folder = await req(t, "POST", "/me/contactFolders", { displayName: "Sync" });
    const fid = String(folder.json.id);
    const ids = await seed(t, 5, `/me/contactFolders/${fid}/contacts`);
    const prefer = { Prefer: "odata.maxpagesize=2" };
    let page = await req(t, "GET", `/me/contactFolders/${fid}/contacts/delta`, undefined, prefer);
    const seen: string[] = [];
    for (;;) {
      for (const c of page.json.value ?? []) {
        expect(c["@odata.type"]).toBe("#microsoft.graph.contact");
        seen.push(String(c.id));
      }
      const next = page.json["@odata.nextLink"] as string | undefined;
      if (!next) break;
      expect(next).toMatch(new RegExp(`/me/contactfolders/${fid}/contacts/delta\\?\\$skiptoken=`));
      page = await req(t, "GET", next, undefined, prefer);
    }
    expect(seen.sort()).toEqual([...ids].sort());
    const deltaLink = String(page.json["@odata.deltaLink"]);
    expect(deltaLink).toMatch(/\/contacts\/delta\?\$deltatoken=/);
    expect(keys(page.json)).toEqual(keys(ref("07d-delta-round1-final-deltalink-resp.json")));

    await req(t, "PATCH", `/me/contactFolders/${fid}/contacts/${ids[0]}`, { jobTitle: "x" });
    await req(t, "DELETE", `/me/contacts/${ids[1]}`);
    const round2 = await req(t, "GET", deltaLink);
    const removedRef = (ref("07e-delta-round2-removed-resp.json") as { value: Record<string, unknown>[] })
      .value[0];
    const removed = round2.json.value?.find((c) => c["@removed"]);
    expect(keys(removed)).toEqual(keys(removedRef));
    expect(removed).toEqual({
      "@odata.type": "#microsoft.graph.contact",
      id: ids[1],
      "@removed": { reason: "deleted" },
    });
    expect(round2.json.value?.filter((c) => !c["@removed"]).map((c) => c.id)).toEqual([ids[0]]);

    graph.expireDeltaTokens(t);
    const gone = await req(t, "GET", String(round2.json["@odata.deltaLink"]));
    expect(gone.status).toBe(410);
    expect(gone.headers.get("location")).toContain("/contacts/delta");
    expect((await req(t, "GET", `/me/contactFolders/${fid}/contacts/delta?$deltatoken=garbage`)).status).toBe(
      410,
    );
  });
});

describe("photos", () => {
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );

  it("PUT/GET $value, metadata like the reference, 404 when none, 413 above 4 MB", async () => {
    const t = mailbox();
    const [id] = await seed(t, 1);
    const none = await req(t, "GET", `/me/contacts/${id}/photo/$value`);
    expect(none.status).toBe(404);
    expect((none.json.error as { code: string }).code).toBe("ErrorItemNotFound");
    const before = (await req(t, "GET", `/me/contacts/${id}`)).json.changeKey;
    // JPEG only (FIDELITY 17): a PNG is refused, a JPEG is stored re-encoded.
    const refused = await req(t, "PUT", `/me/contacts/${id}/photo/$value`, png, {
      "Content-Type": "image/png",
    });
    expect(refused.status).toBe(400);
    const jpg = Buffer.from(asJpeg({ contentType: "image/png", data: png }).data);
    const put = await req(t, "PUT", `/me/contacts/${id}/photo/$value`, jpg, { "Content-Type": "image/jpeg" });
    expect(put.status).toBe(200);
    expect((await req(t, "GET", `/me/contacts/${id}`)).json.changeKey).not.toBe(before);
    const got = await req(t, "GET", `/me/contacts/${id}/photo/$value`);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(got.raw.subarray(0, 2).toString("hex")).toBe("ffd8");
    expect(got.raw.equals(jpg)).toBe(false);
    const meta = await req(t, "GET", `/me/contacts/${id}/photo`);
    expect(keys(meta.json)).toEqual(keys(ref("10-photo-get-metadata-resp.json")));
    expect(meta.json).toMatchObject({
      id: "1X1",
      width: 1,
      height: 1,
      "@odata.mediaContentType": "image/jpeg",
    });
    const big = Buffer.alloc(4 * 1024 * 1024 + 1);
    const tooBig = await req(t, "PUT", `/me/contacts/${id}/photo/$value`, big, {
      "Content-Type": "image/jpeg",
    });
    expect(tooBig.status).toBe(413);
    const wrongType = await req(t, "PUT", `/me/contacts/${id}/photo/$value`, png, {
      "Content-Type": "text/plain",
    });
    expect(wrongType.status).toBe(400);
  });
});

describe("demo seed", () => {
  it("holds a few hundred unlinked contacts, exact matches included, never the unknown demo people", async () => {
    const demo = await startGraphEmulator({ seed: "demo" });
    try {
      const state = demo.inspect();
      expect(state.contacts.length).toBeGreaterThan(250);
      expect(state.contacts.length).toBeLessThan(400);
      expect(state.contacts.every((c) => Object.keys(c.extendedProperties).length === 0)).toBe(true);
      const mails = state.contacts.flatMap((c) =>
        c.emailAddresses.map((e) => (e.address ?? "").toLowerCase()),
      );
      expect(mails).toContain("anna.schmidt@mueller-bau.de");
      expect(mails).not.toContain("max.neumann@example.org");
      expect(mails).not.toContain("laura.bianchi@example.net");
      expect(state.contacts.filter((c) => c.photo).length).toBeGreaterThan(5);
      expect(state.contacts.some((c) => c.props.surname === null)).toBe(true);
    } finally {
      await demo.close();
    }
  });
});
