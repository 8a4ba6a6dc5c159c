// The emulator's directory reads (FIDELITY 21; evidence in docs/graph-emulator.md): a group's
// transitive members, the OData cast, the permission the app needs, limited information without
// User.Read.All, paging, unknown groups.
import { startGraphEmulator, type GraphEmulatorHandle } from "./emulator";
import { insecureFetchOptions } from "./insecure-fetch";

jest.setTimeout(30_000);

const APP = "directory-app-token";
const READ_ALL = "directory-app-token-with-user-read";
const DENIED = "directory-app-token-without-groups";
let graph: GraphEmulatorHandle;

async function get(path: string, token = APP): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(path.startsWith("https://") ? path : `${graph.url}${path}`, {
    ...insecureFetchOptions(),
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const ids = (json: Record<string, unknown>) => (json.value as { id: string }[]).map((m) => m.id).sort();

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: "none" });
  for (const token of [APP, READ_ALL, DENIED]) graph.appOnly.addAppToken(token);
  graph.directory.grant(APP, { groupMembers: true });
  graph.directory.grant(READ_ALL, { groupMembers: true, users: true });
  graph.directory.addUser({ id: "u1", userPrincipalName: "anna@contoso.example", displayName: "Anna" });
  graph.directory.addGroup("sales", ["u1", "u2", "north"]);
  graph.directory.addGroup("north", ["u3", "u1", "sales"]); // nested, overlapping, even a cycle
});
afterAll(async () => {
  await graph.close();
});

test("transitive members: nested groups expanded, each member once, cast to users or groups", async () => {
  const all = await get("/groups/sales/transitiveMembers");
  expect(all.status).toBe(200);
  expect(ids(all.json)).toEqual(["north", "u1", "u2", "u3"]);
  expect(ids((await get("/groups/sales/transitiveMembers/microsoft.graph.user")).json)).toEqual([
    "u1",
    "u2",
    "u3",
  ]);
  expect(ids((await get("/groups/sales/transitiveMembers/microsoft.graph.group")).json)).toEqual(["north"]);
  const device = await get("/groups/sales/transitiveMembers/microsoft.graph.device");
  expect(device.status).toBe(400);
  expect((device.json.error as { code: string }).code).toBe("Request_UnsupportedQuery");
});

test("limited information without a permission to read users; full with it", async () => {
  const limited = await get("/groups/sales/transitiveMembers/microsoft.graph.user");
  expect((limited.json.value as Record<string, unknown>[]).find((m) => m.id === "u1")).toEqual({
    "@odata.type": "#microsoft.graph.user",
    id: "u1",
    displayName: null,
    userPrincipalName: null,
    mail: null,
  });
  const full = await get("/groups/sales/transitiveMembers/microsoft.graph.user", READ_ALL);
  expect((full.json.value as Record<string, unknown>[]).find((m) => m.id === "u1")).toMatchObject({
    userPrincipalName: "anna@contoso.example",
  });
});

test("pages with @odata.nextLink; 403 without GroupMember.Read.All; 404 for an unknown group", async () => {
  graph.directory.addGroup(
    "big",
    Array.from({ length: 250 }, (_, i) => `member-${i}`),
  );
  const seen: string[] = [];
  let next: string | undefined = "/groups/big/transitiveMembers/microsoft.graph.user?$top=100";
  let pages = 0;
  while (next) {
    const page = await get(next);
    expect(page.status).toBe(200);
    seen.push(...ids(page.json));
    next = page.json["@odata.nextLink"] as string | undefined;
    pages++;
  }
  expect(pages).toBe(3);
  expect(new Set(seen).size).toBe(250);
  expect((await get("/groups/big/transitiveMembers?$top=1000")).status).toBe(400);
  const denied = await get("/groups/sales/transitiveMembers", DENIED);
  expect(denied.status).toBe(403);
  expect((denied.json.error as { code: string }).code).toBe("Authorization_RequestDenied");
  const missing = await get("/groups/nobody/transitiveMembers");
  expect(missing.status).toBe(404);
  expect((missing.json.error as { code: string }).code).toBe("Request_ResourceNotFound");
});
