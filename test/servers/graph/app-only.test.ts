// The emulator's app-only access (FIDELITY 20; evidence in docs/graph-emulator.md): one app
// token, many mailboxes under /users/{id | upn}, /me refused, per-mailbox scope (403), links
// that stay under /users/{id}, per-mailbox limits and counters, $batch across mailboxes.
import { startGraphEmulator, type GraphEmulatorHandle } from "./emulator";
import { insecureFetchOptions } from "./insecure-fetch";

jest.setTimeout(30_000);

const APP = "app-only-test-token";
const A = "0a0a0a0a-0000-4000-8000-00000000000a";
const B = "0b0b0b0b-0000-4000-8000-00000000000b";
let graph: GraphEmulatorHandle;

async function req(
  method: string,
  path: string,
  body?: unknown,
  token = APP,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(path.startsWith("https://") ? path : `${graph.url}${path}`, {
    ...insecureFetchOptions(),
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: "none", maxConcurrency: 4 });
  graph.appOnly.addAppToken(APP);
  graph.appOnly.addUser(A, { upn: "anna@contoso.example" });
  graph.appOnly.addUser(B, { upn: "ben@contoso.example" });
});
afterAll(async () => {
  await graph.close();
});

test("one app token reaches each mailbox by id or UPN, and only that mailbox", async () => {
  const created = await req("POST", `/users/${A}/contacts`, { givenName: "Ada", surname: "Lovelace" });
  expect(created.status).toBe(201);
  const byUpn = await req("GET", `/users/anna@contoso.example/contacts/${String(created.json.id)}`);
  expect(byUpn.status).toBe(200);
  expect(byUpn.json.surname).toBe("Lovelace");
  const inB = await req("GET", `/users/${B}/contacts`);
  expect(inB.json.value).toEqual([]);
  expect(graph.inspect(A).contacts).toHaveLength(1);
  expect(graph.inspect(B).contacts).toHaveLength(0);
  expect(graph.requestCounts()["POST /users/{id}/contacts"]).toBe(1);
});

test("/me with an app token is 400; an unknown user 404; a mailbox out of the app's scope 403", async () => {
  const me = await req("GET", "/me/contacts");
  expect(me.status).toBe(400);
  expect(me.json.error).toMatchObject({
    code: "BadRequest",
    message: "/me request is only valid with delegated authentication flow.",
  });
  const unknown = await req("GET", "/users/nobody@contoso.example/contacts");
  expect(unknown.status).toBe(404);
  expect((unknown.json.error as { code: string }).code).toBe("ErrorInvalidUser");
  graph.appOnly.setAccess(APP, B, false);
  const denied = await req("GET", `/users/${B}/contactFolders`);
  expect(denied.status).toBe(403);
  expect((denied.json.error as { code: string }).code).toBe("ErrorAccessDenied");
  expect((await req("GET", `/users/${A}/contactFolders`)).status).toBe(200); // others unaffected
  graph.appOnly.setAccess(APP, B, true);
  expect((await req("GET", `/users/${B}/contactFolders`)).status).toBe(200);
  // A delegated token still has no /users route of its own.
  expect((await req("GET", `/users/${A}/contacts`, undefined, "unknown-token")).status).toBe(401);
});

test("paging and delta links stay under /users/{id}", async () => {
  for (let i = 0; i < 12; i++) await req("POST", `/users/${B}/contacts`, { surname: `P${i}` });
  const page = await req("GET", `/users/${B}/contacts?$top=5`);
  expect(String(page.json["@odata.nextLink"])).toContain(`/v1.0/users/${B}/contacts`);
  const folder = await req("GET", `/users/${B}/contactFolders/contacts`); // the default folder by its well-known name
  const folderId = String(folder.json.id);
  let link = `/users/${B}/contactFolders/${folderId}/contacts/delta`;
  let seen = 0;
  for (;;) {
    const r = await req("GET", link);
    seen += (r.json.value as unknown[]).length;
    const next = (r.json["@odata.nextLink"] ?? r.json["@odata.deltaLink"]) as string;
    expect(next).toContain(`/v1.0/users/${B}/contactfolders/`);
    if (r.json["@odata.deltaLink"]) break;
    link = next;
  }
  expect(seen).toBe(12);
});

test("$batch members address their own mailboxes; limits and counters are per mailbox", async () => {
  graph.appOnly.resetStats();
  graph.setLatency(100);
  try {
    const requests = [
      ...Array.from({ length: 6 }, (_, i) => ({
        id: `a${i}`,
        method: "GET",
        url: `/users/${A}/contactFolders`,
      })),
      ...Array.from({ length: 2 }, (_, i) => ({
        id: `b${i}`,
        method: "GET",
        url: `/users/${B}/contactFolders`,
      })),
      { id: "me", method: "GET", url: "/me/contacts" },
    ];
    const r = await req("POST", "/$batch", { requests });
    const statuses = Object.fromEntries(
      (r.json.responses as { id: string; status: number }[]).map((x) => [x.id, x.status]),
    );
    expect(statuses.me).toBe(400);
    expect(
      Object.entries(statuses)
        .filter(([id]) => id !== "me")
        .every(([, s]) => s === 200),
    ).toBe(true);
    // Direct requests beyond 4 in flight on one mailbox get MailboxConcurrency 429s; the other is untouched.
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => req("GET", `/users/${A}/contactFolders`)),
    );
    expect(burst.filter((x) => x.status === 429).length).toBeGreaterThan(0);
    expect(graph.appOnly.stats(A).concurrencyRejections).toBeGreaterThan(0);
    expect(graph.appOnly.stats(A).peakInFlight).toBe(4);
    expect(graph.appOnly.stats(B).concurrencyRejections).toBe(0);
    expect(graph.appOnly.stats(B).requests).toBe(2);
  } finally {
    graph.setLatency(0);
  }
});
