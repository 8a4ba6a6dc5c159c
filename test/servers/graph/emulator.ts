/**
 * Graph contacts emulator: a local HTTPS server (self-signed certificate) with the subset of
 * Microsoft Graph v1.0 the add-in uses, in Graph's shapes, enforcing Outlook's per-mailbox limits
 * (4 requests in flight, a request quota per window) and injecting latency and faults on demand.
 * Behaviour, subset and known differences: docs/graph-emulator.md.
 *
 * @example
 *   const graph = await startGraphEmulator({ seed: "demo" });
 *   // GET `${graph.url}/me/contacts` with `Authorization: Bearer ${graph.token}`
 *   await graph.close();
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";
import {
  DEFAULT_MODES,
  graphError,
  Mailbox,
  type EmuResponse,
  type MailboxModes,
  type RouteContext,
} from "./mailbox";
import { NESTED_GRAPH_TOKEN, seedDemoMailbox, seedNestedMailbox } from "./demo-seed";
import { createDirectory, type Directory } from "./directory";
import { createAppOnlyRouting, type AppOnlyRouting } from "./app-only";

export interface GraphEmulatorOptions {
  port?: number;
  host?: string;
  seed?: "demo" | "none";
  /** Delay of every request (and batch member) while it holds a mailbox slot. */
  latencyMs?: number;
  /** Probability (0..1) that a request or batch member gets an injected fault. */
  faultRate?: number;
  faultSeed?: number;
  /** Quota window (default 600,000 ms) and requests allowed per window and mailbox (default 10,000). */
  windowMs?: number;
  quota?: number;
  /** Requests in flight per mailbox (default 4, as Outlook). */
  maxConcurrency?: number;
  /** Token of the demo mailbox (default "demo-graph-token"). */
  token?: string;
  /**
   * Batch throttling (FIDELITY 15): "modern" runs 4 members at a time (doc since 2023); "legacy"
   * answers members 5-20 of every batch 429 MailboxConcurrency (field reports 2018-2023).
   */
  batchThrottling?: "modern" | "legacy";
  /** Cut extended property values in list replies to this length (FIDELITY 10, unknown; EWS: 255). */
  truncateListProperties?: number | null;
  /** Whether a rename without displayName recomputes it (FIDELITY 6, unknown). */
  displayNameOnRename?: "recompute" | "keep";
  /**
   * Claims challenge (FIDELITY 19): the first request of each mailbox, and every `claimsChallengeEvery`
   * th after it, is answered 401 (CAE) or 403 (conditional access) with `insufficient_claims`.
   */
  claimsChallenge?: "401" | "403" | null;
  claimsChallengeEvery?: number;
}

export interface InspectedContact {
  /** The immutable id (what the add-in sees: it always sends `Prefer: IdType="ImmutableId"`). */
  id: string;
  /** The current REST id (changes on move). */
  restId: string;
  folderId: string;
  displayName: string | null;
  emailAddresses: { name: string | null; address: string | null }[];
  changeKey: string;
  extendedProperties: Record<string, string>;
  /** width/height: as decoded when stored (1x1 for a JPEG the emulator's decoder cannot read). */
  photo: { contentType: string; bytes: number; width: number; height: number } | null;
  props: Record<string, unknown>;
}

export interface InspectedMailbox {
  defaultFolderId: string;
  deletedItemsId: string;
  folders: { id: string; displayName: string; parentFolderId: string }[];
  contacts: InspectedContact[];
  inFlight: number;
}

export interface GraphEmulatorHandle {
  /** e.g. https://localhost:PORT/v1.0 */
  url: string;
  /** Token of the demo mailbox. */
  token: string;
  addMailbox(token: string): void;
  /** "METHOD /route-template" -> count (batch members under their own key too), plus "total". */
  requestCounts(): Record<string, number>;
  resetRequestCounts(): void;
  setFaults(o: { faultRate: number; faultSeed?: number }): void;
  setLatency(ms: number): void;
  /** Test-only: the mailbox's state (folders, contacts with extended properties and photos). */
  inspect(token?: string): InspectedMailbox;
  /** Concurrency 429s (MailboxConcurrency) answered so far, batch members included. */
  concurrencyRejections(): number;
  /** Test-only: delta tokens issued so far become invalid (next use -> 410). */
  expireDeltaTokens(token?: string): void;
  /**
   * App-only access (client credentials): `/users/{id}/...` routes, app tokens, grants per
   * mailbox, and per-mailbox counters (peak in flight, concurrency 429s). See app-only.ts.
   */
  appOnly: AppOnlyRouting;
  /** Groups and their members for app-only reads (`/groups/{id}/transitiveMembers`). See directory.ts. */
  directory: Directory;
  /** Test-only: the user moves a contact to another folder in Outlook (REST id changes). */
  moveContact(id: string, folderId: string, token?: string): void;
  /** Test-only: the mailbox's next request gets a claims challenge with this status. */
  challengeNext(status: 401 | 403, token?: string): void;
  /** Test-only: direct access to a mailbox (seeding contacts and folders). */
  mailbox(token?: string): Mailbox;
  /** The modes this emulator runs in (see GraphEmulatorOptions). */
  modes: Required<
    Pick<
      GraphEmulatorOptions,
      "batchThrottling" | "truncateListProperties" | "displayNameOnRename" | "claimsChallenge"
    >
  >;
  close(): Promise<void>;
}

export const DEMO_GRAPH_TOKEN = "demo-graph-token";
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_BATCH = 20;
const ODATA_JSON =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

type FaultKind = "429" | "503" | "504" | "reset" | "slow";
const TOP_FAULTS: FaultKind[] = ["429", "503", "504", "reset", "slow"];
const MEMBER_FAULTS: FaultKind[] = ["429", "503", "504", "slow"];

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KNOWN_SEGMENTS: Record<string, string> = {
  me: "me",
  contacts: "contacts",
  contactfolders: "contactFolders",
  photo: "photo",
  $value: "$value",
  delta: "delta",
  childfolders: "childFolders",
  $batch: "$batch",
  users: "users",
};

/** "GET /me/contactFolders/{id}/contacts" style key of a request path. */
export function routeTemplate(method: string, path: string): string {
  const segs = path.split("/").filter((s) => s.length > 0);
  return `${method} /${segs.map((s) => KNOWN_SEGMENTS[s.toLowerCase()] ?? "{id}").join("/")}`;
}

async function loadCertificate(): Promise<{ key: string; cert: string }> {
  const file = join(tmpdir(), "graph-emulator-cert-v1.json");
  if (existsSync(file)) {
    try {
      const cached = JSON.parse(readFileSync(file, "utf8")) as { key: string; cert: string; until: number };
      if (cached.until > Date.now() + 86_400_000) return cached;
    } catch (e) {
      void e; // corrupt cache: generate a new certificate below
    }
  }
  const notAfter = new Date(Date.now() + 365 * 86_400_000);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: notAfter,
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  } as Parameters<typeof generate>[1]);
  const result = { key: pems.private, cert: pems.cert, until: notAfter.getTime() };
  try {
    writeFileSync(file, JSON.stringify(result), { mode: 0o600 });
  } catch (e) {
    void e; // the cache is an optimisation only
  }
  return result;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

interface BatchMember {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** Starts the emulator; resolves once it listens. */
export async function startGraphEmulator(opts: GraphEmulatorOptions = {}): Promise<GraphEmulatorHandle> {
  const token = opts.token ?? DEMO_GRAPH_TOKEN;
  const windowMs = opts.windowMs ?? 600_000;
  const quota = opts.quota ?? 10_000;
  const maxConcurrency = opts.maxConcurrency ?? 4;
  let latencyMs = opts.latencyMs ?? 0;
  let faultRate = opts.faultRate ?? 0;
  let rand = prng(opts.faultSeed ?? 1);
  const mailboxes = new Map<string, Mailbox>();
  const counts = new Map<string, number>();
  let concurrencyRejections = 0;
  const modes: MailboxModes = {
    truncateListProperties: opts.truncateListProperties ?? DEFAULT_MODES.truncateListProperties,
    displayNameOnRename: opts.displayNameOnRename ?? DEFAULT_MODES.displayNameOnRename,
  };
  const legacyBatches = (opts.batchThrottling ?? "modern") === "legacy";
  const claimsStatus = opts.claimsChallenge ? Number(opts.claimsChallenge) : 0;
  const challengeEvery = opts.claimsChallengeEvery ?? 200;
  /** Per mailbox: requests until the next claims challenge (0 = the next one). */
  const challengeIn = new Map<Mailbox, { left: number; status: number }>();
  const newMailbox = (t: string): Mailbox => {
    const mb = new Mailbox(t);
    mb.modes = { ...modes };
    mailboxes.set(t, mb);
    if (claimsStatus) challengeIn.set(mb, { left: 0, status: claimsStatus });
    return mb;
  };

  const directory = createDirectory();
  // App-only users' mailboxes: same modes and claims challenges, but no delegated token of their own.
  const appOnly = createAppOnlyRouting(
    (t) => mailboxes.get(t),
    (key) => {
      const mb = new Mailbox(key);
      mb.modes = { ...modes };
      if (claimsStatus) challengeIn.set(mb, { left: 0, status: claimsStatus });
      return mb;
    },
  );
  const demo = newMailbox(token);
  if ((opts.seed ?? "none") === "demo") {
    seedDemoMailbox(demo);
    seedNestedMailbox(newMailbox(NESTED_GRAPH_TOKEN));
  }

  /** The claims challenge of Graph's errors page / CAE docs, when one is due for this mailbox. */
  const claimsChallenge = (mb: Mailbox, clientRequestId?: string): EmuResponse | null => {
    const due = challengeIn.get(mb);
    if (!due) return null;
    if (due.left > 0) {
      due.left--;
      return null;
    }
    if (claimsStatus) due.left = challengeEvery - 1;
    else challengeIn.delete(mb);
    const claims = Buffer.from('{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}').toString(
      "base64",
    );
    const header = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${claims}"`;
    return due.status === 403
      ? graphError(
          403,
          "Authorization_RequestDenied",
          "Access is denied by a conditional access policy: the token has insufficient claims.",
          { "WWW-Authenticate": header },
          clientRequestId,
        )
      : graphError(
          401,
          "InvalidAuthenticationToken",
          "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
          { "WWW-Authenticate": header },
          clientRequestId,
        );
  };

  const count = (key: string): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    counts.set("total", (counts.get("total") ?? 0) + 1);
  };
  const drawFault = (kinds: FaultKind[]): FaultKind | null => {
    if (faultRate <= 0) return null;
    if (rand() >= faultRate) return null;
    return kinds[Math.floor(rand() * kinds.length)] ?? null;
  };
  const injected = (kind: FaultKind, clientRequestId?: string): EmuResponse | null => {
    if (kind === "429")
      return graphError(
        429,
        "TooManyRequests",
        "Please retry again later.",
        { "Retry-After": "1" },
        clientRequestId,
      );
    if (kind === "503")
      return graphError(
        503,
        "ServiceUnavailable",
        "The service is temporarily unavailable.",
        { "Retry-After": "1" },
        clientRequestId,
      );
    if (kind === "504")
      return graphError(504, "GatewayTimeout", "The gateway timed out.", {}, clientRequestId);
    return null;
  };

  /** One Outlook request (top-level or batch member): quota, concurrency, fault, latency, route. */
  async function runUnit(
    mb: Mailbox,
    method: string,
    path: string,
    rawQuery: string,
    headers: Record<string, string>,
    body: unknown,
    ctxBase: string,
    fault: FaultKind | null,
    countPath = path,
  ): Promise<EmuResponse> {
    count(routeTemplate(method, countPath));
    const clientRequestId = headers["client-request-id"];
    const now = Date.now();
    if (now - mb.windowStart >= windowMs) {
      mb.windowStart = now;
      mb.windowCount = 0;
    }
    if (mb.windowCount >= quota) {
      const wait = Math.max(1, Math.ceil((mb.windowStart + windowMs - now) / 1000));
      return graphError(
        429,
        "ApplicationThrottled",
        "Application is over its MailboxRequestRate limit.",
        { "Retry-After": String(wait) },
        clientRequestId,
      );
    }
    mb.windowCount++;
    if (mb.inFlight >= maxConcurrency) {
      concurrencyRejections++;
      appOnly.noteRejection(mb);
      return graphError(
        429,
        "ApplicationThrottled",
        "Application is over its MailboxConcurrency limit.",
        { "Retry-After": "1" },
        clientRequestId,
      );
    }
    mb.inFlight++;
    appOnly.noteInFlight(mb);
    try {
      await sleep(latencyMs + (fault === "slow" ? Math.max(200, latencyMs * 4) : 0));
      if (fault) {
        const r = injected(fault, clientRequestId);
        if (r) return r;
      }
      const ctx: RouteContext = { base: ctxBase, path, headers };
      return mb.handleRoute(method, path, rawQuery, body, ctx);
    } finally {
      mb.inFlight--;
    }
  }

  async function runBatch(
    caller: Mailbox | null,
    appToken: string | null,
    raw: Buffer,
    base: string,
    headers: Record<string, string>,
  ): Promise<EmuResponse> {
    const clientRequestId = headers["client-request-id"];
    const bad = (message: string): EmuResponse => graphError(400, "BadRequest", message, {}, clientRequestId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      return bad("Invalid batch payload format.");
    }
    const requests = (parsed as { requests?: unknown })?.requests;
    if (!Array.isArray(requests) || requests.length === 0) return bad("Invalid batch payload format.");
    if (requests.length > MAX_BATCH)
      return bad(`Number of requests in the batch exceeds the maximum of ${MAX_BATCH}.`);
    const members = requests as BatchMember[];
    const ids = new Set<string>();
    for (const m of members) {
      if (typeof m?.id !== "string" || typeof m.method !== "string" || typeof m.url !== "string")
        return bad("Each request needs a string id, method and url.");
      if (ids.has(m.id)) return bad(`Batch request id '${m.id}' is not unique.`);
      if (m.body !== undefined && m.body !== null) {
        const ct = Object.entries(m.headers ?? {}).find(([k]) => k.toLowerCase() === "content-type");
        if (!ct) return bad(`Content-Type header must be specified for request '${m.id}' with a body.`);
      }
      // Known issues, JSON batching: a request may depend on only one other (FIDELITY 14).
      if ((m.dependsOn ?? []).length > 1)
        return bad(`Request '${m.id}' depends on more than one request; only one dependsOn is supported.`);
      for (const d of m.dependsOn ?? []) {
        if (!ids.has(d))
          return bad(`Request '${m.id}' depends on '${d}', which is not an earlier request of the batch.`);
      }
      ids.add(m.id);
    }
    const responses: unknown[] = [];
    const done = new Map<string, Promise<number>>();
    let slots = maxConcurrency;
    const waiters: (() => void)[] = [];
    const acquire = async (): Promise<void> => {
      if (slots > 0) {
        slots--;
        return;
      }
      await new Promise<void>((r) => waiters.push(r));
    };
    const release = (): void => {
      const next = waiters.shift();
      if (next) next();
      else slots++;
    };
    const runMember = async (m: BatchMember, index: number): Promise<number> => {
      const deps = await Promise.all((m.dependsOn ?? []).map((d) => done.get(d) as Promise<number>));
      let resp: EmuResponse;
      if (legacyBatches && index >= 4) {
        // Older tenants: members 5-20 of a batch are throttled (FIDELITY 15, field reports).
        count(routeTemplate(m.method.toUpperCase(), (m.url.split("?")[0] ?? "").replace(/^\/?v1\.0/i, "")));
        concurrencyRejections++;
        resp = graphError(
          429,
          "ApplicationThrottled",
          "Application is over its MailboxConcurrency limit.",
          { "Retry-After": "1" },
          clientRequestId,
        );
      } else if (deps.some((s) => s >= 400)) {
        resp = graphError(
          424,
          "FailedDependency",
          "The request depends on a request that failed.",
          {},
          clientRequestId,
        );
      } else {
        await acquire();
        try {
          const memberHeaders: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) memberHeaders[k.toLowerCase()] = String(v);
          let url = m.url.startsWith("/") ? m.url : `/${m.url}`;
          url = url.replace(/^\/v1\.0(?=\/)/i, "");
          const q = url.indexOf("?");
          const path = q < 0 ? url : url.slice(0, q);
          const rawQuery = q < 0 ? "" : url.slice(q + 1);
          let body: unknown = m.body;
          const ct = (memberHeaders["content-type"] ?? "").toLowerCase();
          if (ct.startsWith("image/") && typeof m.body === "string") body = Buffer.from(m.body, "base64");
          const target = appOnly.resolve(caller, appToken, path, clientRequestId);
          if ("error" in target) {
            count(routeTemplate(m.method.toUpperCase(), path));
            resp = target.error;
          } else {
            resp = appOnly.rewriteLinks(
              await runUnit(
                target.mailbox,
                m.method.toUpperCase(),
                target.path,
                rawQuery,
                memberHeaders,
                body,
                base,
                drawFault(MEMBER_FAULTS),
                path,
              ),
              base,
              target.prefix,
            );
          }
        } finally {
          release();
        }
      }
      const isError = resp.status >= 400;
      const outHeaders: Record<string, string> = isError
        ? { "Cache-Control": "no-cache", ...resp.headers }
        : {
            "Cache-Control": "no-cache",
            "OData-Version": "4.0",
            "Content-Type": ODATA_JSON,
            ...resp.headers,
          };
      let body = resp.body;
      if (Buffer.isBuffer(body)) body = body.toString("base64");
      responses.push({
        id: m.id,
        status: resp.status,
        headers: outHeaders,
        body: resp.status === 204 ? null : (body ?? null),
      });
      return resp.status;
    };
    members.forEach((m, i) => done.set(m.id, runMember(m, i)));
    await Promise.all(done.values());
    return {
      status: 200,
      headers: { "Content-Type": "application/json", "OData-Version": "4.0" },
      body: { responses },
    };
  }

  function send(res: ServerResponse, r: EmuResponse, requestId: string): void {
    const headers: Record<string, string> = { "request-id": requestId, ...r.headers };
    if (r.body === null || r.body === undefined) {
      res.writeHead(r.status, headers);
      res.end();
      return;
    }
    const payload = Buffer.isBuffer(r.body) ? r.body : Buffer.from(JSON.stringify(r.body));
    headers["Content-Length"] = String(payload.length);
    res.writeHead(r.status, headers);
    res.end(payload);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const clientRequestId = headers["client-request-id"];
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
    const body = await readBody(req);
    if (body === "too-large") {
      send(
        res,
        graphError(413, "ErrorRequestEntityTooLarge", "The request is too large.", {}, clientRequestId),
        requestId,
      );
      return;
    }
    if (!/^\/v1\.0(\/|$)/i.test(pathname)) {
      send(res, graphError(404, "BadRequest", "Invalid version: use /v1.0.", {}, clientRequestId), requestId);
      return;
    }
    const path = pathname.slice(5) || "/";
    const proto = (headers["x-forwarded-proto"] ?? "https").split(",")[0].trim();
    const host = (headers["x-forwarded-host"] ?? headers.host ?? "localhost").split(",")[0].trim();
    const prefix = (headers["x-forwarded-prefix"] ?? "").replace(/\/+$/, "");
    const base = `${proto}://${host}${prefix}/v1.0`;
    const auth = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "");
    const bearer = auth ? auth[1].trim() : "";
    const mb = auth ? mailboxes.get(bearer) : undefined;
    const appToken = appOnly.isAppToken(bearer) ? bearer : null;
    if (!mb && !appToken) {
      count(routeTemplate(req.method ?? "GET", path));
      send(
        res,
        graphError(
          401,
          "InvalidAuthenticationToken",
          auth ? "Access token validation failure. Invalid audience." : "Access token is empty.",
          { "WWW-Authenticate": 'Bearer realm="", error="invalid_token"' },
          clientRequestId,
        ),
        requestId,
      );
      return;
    }
    const method = (req.method ?? "GET").toUpperCase();
    const challenge = mb ? claimsChallenge(mb, clientRequestId) : null;
    if (challenge) {
      count(routeTemplate(method, path));
      send(res, challenge, requestId);
      return;
    }
    const fault = drawFault(TOP_FAULTS);
    let result: EmuResponse;
    if (path.toLowerCase() === "/$batch") {
      count("POST /$batch");
      if (method !== "POST") {
        result = graphError(
          405,
          "Request_BadRequest",
          "Specified HTTP method is not allowed for the request target.",
        );
      } else {
        await sleep(fault === "slow" ? Math.max(200, latencyMs * 4) : 0);
        const early = fault ? injected(fault, clientRequestId) : null;
        result = early ?? (await runBatch(mb ?? null, appToken, body, base, headers));
      }
    } else {
      let parsed: unknown = body;
      const ct = (headers["content-type"] ?? "").toLowerCase();
      if (ct.includes("json") && body.length > 0) {
        try {
          parsed = JSON.parse(body.toString("utf8"));
        } catch {
          send(
            res,
            graphError(400, "RequestBodyRead", "Invalid JSON in the request body.", {}, clientRequestId),
            requestId,
          );
          return;
        }
      } else if (body.length === 0) parsed = null;
      const fromDirectory = directory.handle(appToken, method, path, new URLSearchParams(rawQuery), base);
      const target = fromDirectory ? null : appOnly.resolve(mb ?? null, appToken, path, clientRequestId);
      if (fromDirectory || !target || "error" in target) {
        count(routeTemplate(method, path));
        result =
          fromDirectory ??
          (target && "error" in target ? target.error : graphError(500, "InternalServerError", "no route"));
      } else {
        result = appOnly.rewriteLinks(
          await runUnit(target.mailbox, method, target.path, rawQuery, headers, parsed, base, fault, path),
          base,
          target.prefix,
        );
      }
    }
    if (fault === "reset") {
      // The request was executed, but the client never learns the outcome.
      req.socket.destroy();
      return;
    }
    send(res, result, requestId);
  }

  const { key, cert } = await loadCertificate();
  const server = https.createServer({ key, cert }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        send(
          res,
          graphError(500, "InternalServerError", e instanceof Error ? e.message : String(e)),
          randomUUID(),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const mailboxOf = (t?: string): Mailbox => {
    const mb = mailboxes.get(t ?? token) ?? (t === undefined ? undefined : appOnly.mailbox(t));
    if (!mb) throw new Error(`Unknown mailbox token ${t ?? ""}`);
    return mb;
  };

  return {
    url: `https://localhost:${port}/v1.0`,
    token,
    addMailbox(t: string) {
      if (!mailboxes.has(t)) newMailbox(t);
    },
    modes: {
      batchThrottling: legacyBatches ? "legacy" : "modern",
      truncateListProperties: modes.truncateListProperties,
      displayNameOnRename: modes.displayNameOnRename,
      claimsChallenge: opts.claimsChallenge ?? null,
    },
    mailbox: (t?: string) => mailboxOf(t),
    moveContact(id: string, folderId: string, t?: string) {
      mailboxOf(t).moveContact(id, folderId);
    },
    challengeNext(status: 401 | 403, t?: string) {
      const mb = mailboxOf(t);
      const due = challengeIn.get(mb);
      if (due) {
        due.left = 0;
        due.status = status;
      } else challengeIn.set(mb, { left: 0, status });
    },
    requestCounts: () => Object.fromEntries(counts),
    resetRequestCounts: () => counts.clear(),
    concurrencyRejections: () => concurrencyRejections,
    setFaults(o) {
      faultRate = o.faultRate;
      rand = prng(o.faultSeed ?? 1);
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    inspect(t?: string): InspectedMailbox {
      const mb = mailboxOf(t);
      return {
        defaultFolderId: mb.defaultFolderId,
        deletedItemsId: mb.deletedItemsId,
        folders: [...mb.folders.values()].map((f) => ({ ...f })),
        inFlight: mb.inFlight,
        contacts: [...mb.contacts.values()].map((c) => ({
          id: c.immutableId,
          restId: String(c.props.id),
          folderId: String(c.props.parentFolderId),
          displayName: (c.props.displayName as string | null) ?? null,
          emailAddresses: structuredClone(c.props.emailAddresses) as InspectedContact["emailAddresses"],
          changeKey: String(c.props.changeKey),
          extendedProperties: Object.fromEntries([...c.svep.values()].map((v) => [v.id, v.value])),
          photo: c.photo
            ? {
                contentType: c.photo.contentType,
                bytes: c.photo.data.length,
                width: c.photo.width,
                height: c.photo.height,
              }
            : null,
          props: structuredClone(c.props),
        })),
      };
    },
    appOnly,
    directory,
    expireDeltaTokens(t?: string) {
      mailboxOf(t).expireDeltaTokens();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
