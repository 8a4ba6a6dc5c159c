/**
 * An admin enrolls an Entra group (issue 16, "an admin enrolls a group or a list"): its members,
 * nested groups included, are enrolled through the service API over real HTTP; a later read of the
 * group (the scheduler's refresh) enrolls a new member and ends the enrollment of one who left,
 * but never an enrollment the group did not make; Graph's refusals are clear answers that store
 * nothing. Graph is the emulator (directory reads, FIDELITY 21), the database an embedded PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { loadServiceConfig } from "../../service/config";
import { serviceTestEnv, TEST_AUDIENCE, TEST_ISSUER } from "./service-env";
import { refreshDueGroups } from "../../service/db/groups";
import { getMailbox } from "../../service/db/mailboxes";
import { listGroupUsers } from "../../service/graph/group-members";
import { createLogger } from "../../service/logger";
import { startSyncService, type SyncServiceHandle } from "../../service/sync-service";
import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { startGraphEmulator, type GraphEmulatorHandle } from "../servers/graph/emulator";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../support/embedded-pg";

jest.setTimeout(60_000);

const ISSUER = TEST_ISSUER;
const AUDIENCE = TEST_AUDIENCE;
const APP = "groups-test-app-token";
const INTERVAL_MS = 5 * 60_000;
let pgHandle: EmbeddedPostgresHandle;
let graph: GraphEmulatorHandle;
let service: SyncServiceHandle;
let base: string;
let dir: string;
let admin: string;
let user: string;

async function call(method: string, path: string, bearer: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function active(id: string): Promise<boolean | undefined> {
  return (await getMailbox(service.pool, id))?.active;
}

const readMembers = (groupId: string) =>
  listGroupUsers(
    {
      baseUrl: graph.url,
      tokens: createStaticTokenProvider({ crm: "unused", graph: APP }),
      fetchOptions: insecureFetchOptions(),
    },
    groupId,
  );

beforeAll(async () => {
  pgHandle = await startEmbeddedPostgres();
  graph = await startGraphEmulator({ seed: "none" });
  graph.appOnly.addAppToken(APP);
  graph.directory.grant(APP, { groupMembers: true }); // no User.Read.All: ids only
  graph.directory.addGroup("sales", ["u1", "u2", "north"]);
  graph.directory.addGroup("north", ["u3"]);
  graph.directory.addGroup("hidden", ["u9"]);
  dir = mkdtempSync(join(tmpdir(), "service-groups-"));
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwksFile = join(dir, "jwks.json");
  writeFileSync(
    jwksFile,
    JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" }] }),
  );
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
  admin = await sign({ oid: "admin-oid", preferred_username: "ines@contoso.example", roles: ["Sync.Admin"] });
  user = await sign({ oid: "u2", preferred_username: "ben@contoso.example", scp: "Sync.ReadWrite" });
  const config = loadServiceConfig(
    serviceTestEnv(pgHandle.url, {
      STATIC_GRAPH_TOKEN: APP,
      GRAPH_BASE_URL: graph.url,
      API_PORT: "0",
      API_JWKS: jwksFile,
    }),
  );
  service = await startSyncService(config, {
    work: false,
    graphFetchOptions: insecureFetchOptions(),
    log: createLogger("groups-test", { out: () => undefined, err: () => undefined }),
  });
  base = (service.api as { url: string }).url;
});

afterAll(async () => {
  await service?.stop();
  await graph?.close();
  await pgHandle?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("an admin enrolls a group: every member, nested groups included, each once", async () => {
  const res = await call("POST", "/api/admin/enrollments", admin, { groupId: "sales" });
  expect(res.status).toBe(201);
  expect(await res.json()).toEqual({ groupId: "sales", members: 3, enrolled: 3 });
  for (const id of ["u1", "u2", "u3"]) {
    const row = await getMailbox(service.pool, id);
    expect(row).toMatchObject({ active: true, enrolledBy: "group:sales" });
  }
  const groups = (await (await call("GET", "/api/admin/groups", admin)).json()) as { groups: unknown[] };
  expect(groups.groups).toEqual([
    expect.objectContaining({ groupId: "sales", memberCount: 3, lastError: null }),
  ]);
  // A user may not enroll groups.
  expect((await call("POST", "/api/admin/enrollments", user, { groupId: "sales" })).status).toBe(403);
});

test("the refresh enrolls a new member and ends a leaver's enrollment, not one the group did not make", async () => {
  // u4 enrolled themselves from the pane and is no member; u1 leaves; u5 joins the nested group.
  await service.pool.query(
    "INSERT INTO sync_mailbox (mailbox_id, enrolled_by) VALUES ('u4', 'self') ON CONFLICT DO NOTHING",
  );
  graph.directory.addGroup("sales", ["u2", "north"]);
  graph.directory.addGroup("north", ["u3", "u5"]);
  // Not due yet: nothing is read.
  expect(await refreshDueGroups(service.pool, readMembers, INTERVAL_MS, 60 * 60_000)).toEqual([]);
  await service.pool.query("UPDATE sync_group SET refresh_claimed_at = now() - interval '2 hours'");
  expect(await refreshDueGroups(service.pool, readMembers, INTERVAL_MS, 60 * 60_000)).toEqual(["sales"]);
  expect(await active("u1")).toBe(false);
  expect(await active("u5")).toBe(true);
  expect(await active("u2")).toBe(true);
  expect(await active("u4")).toBe(true);
  // A second worker refreshing at the same time finds nothing to claim.
  expect(await refreshDueGroups(service.pool, readMembers, INTERVAL_MS, 60 * 60_000)).toEqual([]);
});

test("a failed read changes nothing and is shown; unknown group 404; no permission 502; ending a group", async () => {
  graph.directory.grant(APP, { groupMembers: false });
  await service.pool.query("UPDATE sync_group SET refresh_claimed_at = now() - interval '2 hours'");
  await refreshDueGroups(service.pool, readMembers, INTERVAL_MS, 60 * 60_000);
  expect(await active("u2")).toBe(true);
  const groups = (await (await call("GET", "/api/admin/groups", admin)).json()) as {
    groups: { lastError: string | null }[];
  };
  expect(groups.groups[0]?.lastError).toBeTruthy();
  const denied = await call("POST", "/api/admin/enrollments", admin, { groupId: "hidden" });
  expect(denied.status).toBe(502);
  expect(((await denied.json()) as { detail: string }).detail).toContain("GroupMember.Read.All");
  expect(await getMailbox(service.pool, "u9")).toBeNull();
  graph.directory.grant(APP, { groupMembers: true });
  const unknown = await call("POST", "/api/admin/enrollments", admin, { groupId: "nobody" });
  expect(unknown.status).toBe(404);
  expect((await call("POST", "/api/admin/enrollments", admin, { groupId: "bad id!" })).status).toBe(400);

  expect((await call("DELETE", "/api/admin/groups/sales", admin)).status).toBe(204);
  expect(await active("u2")).toBe(false);
  expect(await active("u4")).toBe(true); // self-enrolled: untouched
  expect((await call("DELETE", "/api/admin/groups/sales", admin)).status).toBe(404);
});
