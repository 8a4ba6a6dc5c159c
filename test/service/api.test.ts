/**
 * The service API's security and behaviour over real HTTP, on an embedded PostgreSQL, with
 * Entra-style tokens signed by a local key (the service validates issuer, audience, signature,
 * expiry, scope and app role, as against Entra's JWKS).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { loadServiceConfig } from "../../service/config";
import { serviceTestEnv, TEST_AUDIENCE, TEST_ISSUER } from "./service-env";
import { createLogger } from "../../service/logger";
import { startSyncService, type SyncServiceHandle } from "../../service/sync-service";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../support/embedded-pg";

jest.setTimeout(60_000);

const ISSUER = TEST_ISSUER;
const AUDIENCE = TEST_AUDIENCE;
const ALICE = "aaaaaaaa-0000-4000-8000-000000000001";
const BOB = "bbbbbbbb-0000-4000-8000-000000000002";
const ADMIN = "cccccccc-0000-4000-8000-000000000003";

let pgHandle: EmbeddedPostgresHandle;
let service: SyncServiceHandle;
let base: string;
let dir: string;
let privateKey: CryptoKey;
let otherKey: CryptoKey;
const logLines: string[] = [];
const issuedTokens: string[] = [];

async function token(
  claims: Record<string, unknown>,
  options: { key?: CryptoKey; audience?: string; issuer?: string; expiresIn?: string } = {},
): Promise<string> {
  const t = await new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "10m")
    .sign(options.key ?? privateKey);
  issuedTokens.push(t);
  return t;
}

const userToken = (oid: string, upn: string): Promise<string> =>
  token({ oid, preferred_username: upn, scp: "Sync.ReadWrite" });

async function call(method: string, path: string, bearer?: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const ENDPOINTS: [string, string][] = [
  ["GET", "/api/me"],
  ["POST", "/api/me/enrollment"],
  ["DELETE", "/api/me/enrollment"],
  ["GET", "/api/me/sync-log"],
  ["POST", "/api/me/sync"],
  ["GET", `/api/mailboxes/${BOB}`],
  ["GET", "/api/admin/mailboxes"],
  ["POST", "/api/admin/enrollments"],
  ["POST", `/api/admin/mailboxes/${BOB}/sync`],
  ["GET", "/api/admin/groups"],
  ["DELETE", "/api/admin/groups/sales"],
  ["GET", "/admin"],
];
const ADMIN_ENDPOINTS = ENDPOINTS.filter(([, p]) => p.startsWith("/api/admin") || p === "/admin");

beforeAll(async () => {
  pgHandle = await startEmbeddedPostgres();
  dir = mkdtempSync(join(tmpdir(), "service-api-"));
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const jwksFile = join(dir, "jwks.json");
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  const config = loadServiceConfig(serviceTestEnv(pgHandle.url, { API_PORT: "0", API_JWKS: jwksFile }));
  service = await startSyncService(config, {
    work: false,
    log: createLogger("api-test", { out: (l) => logLines.push(l), err: (l) => logLines.push(l) }),
  });
  base = (service.api as { url: string }).url;
});

afterAll(async () => {
  await service?.stop();
  await pgHandle?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("every service endpoint is 401 without a token, or with a foreign, expired or misaddressed one", async () => {
  const bad = [
    undefined,
    "not-a-jwt",
    await token({ oid: ALICE, scp: "Sync.ReadWrite" }, { key: otherKey }),
    await token({ oid: ALICE, scp: "Sync.ReadWrite" }, { expiresIn: "-5m" }),
    await token({ oid: ALICE, scp: "Sync.ReadWrite" }, { audience: "api://someone-else" }),
    await token(
      { oid: ALICE, scp: "Sync.ReadWrite" },
      { issuer: "https://login.microsoftonline.com/evil/v2.0" },
    ),
  ];
  for (const [method, path] of ENDPOINTS) {
    for (const t of bad) {
      const res = await call(method, path, t, method === "POST" ? {} : undefined);
      expect([method, path, res.status]).toEqual([method, path, 401]);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  }
});

test("403 without the scope, for another user's mailbox, and for admin endpoints without the app role", async () => {
  const noScope = await token({ oid: ALICE, preferred_username: "alice@contoso.example", scp: "User.Read" });
  expect((await call("GET", "/api/me", noScope)).status).toBe(403);
  const alice = await userToken(ALICE, "alice@contoso.example");
  expect((await call("GET", `/api/mailboxes/${BOB}`, alice)).status).toBe(403);
  for (const [method, path] of ADMIN_ENDPOINTS) {
    const res = await call(method, path, alice, method === "POST" ? { users: [{ id: BOB }] } : undefined);
    expect([method, path, res.status]).toEqual([method, path, 403]);
  }
});

test("a user enrolls, sees only their own mailbox, queues a run and reads the service's log", async () => {
  const alice = await userToken(ALICE, "alice@contoso.example");
  const bob = await userToken(BOB, "bob@contoso.example");
  expect(await (await call("GET", "/api/me", alice)).json()).toEqual({ enrolled: false });
  const enrolled = await call("POST", "/api/me/enrollment", alice, {});
  expect(enrolled.status).toBe(201);
  const me = (await (await call("GET", "/api/me", alice)).json()) as {
    enrolled: boolean;
    mailbox: { mailboxId: string; upn: string; nextRunAt: string };
  };
  expect(me.enrolled).toBe(true);
  expect(me.mailbox).toMatchObject({ mailboxId: ALICE, upn: "alice@contoso.example" });
  expect(Date.parse(me.mailbox.nextRunAt)).toBeGreaterThan(Date.now() - 1000);
  expect((await call("GET", `/api/mailboxes/${ALICE}`, alice)).status).toBe(200);
  expect((await call("GET", `/api/mailboxes/${ALICE}`, bob)).status).toBe(403);
  expect((await call("POST", "/api/me/sync", bob, {})).status).toBe(404); // Bob is not enrolled
  const queued = await call("POST", "/api/me/sync", alice, {});
  expect(queued.status).toBe(202);
  expect(await (await call("GET", "/api/me/sync-log", alice)).json()).toEqual({ runs: [] });
  expect((await call("DELETE", "/api/me/enrollment", alice)).status).toBe(204);
  expect(await (await call("GET", "/api/me", alice)).json()).toEqual({ enrolled: false });
  expect((await call("POST", "/api/me/enrollment", alice, {})).status).toBe(201);
});

test("an admin enrolls a list, lists every mailbox and gets the admin view; health is JSON", async () => {
  const admin = await token({
    oid: ADMIN,
    preferred_username: "admin@contoso.example",
    roles: ["Sync.Admin"],
  });
  const bad = await call("POST", "/api/admin/enrollments", admin, { users: [{ upn: "no-id" }] });
  expect(bad.status).toBe(400);
  const res = await call("POST", "/api/admin/enrollments", admin, {
    users: [{ id: BOB, upn: "bob@contoso.example" }, { id: "dddddddd-0000-4000-8000-000000000004" }],
  });
  expect(res.status).toBe(201);
  expect(await res.json()).toEqual({ enrolled: 2 });
  const list = (await (await call("GET", "/api/admin/mailboxes", admin)).json()) as {
    mailboxes: { mailboxId: string; enrolledBy: string }[];
  };
  expect(list.mailboxes.map((m) => m.mailboxId).sort()).toEqual(
    [ALICE, BOB, "dddddddd-0000-4000-8000-000000000004"].sort(),
  );
  expect(list.mailboxes.find((m) => m.mailboxId === BOB)?.enrolledBy).toBe("admin:admin@contoso.example");
  expect((await call("GET", `/api/mailboxes/${ALICE}`, admin)).status).toBe(200);
  expect((await call("POST", `/api/admin/mailboxes/${BOB}/sync`, admin, {})).status).toBe(202);
  const page = await call("GET", "/admin", admin, undefined);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("bob@contoso.example");
  expect(html).toContain('<th scope="col">Next run</th>');
  const german = await fetch(`${base}/admin`, {
    headers: { authorization: `Bearer ${admin}`, "accept-language": "de-DE" },
  });
  expect(await german.text()).toContain("Nächster Lauf");
  const health = await call("GET", "/health");
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({
    status: "ok",
    database: "ok",
    mailboxes: { enrolled: 3, parked: 0 },
  });
});

test("no token or secret reaches the log", () => {
  const text = logLines.join("\n");
  expect(text.length).toBeGreaterThan(0);
  for (const t of issuedTokens) expect(text).not.toContain(t);
  expect(text).not.toContain("graph-secret-token");
  expect(text).not.toContain("crm-secret-token");
  expect(text).not.toContain(new URL(pgHandle.url).password);
});
