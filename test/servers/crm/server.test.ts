/**
 * Reference CRM server specifics beyond the contract suite: demo data guarantees, the request
 * counter, a pluggable token verifier, persistence in a database file, and the CLI.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { demoData } from "../demo-data";
import { startCrmServer } from "./server";

jest.setTimeout(60_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe("demo data", () => {
  const data = demoData();
  const persons = data.contactPersons;

  test("is deterministic and sized as agreed", () => {
    const again = demoData();
    expect(JSON.stringify(again)).toBe(JSON.stringify(data));
    expect(data.businessPartners).toHaveLength(200);
    expect(persons).toHaveLength(2000);
    expect(new Set(persons.map((p) => p.id)).size).toBe(2000);
    expect(persons[0]?.id).toBe("cp-00001");
    expect(data.businessPartners[0]?.id).toBe("bp-0001");
  });

  test("contains the anchors and never the people unknown to the CRM", () => {
    expect(persons.find((p) => p.email === "anna.schmidt@mueller-bau.de")).toMatchObject({
      firstName: "Anna",
      lastName: "Schmidt",
      mobile: "+49 171 2345678",
      responsibleEmployee: "demo.user",
      businessPartnerId: "bp-0001",
    });
    expect(data.businessPartners[0]).toMatchObject({ name: "Müller Bau GmbH", address: { city: "München" } });
    expect(persons.find((p) => p.email === "jean.dupont@lumiere.fr")?.businessPartnerId).toBe("bp-0002");
    expect(data.businessPartners[1]).toMatchObject({ name: "Lumière SA", address: { city: "Paris" } });
    expect(persons.find((p) => p.email === "h.weber@weber-logistik.de")?.businessPartnerId).toBe("bp-0003");
    expect(data.businessPartners[2]).toMatchObject({
      name: "Weber Logistik AG",
      address: { city: "Hamburg" },
    });
    for (const p of persons) {
      expect(p.lastName).not.toMatch(/neumann|bianchi/i);
      expect(p.email ?? "").not.toMatch(/max\.neumann@example\.org|laura\.bianchi@example\.net/i);
    }
  });

  test("has the overlaps every duplicate status needs, photos, statuses and valid phones", () => {
    const shared = (key: (p: (typeof persons)[number]) => string | null) => {
      const counts = new Map<string, number>();
      for (const p of persons) {
        const k = key(p);
        if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return [...counts.values()].filter((n) => n > 1).length;
    };
    expect(shared((p) => p.email?.toLowerCase() ?? null)).toBeGreaterThan(5);
    expect(shared((p) => `${p.firstName} ${p.lastName}`)).toBeGreaterThan(5);
    expect(shared((p) => `${p.firstName} ${p.lastName} ${p.businessPartnerId}`)).toBeGreaterThan(5);
    expect(shared((p) => p.mobile)).toBeGreaterThan(5);
    const demoUser = persons.filter((p) => p.responsibleEmployee === "demo.user").length / persons.length;
    expect(demoUser).toBeGreaterThan(0.35);
    expect(demoUser).toBeLessThan(0.45);
    expect(persons.some((p) => p.status === "inactive")).toBe(true);
    expect(persons.some((p) => p.status === "deleted")).toBe(true);
    const withPhoto = persons.filter((p) => p.photo !== undefined);
    expect(withPhoto.length).toBeGreaterThan(50);
    for (const p of withPhoto) expect(p.hasPhoto).toBe(true);
    expect(withPhoto.some((p) => p.photo?.contentType === "image/jpeg")).toBe(true);
    for (const p of persons) {
      for (const phone of [p.phone, p.mobile, p.fax]) {
        if (phone !== null) expect(parsePhoneNumberFromString(phone, "DE")?.isPossible()).toBe(true);
      }
    }
    for (const bp of data.businessPartners) {
      for (const d of bp.emailDomains) expect(d).toBe(d.toLowerCase());
    }
  });
});

describe("server", () => {
  test("counts requests, answers /me and accepts a pluggable verifier", async () => {
    const server = await startCrmServer({
      port: 0,
      seed: "none",
      verifyToken: (token) => (token === "jwt-for-anna" ? { userId: "anna@contoso.com" } : null),
    });
    try {
      const me = await fetch(`${server.url}/me`, { headers: auth("jwt-for-anna") });
      expect(await me.json()).toEqual({ userId: "anna@contoso.com" });
      expect((await fetch(`${server.url}/me`, { headers: auth(server.token) })).status).toBe(401);
      expect(server.requestCount()).toBe(2);
      server.resetRequestCount();
      expect(server.requestCount()).toBe(0);
      const empty = await fetch(`${server.url}/business-partners`, { headers: auth("jwt-for-anna") });
      expect(await empty.json()).toEqual({ items: [], nextCursor: null });
    } finally {
      await server.close();
    }
  });

  test("deleted persons are hidden except from batch-get; inactive ones are visible but not looked up", async () => {
    const data = demoData();
    const deleted = data.contactPersons.find((p) => p.status === "deleted" && p.email !== null);
    const inactive = data.contactPersons.find((p) => p.status === "inactive" && p.email !== null);
    if (deleted === undefined || inactive === undefined)
      throw new Error("demo data lacks inactive/deleted persons");
    const server = await startCrmServer({ port: 0, seed: "demo", token: "t" });
    try {
      const get = (id: string) => fetch(`${server.url}/contact-persons/${id}`, { headers: auth("t") });
      const post = async (path: string, body: unknown) =>
        (await (
          await fetch(`${server.url}${path}`, {
            method: "POST",
            headers: { ...auth("t"), "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).json()) as { items: { id: string; status: string }[]; missing?: string[] };
      expect((await get(deleted.id)).status).toBe(404);
      const inactiveRead = await get(inactive.id);
      expect(inactiveRead.status).toBe(200);
      expect(await inactiveRead.json()).toMatchObject({ status: "inactive" });
      const batch = await post("/contact-persons/batch-get", { ids: [deleted.id, inactive.id] });
      expect(batch.items.map((p) => [p.id, p.status])).toEqual([
        [deleted.id, "deleted"],
        [inactive.id, "inactive"],
      ]);
      const found = await post("/contact-persons/lookup", { emails: [deleted.email, inactive.email] });
      expect(found.items.map((p) => p.id)).not.toContain(deleted.id);
      expect(found.items.map((p) => p.id)).not.toContain(inactive.id);
      const search = await fetch(
        `${server.url}/contact-persons?limit=500&businessPartnerId=${deleted.businessPartnerId}`,
        { headers: auth("t") },
      );
      const page = (await search.json()) as { items: { id: string }[] };
      expect(page.items.map((p) => p.id)).not.toContain(deleted.id);
    } finally {
      await server.close();
    }
  });

  test("a database file keeps its data across restarts and is seeded only once", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "crm-db-"));
    const db = path.join(dir, "crm.sqlite");
    try {
      const first = await startCrmServer({ port: 0, db, seed: "demo", token: "t" });
      const created = await fetch(`${first.url}/contact-persons`, {
        method: "POST",
        headers: { ...auth("t"), "content-type": "application/json", "idempotency-key": "persist-1" },
        body: JSON.stringify({ businessPartnerId: "bp-0001", lastName: "Persistent" }),
      });
      const person = (await created.json()) as { id: string };
      expect(person.id).toBe("cp-02001");
      await first.close();
      const second = await startCrmServer({ port: 0, db, seed: "demo", token: "t" });
      const read = await fetch(`${second.url}/contact-persons/${person.id}`, { headers: auth("t") });
      expect(read.status).toBe(200);
      const all = await fetch(`${second.url}/contact-persons/batch-get`, {
        method: "POST",
        headers: { ...auth("t"), "content-type": "application/json" },
        body: JSON.stringify({ ids: ["cp-02001", "cp-02002"] }),
      });
      expect(await all.json()).toMatchObject({ missing: ["cp-02002"] });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the CLI prints URL and token on one line and stops on SIGTERM", async () => {
    const root = path.resolve(__dirname, "../../..");
    const child = spawn(
      process.execPath,
      [
        require.resolve("tsx/cli"),
        "test/servers/crm/cli.ts",
        "--port",
        "0",
        "--seed",
        "none",
        "--token",
        "cli-token",
      ],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
      });
      child.on("exit", (code) => reject(new Error(`CLI exited early with ${code}`)));
    });
    expect(line).toMatch(/^CRM http:\/\/127\.0\.0\.1:\d+\/api\/v1 token cli-token$/);
    const url = line.split(" ")[1] ?? "";
    expect((await fetch(`${url}/me`, { headers: auth("cli-token") })).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
