/**
 * The Graph conformance suite: checks, against any Microsoft Graph v1.0 endpoint (real tenant or the
 * emulator), every point of ../shared/reference/graph/FIDELITY.md the add-in relies on, and observes
 * the points where the evidence is mixed (field reports, unknown) so that an admin learns which
 * variant their tenant shows. It works only inside a folder it creates below the default Contacts
 * folder ("Conformance check <run>") and removes again; the default folder is only read.
 *
 * Every check adds a line to the report (`conformanceReport()`): `relied` lines fail the test when
 * they do not hold; `observed` lines record what the tenant does (the add-in copes with both).
 *
 * @example
 *   describe("my tenant", () => graphConformanceSuite(() => ({ baseUrl, token })));
 */
import { deflateSync } from "node:zlib";
import { graphHttp, IMMUTABLE, type GraphResponse, type GraphTarget } from "./http";

export interface ReportLine {
  point: number;
  assumption: string;
  kind: "relied" | "observed";
  held: boolean;
  detail: string;
}

const GUID = "8D4E2A71-3C9B-4F5E-A6D0-7B1C9E2F4A63";
const PROP = `String {${GUID}} Name ConformanceCheck`;
const expandProp = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${PROP}')`)}`;

/** A 2x2 PNG (no library: the suite stays independent of our code). */
function tinyPng(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer): number => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const rows = Buffer.from([0, 200, 30, 30, 30, 200, 30, 0, 30, 30, 200, 200, 200, 200]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(rows)),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

/** An 8x8 baseline JPEG (a colour ramp). */
const TINY_JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1R" +
    "V19iZ2hnPk1xeXBkeFxlZ2MBERISGBUYLxoaL2NCOEJjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj" +
    "Y2NjY2NjY2NjY//AABEIAAgACAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMF" +
    "BQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElK" +
    "U1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV" +
    "1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncA" +
    "AQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZ" +
    "WmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri" +
    "4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AAW3tRPNvMI5Z5H/2Q==",
  "base64",
);

/** Registers the conformance tests (jest globals) for the target returned by `target()`. */
export function graphConformanceSuite(target: () => GraphTarget): { report: () => ReportLine[] } {
  const { call, challenges } = graphHttp(target);
  const lines: ReportLine[] = [];
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  let folderId = "";
  let nestedId = "";
  let defaultId = "";

  const note = (line: Omit<ReportLine, "held"> & { held: boolean }): void => {
    lines.push(line);
  };
  const relied = (point: number, assumption: string, held: boolean, detail = ""): void => {
    note({ point, assumption, kind: "relied", held, detail });
    if (!held) throw new Error(`FIDELITY ${point} did not hold: ${assumption} (${detail})`);
  };
  const observed = (point: number, assumption: string, held: boolean, detail: string): void =>
    note({ point, assumption, kind: "observed", held, detail });
  const created = async (body: Record<string, unknown>, folder = folderId): Promise<GraphResponse> =>
    call("POST", `/me/contactFolders/${encodeURIComponent(folder)}/contacts`, { body, headers: IMMUTABLE });
  const idOf = (res: GraphResponse): string => String(res.json.id ?? "");

  beforeAll(async () => {
    const def = await call("GET", "/me/contactFolders/contacts");
    if (def.status !== 200) throw new Error(`GET /me/contactFolders/contacts answered ${def.status}`);
    defaultId = String(def.json.id);
    const folder = await call("POST", "/me/contactFolders", {
      body: { displayName: `Conformance check ${run}` },
    });
    if (folder.status !== 201) throw new Error(`Creating the test folder answered ${folder.status}`);
    folderId = String(folder.json.id);
  });

  afterAll(async () => {
    if (folderId) await call("DELETE", `/me/contactFolders/${encodeURIComponent(folderId)}`);
    if (challenges.length > 0)
      observed(
        19,
        "claims challenges were answered once with a new request",
        true,
        `statuses ${challenges.join(",")}`,
      );
  });

  describe("folders", () => {
    it("1: the default folder is reached by its well-known name and not listed by GET /me/contactFolders", async () => {
      const list = await call("GET", "/me/contactFolders?$top=100");
      relied(1, "GET /me/contactFolders/contacts returns the default folder", defaultId !== "", defaultId);
      const ids = (list.json.value ?? []).map((f) => String(f.id));
      observed(
        1,
        "GET /me/contactFolders does not list the default folder",
        !ids.includes(defaultId),
        `${ids.length} listed`,
      );
      relied(1, "the test folder is created below the default folder", ids.includes(folderId), "");
    });

    it("2: nested folders exist only under childFolders", async () => {
      const nested = await call("POST", `/me/contactFolders/${encodeURIComponent(folderId)}/childFolders`, {
        body: { displayName: "Nested" },
      });
      relied(
        2,
        "POST …/childFolders creates a nested folder (201)",
        nested.status === 201,
        String(nested.status),
      );
      nestedId = String(nested.json.id);
      const children = await call("GET", `/me/contactFolders/${encodeURIComponent(folderId)}/childFolders`);
      const childIds = (children.json.value ?? []).map((f) => String(f.id));
      relied(2, "GET …/childFolders lists it", childIds.includes(nestedId), `${childIds.length} children`);
      const top = await call("GET", "/me/contactFolders?$top=100");
      const topIds = (top.json.value ?? []).map((f) => String(f.id));
      relied(2, "GET /me/contactFolders does not list nested folders", !topIds.includes(nestedId), "");
      const viaId = await call("GET", `/me/contactFolders/${encodeURIComponent(nestedId)}/contacts?$top=1`);
      relied(
        2,
        "a nested folder's contacts are reached by its id",
        viaId.status === 200,
        String(viaId.status),
      );
    });
  });

  describe("contacts", () => {
    it("3: immutable ids are honoured; percent-encoded ids are decoded", async () => {
      const res = await created({ givenName: "Imm", surname: `Conformance ${run}` });
      relied(3, "a create with Prefer ImmutableId answers 201", res.status === 201, String(res.status));
      const immutable = idOf(res);
      const plain = await call("GET", `/me/contacts/${encodeURIComponent(immutable)}?$select=id`);
      relied(
        3,
        "GET by immutable id works without the Prefer header",
        plain.status === 200,
        String(plain.status),
      );
      const again = await call("GET", `/me/contacts/${encodeURIComponent(immutable)}?$select=id`, {
        headers: IMMUTABLE,
      });
      relied(3, "with the Prefer header the same id comes back", again.json.id === immutable, "");
      observed(3, "the default (REST) id differs from the immutable id", plain.json.id !== immutable, "");
      relied(3, "ids in paths may be percent-encoded", plain.status === 200, "");
    });

    it("4: multi-value limits: 3 e-mail addresses, 2 business phones", async () => {
      const mail = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ name: `m${i}`, address: `m${i}.${run}@conformance.test` }));
      const three = await created({ surname: `Mv ${run}`, emailAddresses: mail(3) });
      relied(4, "3 e-mail addresses are accepted", three.status === 201, String(three.status));
      const four = await created({ surname: `Mv ${run}`, emailAddresses: mail(4) });
      relied(4, "a 4th e-mail address is refused with 400", four.status === 400, String(four.status));
      const phones = await created({ surname: `Mv ${run}`, businessPhones: ["+1 1", "+1 2", "+1 3"] });
      relied(4, "a 3rd business phone is refused with 400", phones.status === 400, String(phones.status));
    });

    it("5: birthday is a DateTimeOffset; the add-in's calendar-date rule reads it back", async () => {
      const res = await created({ surname: `Bd ${run}`, birthday: "1980-02-29T00:00:00Z" });
      const got = await call("GET", `/me/contacts/${encodeURIComponent(idOf(res))}?$select=birthday`, {
        headers: IMMUTABLE,
      });
      const value = String(got.json.birthday ?? "");
      relied(5, "birthday comes back with a time part", /T\d{2}:\d{2}/.test(value), value);
      const date = new Date(Date.parse(value) + 12 * 3_600_000).toISOString().slice(0, 10);
      relied(5, "nearest-UTC-midnight rule gives the written date", date === "1980-02-29", date);
    });

    it("6: displayName on rename", async () => {
      const res = await created({ givenName: "Old", surname: `Dn ${run}` });
      const id = encodeURIComponent(idOf(res));
      const patched = await call("PATCH", `/me/contacts/${id}`, {
        body: { givenName: "New" },
        headers: IMMUTABLE,
      });
      const recomputed = String(patched.json.displayName ?? "").includes("New");
      observed(6, "a rename without displayName recomputes it", recomputed, String(patched.json.displayName));
      const sent = await call("PATCH", `/me/contacts/${id}`, {
        body: { givenName: "Newer", displayName: `Newer Dn ${run}` },
        headers: IMMUTABLE,
      });
      relied(
        6,
        "a displayName sent with the rename is kept",
        sent.json.displayName === `Newer Dn ${run}`,
        "",
      );
    });
  });

  describe("extended properties", () => {
    it("8-10: expand with $filter; bare $expand; filter by value; list length", async () => {
      const long = `{"v":1,"r":"${"x".repeat(580)}"}`;
      const res = await created({
        surname: `Ep ${run}`,
        singleValueExtendedProperties: [{ id: PROP, value: long }],
      });
      const id = encodeURIComponent(idOf(res));
      const one = await call("GET", `/me/contacts/${id}?${expandProp}`, { headers: IMMUTABLE });
      const props = (one.json.singleValueExtendedProperties ?? []) as { value?: string }[];
      relied(8, "$expand with $filter=id eq … returns the property", props[0]?.value === long, "");
      const bare = await call("GET", `/me/contacts/${id}?$expand=singleValueExtendedProperties`);
      const bareProps = (bare.json.singleValueExtendedProperties ?? []) as unknown[];
      relied(
        8,
        "a bare $expand does not return the property",
        bare.status >= 400 || bareProps.length === 0,
        String(bare.status),
      );
      const filter = `singleValueExtendedProperties/any(ep: ep/id eq '${PROP}' and ep/value eq '${long.toUpperCase()}')`;
      const byValue = await call(
        "GET",
        `/me/contactFolders/${encodeURIComponent(folderId)}/contacts?$filter=${encodeURIComponent(filter)}&$select=id`,
      );
      observed(
        9,
        "filtering on the value is case-insensitive",
        (byValue.json.value ?? []).length === 1,
        String(byValue.status),
      );
      const list = await call(
        "GET",
        `/me/contactFolders/${encodeURIComponent(folderId)}/contacts?$top=50&${expandProp}`,
      );
      const listed = (list.json.value ?? []).flatMap(
        (c) => (c.singleValueExtendedProperties ?? []) as { value?: string }[],
      );
      const length = listed[0]?.value?.length ?? 0;
      observed(
        10,
        "list replies return long values in full",
        length === long.length,
        `${length} of ${long.length} characters`,
      );
    });
  });

  describe("delta", () => {
    it("11-12: folder delta and /me/contacts/delta; expired state", async () => {
      const res = await created({ surname: `Dl ${run}` }, nestedId || folderId);
      const id = idOf(res);
      let next: string | null =
        `/me/contactFolders/${encodeURIComponent(nestedId || folderId)}/contacts/delta?$select=id`;
      const seen: string[] = [];
      let deltaLink = "";
      while (next) {
        const page: GraphResponse = await call("GET", next, {
          headers: { Prefer: `odata.maxpagesize=50, ${IMMUTABLE.Prefer}` },
        });
        relied(11, "folder delta answers 200", page.status === 200, String(page.status));
        seen.push(...(page.json.value ?? []).map((c) => String(c.id)));
        next = (page.json["@odata.nextLink"] as string | undefined) ?? null;
        deltaLink = (page.json["@odata.deltaLink"] as string | undefined) ?? deltaLink;
      }
      relied(
        11,
        "folder delta returns the folder's contact and a deltaLink",
        seen.includes(id) && deltaLink !== "",
        "",
      );
      const me = await call("GET", "/me/contacts/delta?$select=id", {
        headers: { Prefer: "odata.maxpagesize=1" },
      });
      relied(11, "/me/contacts/delta is accepted", me.status === 200, String(me.status));
      const token = encodeURIComponent("conformance-unknown-state");
      const gone = await call(
        "GET",
        `/me/contactFolders/${encodeURIComponent(folderId)}/contacts/delta?$deltatoken=${token}`,
      );
      observed(12, "an unknown delta state answers 410", gone.status === 410, String(gone.status));
    });
  });

  describe("batching", () => {
    it("14-15: 20 members; one dependsOn; members 5-20 throttled or not", async () => {
      const requests = Array.from({ length: 20 }, (_, i) => ({
        id: String(i + 1),
        method: "GET",
        url: `/me/contactFolders/${encodeURIComponent(folderId)}/contacts?$top=1&$select=id`,
      }));
      const batch = await call("POST", "/$batch", { body: { requests } });
      relied(14, "a batch of 20 answers 200", batch.status === 200, String(batch.status));
      const responses = (batch.json.responses ?? []) as { id: string; status: number }[];
      const throttledLate = responses.filter((r) => r.status === 429 && Number(r.id) > 4).length;
      const throttledEarly = responses.filter((r) => r.status === 429 && Number(r.id) <= 4).length;
      observed(
        15,
        "members 5-20 of a lone batch are not throttled (modern)",
        throttledLate === 0,
        `${throttledLate} of members 5-20 and ${throttledEarly} of members 1-4 answered 429`,
      );
      const over = await call("POST", "/$batch", {
        body: { requests: [...requests, { id: "21", method: "GET", url: "/me/contactFolders/contacts" }] },
      });
      relied(14, "a batch of 21 is refused with 400", over.status === 400, String(over.status));
      const two = await call("POST", "/$batch", {
        body: {
          requests: [
            { id: "1", method: "GET", url: "/me/contactFolders/contacts" },
            { id: "2", method: "GET", url: "/me/contactFolders/contacts" },
            { id: "3", method: "GET", url: "/me/contactFolders/contacts", dependsOn: ["1", "2"] },
          ],
        },
      });
      const refused =
        two.status === 400 ||
        ((two.json.responses ?? []) as { status: number }[]).some((r) => r.status === 400);
      observed(14, "a member depending on two others is refused", refused, String(two.status));
    });
  });

  describe("photos and errors", () => {
    it("17: JPEG uploads; PNG; bytes read back", async () => {
      const res = await created({ surname: `Ph ${run}` });
      const id = encodeURIComponent(idOf(res));
      const png = await call("PUT", `/me/contacts/${id}/photo/$value`, {
        raw: tinyPng(),
        contentType: "image/png",
      });
      observed(17, "a PNG upload is refused", png.status >= 400, String(png.status));
      const jpg = await call("PUT", `/me/contacts/${id}/photo/$value`, {
        raw: TINY_JPEG,
        contentType: "image/jpeg",
      });
      relied(17, "a JPEG upload succeeds", jpg.status === 200 || jpg.status === 204, String(jpg.status));
      const back = await call("GET", `/me/contacts/${id}/photo/$value`);
      relied(
        17,
        "the photo reads back as image/jpeg",
        back.contentType.startsWith("image/jpeg"),
        back.contentType,
      );
      observed(
        17,
        "the bytes read back differ from the upload",
        !Buffer.from(back.bytes).equals(TINY_JPEG),
        `${back.bytes.length} bytes`,
      );
    });

    it("18: error bodies carry code, message and innerError", async () => {
      const missing = await call("GET", `/me/contacts/${encodeURIComponent("AAMkAGconformancemissingAAA=")}`);
      const error = (missing.json.error ?? {}) as { code?: unknown; message?: unknown; innerError?: unknown };
      relied(
        18,
        "a missing contact answers 404 with Graph's error body",
        missing.status === 404 && typeof error.code === "string" && typeof error.message === "string",
        String(missing.status),
      );
    });
  });

  return { report: () => [...lines] };
}

/** The report as text: one line per check ("held", "NOT HELD" or the observed variant). */
export function formatReport(lines: ReportLine[]): string {
  const rows = [...lines].sort((a, b) => a.point - b.point);
  return rows
    .map((l) => {
      const verdict =
        l.kind === "relied" ? (l.held ? "held    " : "NOT HELD") : l.held ? "yes     " : "no      ";
      return `FIDELITY ${String(l.point).padStart(2)}  ${l.kind.padEnd(8)}  ${verdict}  ${l.assumption}${l.detail ? ` (${l.detail})` : ""}`;
    })
    .join("\n");
}
