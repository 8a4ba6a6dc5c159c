/**
 * The `ContactStore` port on Microsoft Graph v1.0 personal contacts.
 *
 * - Reads page through `@odata.nextLink` with the link/fax extended properties `$expand`ed.
 * - Writes go in `$batch`es of up to 20 through one limiter per adapter instance (at most 4 Outlook
 *   requests in flight per mailbox; a batch takes one permit per member, capped at 4, because
 *   Graph executes a batch's members a few at a time). Members answered 429/503 are re-sent after
 *   their own Retry-After (the RetryHandler only sees the batch envelope, and is switched off for
 *   it, so that an envelope whose outcome is unknown is never blindly re-sent).
 * - Idempotent creates: when a create's outcome is unknown (connection reset, 504, envelope lost),
 *   the contact is looked up by the CRM id of its link via `$filter` on the extended property
 *   before it is sent again; only a create without a link can be duplicated in that case.
 * - Every failure is an `AppError`; bulk calls return one `Result` per input, in input order.
 *
 * @example
 *   const store = createGraphContactStore({ baseUrl: "https://graph.microsoft.com/v1.0", tokens });
 *   const [r] = await store.createContacts([{ folderId: null, contact: { surname: "Schmidt", link: { crmId: "cp-1", syncState: null } } }]);
 */
import { ResponseType, type FetchOptions } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { AppError, type Result } from "../../core/errors";
import type { ContactFolder, OutlookContact, Photo } from "../../core/model";
import type {
  BulkOptions,
  CallOptions,
  ContactCreate,
  ContactStore,
  ContactUpdate,
  DeltaResult,
  TokenProvider,
} from "../../core/ports";
import {
  crmIdFilter,
  EXPAND_PROPERTIES,
  fromGraphContact,
  fromGraphFolder,
  mergeWriteResult,
  toGraphBody,
} from "./contact-mapping";
import {
  appErrorFromStatus,
  createGraphClient,
  createLimiter,
  noRetry,
  type Limiter,
  parseRetryAfter,
  toAppError,
} from "./graph-client";

export interface GraphContactStoreOptions {
  /** Graph root incl. version, e.g. "https://graph.microsoft.com/v1.0". */
  baseUrl: string;
  tokens: TokenProvider;
  /** Outlook requests in flight per mailbox (default 4, Graph's limit). */
  maxInFlight?: number;
  /** Requests per `$batch` (default 20, Graph's maximum). */
  batchSize?: number;
  /** Attempts per item before a bulk write gives up on it (default 10). */
  maxAttempts?: number;
  /** Extra fetch options for every request (tests: a Node `dispatcher` trusting the emulator). */
  fetchOptions?: FetchOptions;
  /**
   * Whose contacts: `/me` (default, delegated token) or `/users/{id}` (app-only token; the sync
   * service). Every path of this store starts with it.
   */
  mailboxPath?: string;
  /**
   * The limiter every Outlook request goes through (default: `createLimiter(maxInFlight)`); the
   * service passes one that also honours the mailbox's quota shared by all its workers.
   */
  limiter?: Limiter;
}

const pageSchema = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

const batchReplySchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

const errorBodySchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
});

interface Member {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

type Outcome<T> =
  | { kind: "done"; result: Result<T> }
  | { kind: "retry"; afterSeconds: number; error: AppError }
  | { kind: "unknown"; error: AppError };

interface Op<T> {
  index: number;
  attempts: number;
  notBefore: number;
  /** A previous attempt's outcome is unknown (it may have been executed). */
  uncertain: boolean;
  member: Member;
  onSuccess(status: number, body: unknown): Result<T>;
  /** Whether this failed status means "maybe executed" (re-check before re-sending). */
  unknownOn?: (status: number) => boolean;
  /** Resolves an uncertain op before re-sending: a final result, or null to send again. */
  resolveUnknown?: () => Promise<Result<T> | null>;
  /** A final result for a failure status (e.g. 404 of a delete that may have succeeded). */
  onFailure?: (status: number, uncertain: boolean) => Result<T> | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function memberError(status: number, body: unknown, headers: Record<string, string> | undefined): AppError {
  const parsed = errorBodySchema.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  const message = parsed.success ? parsed.data.error.message : undefined;
  return appErrorFromStatus(status, code, message, parseRetryAfter(header(headers, "Retry-After")));
}

function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

function fail<T>(error: AppError): Result<T> {
  return { ok: false, error };
}

/** Creates the Graph-backed contact store (one limiter per instance = per signed-in mailbox). */
export function createGraphContactStore(options: GraphContactStoreOptions): ContactStore {
  const { client, relative } = createGraphClient({
    baseUrl: options.baseUrl,
    tokens: options.tokens,
    fetchOptions: options.fetchOptions,
  });
  const maxInFlight = options.maxInFlight ?? 4;
  const batchSize = Math.min(20, options.batchSize ?? 20);
  const maxAttempts = options.maxAttempts ?? 10;
  const limiter = options.limiter ?? createLimiter(maxInFlight);
  const me = (options.mailboxPath ?? "/me").replace(/\/+$/, "");
  const expand = `$expand=${encodeURIComponent(EXPAND_PROPERTIES)}`;
  const folderContacts = (folderId: string | null): string =>
    folderId === null ? `${me}/contacts` : `${me}/contactFolders/${folderId}/contacts`;

  /** One request through the limiter; network failures of idempotent requests are retried. */
  async function call<T>(fn: () => Promise<T>, opts: CallOptions | undefined, idempotent = true): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (opts?.signal?.aborted) throw new AppError("cancelled", "The operation was cancelled.");
      try {
        return await limiter.run(1, fn);
      } catch (e) {
        const err = toAppError(e);
        if (idempotent && err.code === "network" && attempt < 4) {
          await sleep(200 * attempt);
          continue;
        }
        throw err;
      }
    }
  }

  const getJson = (path: string, opts?: CallOptions, headers?: Record<string, string>): Promise<unknown> =>
    call(() => {
      let req = client.api(path);
      if (headers) req = req.headers(headers);
      if (opts?.signal) req = req.option("signal", opts.signal);
      return req.get() as Promise<unknown>;
    }, opts);

  function parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toAppError(e);
    }
  }

  async function listAll(path: string, opts?: CallOptions): Promise<unknown[]> {
    const items: unknown[] = [];
    let next: string | null = path;
    while (next !== null) {
      const json = await getJson(next, opts);
      const page = parse(() => pageSchema.parse(json));
      items.push(...page.value);
      const link = page["@odata.nextLink"];
      next = link ? relative(link) : null;
    }
    return items;
  }

  async function listFolders(opts?: CallOptions): Promise<ContactFolder[]> {
    const items = await listAll(`${me}/contactFolders?$top=100`, opts);
    return parse(() => items.map(fromGraphFolder));
  }

  /** The default Contacts folder: the listed folder whose parent is not a listed folder. */
  function defaultFolderOf(folders: ContactFolder[]): ContactFolder {
    const ids = new Set(folders.map((f) => f.id));
    const found =
      folders.find((f) => f.parentFolderId === null || !ids.has(f.parentFolderId)) ??
      folders.find((f) => f.displayName.toLowerCase() === "contacts");
    if (!found) throw new AppError("bad-response", "The mailbox has no default Contacts folder.");
    return found;
  }

  async function listContacts(folderId: string | null, opts?: CallOptions): Promise<OutlookContact[]> {
    const items = await listAll(`${folderContacts(folderId)}?$top=1000&${expand}`, opts);
    return parse(() => items.map(fromGraphContact));
  }

  async function findInFolder(
    folderId: string | null,
    crmId: string,
    opts?: CallOptions,
  ): Promise<OutlookContact[]> {
    const filter = `$filter=${encodeURIComponent(crmIdFilter(crmId))}`;
    const items = await listAll(`${folderContacts(folderId)}?${filter}&${expand}`, opts);
    return parse(() => items.map(fromGraphContact));
  }

  /** Runs single-request ops in `$batch`es; see the file header for the retry rules. */
  async function runOps<T>(ops: Op<T>[], opts?: BulkOptions, progress = true): Promise<Result<T>[]> {
    const results: (Result<T> | undefined)[] = new Array<Result<T> | undefined>(ops.length);
    let done = 0;
    const finish = (op: Op<T>, r: Result<T>): void => {
      results[op.index] = r;
      done++;
      if (progress) opts?.onProgress?.(done, ops.length);
    };
    let queue = [...ops];
    const requeue = (op: Op<T>, afterSeconds: number, error: AppError): void => {
      op.attempts++;
      if (op.attempts >= maxAttempts) finish(op, fail(error));
      else {
        op.notBefore = Date.now() + afterSeconds * 1000;
        queue.push(op);
      }
    };
    const apply = (op: Op<T>, outcome: Outcome<T>): void => {
      if (outcome.kind === "done") finish(op, outcome.result);
      else if (outcome.kind === "retry") requeue(op, outcome.afterSeconds, outcome.error);
      else {
        op.uncertain = true;
        requeue(op, 0.2, outcome.error);
      }
    };
    while (queue.length > 0) {
      if (opts?.signal?.aborted) {
        for (const op of queue) finish(op, fail(new AppError("cancelled", "The operation was cancelled.")));
        break;
      }
      const now = Date.now();
      const ready = queue.filter((o) => o.notBefore <= now).slice(0, batchSize);
      if (ready.length === 0) {
        await sleep(Math.min(...queue.map((o) => o.notBefore)) - now);
        continue;
      }
      queue = queue.filter((o) => !ready.includes(o));
      // Uncertain ops: look them up before sending them again.
      const toSend: Op<T>[] = [];
      for (const op of ready) {
        if (!op.uncertain || !op.resolveUnknown) {
          toSend.push(op);
          continue;
        }
        try {
          const r = await op.resolveUnknown();
          if (r) finish(op, r);
          else {
            op.uncertain = false;
            toSend.push(op);
          }
        } catch (e) {
          const err = toAppError(e);
          requeue(op, err.retryAfterSeconds ?? 0.5, err);
        }
      }
      if (toSend.length === 0) continue;
      const requests = toSend.map((op, i) => ({ id: String(i + 1), ...op.member }));
      let reply: unknown;
      try {
        reply = await limiter.run(
          requests.length,
          () => client.api("/$batch").middlewareOptions(noRetry()).post({ requests }) as Promise<unknown>,
        );
      } catch (e) {
        const err = toAppError(e);
        for (const op of toSend) {
          if (err.status === 429 || err.status === 503)
            apply(op, { kind: "retry", afterSeconds: err.retryAfterSeconds ?? 1, error: err });
          else if (err.code === "network" || err.code === "server")
            apply(op, { kind: "unknown", error: err });
          else finish(op, fail(err));
        }
        continue;
      }
      const parsed = batchReplySchema.safeParse(reply);
      if (!parsed.success) {
        const err = new AppError("bad-response", "Unexpected $batch reply.", { cause: parsed.error });
        for (const op of toSend) apply(op, { kind: "unknown", error: err });
        continue;
      }
      const answered = new Set<Op<T>>();
      for (const r of parsed.data.responses) {
        const op = toSend[Number(r.id) - 1];
        if (!op || answered.has(op)) continue;
        answered.add(op);
        if (r.status >= 200 && r.status < 300) {
          try {
            finish(op, op.onSuccess(r.status, r.body ?? null));
          } catch (e) {
            finish(op, fail(toAppError(e)));
          }
          continue;
        }
        const err = memberError(r.status, r.body, r.headers);
        const final = op.onFailure?.(r.status, op.uncertain);
        if (final) finish(op, final);
        else if (op.unknownOn?.(r.status)) apply(op, { kind: "unknown", error: err });
        else if (r.status === 429 || r.status === 503 || r.status === 504)
          apply(op, { kind: "retry", afterSeconds: err.retryAfterSeconds ?? 1, error: err });
        else finish(op, fail(err));
      }
      for (const op of toSend) {
        if (!answered.has(op))
          apply(op, {
            kind: "unknown",
            error: new AppError("bad-response", "The $batch reply lacks a response."),
          });
      }
    }
    return results.map((r) => r ?? fail(new AppError("unknown", "No result.")));
  }

  const getOp = (index: number, id: string): Op<OutlookContact> => ({
    index,
    attempts: 0,
    notBefore: 0,
    uncertain: false,
    member: { method: "GET", url: `${me}/contacts/${id}?${expand}` },
    onSuccess: (_s, body) => ok(fromGraphContact(body)),
  });

  return {
    listFolders,

    async ensureFolder(displayName, opts) {
      const folders = await listFolders(opts);
      if (displayName === null) return defaultFolderOf(folders);
      const find = (list: ContactFolder[]): ContactFolder | undefined =>
        list.find((f) => f.displayName.toLowerCase() === displayName.toLowerCase());
      const existing = find(folders);
      if (existing) return existing;
      try {
        const created = await call(
          () => client.api(`${me}/contactFolders`).post({ displayName }) as Promise<unknown>,
          opts,
          false,
        );
        return parse(() => fromGraphFolder(created));
      } catch (e) {
        const err = toAppError(e);
        if (err.code !== "conflict" && err.code !== "network" && err.code !== "server") throw err;
        // The folder exists (409) or may have been created (outcome unknown): look again.
        const again = find(await listFolders(opts));
        if (again) return again;
        throw err;
      }
    },

    listContacts,

    async listLinkedContacts(opts) {
      const folders = await listFolders(opts);
      const out: OutlookContact[] = [];
      for (const f of folders) out.push(...(await listContacts(f.id, opts)).filter((c) => c.link !== null));
      return out;
    },

    async findByCrmId(crmId, opts) {
      const folders = await listFolders(opts);
      const out: OutlookContact[] = [];
      for (const f of folders) out.push(...(await findInFolder(f.id, crmId, opts)));
      return out;
    },

    async getContact(id, opts) {
      const json = await getJson(`${me}/contacts/${id}?${expand}`, opts);
      return parse(() => fromGraphContact(json));
    },

    createContacts(items: ContactCreate[], opts?: BulkOptions) {
      const ops = items.map((item, index): Op<OutlookContact> => ({
        index,
        attempts: 0,
        notBefore: 0,
        uncertain: false,
        member: {
          method: "POST",
          url: folderContacts(item.folderId),
          headers: { "Content-Type": "application/json" },
          body: toGraphBody(item.contact),
        },
        onSuccess: (_s, body) => ok(mergeWriteResult(fromGraphContact(body), item.contact, null)),
        unknownOn: (status) => status === 504,
        resolveUnknown: async () => {
          const crmId = item.contact.link?.crmId;
          if (!crmId) return null; // nothing to look up by: sent again (may duplicate, see header)
          const found = await findInFolder(item.folderId, crmId, opts);
          return found.length > 0 ? ok(found[0]) : null;
        },
      }));
      return runOps(ops, opts);
    },

    async updateContacts(items: ContactUpdate[], opts?: BulkOptions) {
      const ops = items.map((item, index): Op<OutlookContact> => ({
        index,
        attempts: 0,
        notBefore: 0,
        uncertain: false,
        member: {
          method: "PATCH",
          url: `${me}/contacts/${item.id}`,
          headers: { "Content-Type": "application/json" },
          body: toGraphBody(item.patch),
        },
        onSuccess: (_s, body) =>
          ok(mergeWriteResult(fromGraphContact(body), item.patch, item.current ?? null)),
      }));
      const results = await runOps(ops, opts);
      // PATCH replies omit extended properties: re-read those whose link/fax neither the patch nor
      // the caller's `current` tells.
      const reread = items
        .map((item, i) => ({ item, i }))
        .filter(
          ({ item, i }) =>
            results[i].ok &&
            item.current === undefined &&
            (item.patch.link === undefined || item.patch.businessFax === undefined),
        );
      if (reread.length > 0) {
        // Without the signal: these PATCHes were executed, and a Cancel meanwhile must not turn
        // them into "cancelled" (the caller would count written contacts as not written). A few
        // short reads, like the export's final state write after Cancel.
        const again = await runOps(
          reread.map(({ item }, index) => getOp(index, item.id)),
          undefined,
          false,
        );
        reread.forEach(({ i }, k) => {
          results[i] = again[k];
        });
      }
      return results;
    },

    deleteContacts(ids: string[], opts?: BulkOptions) {
      const ops = ids.map((id, index): Op<void> => ({
        index,
        attempts: 0,
        notBefore: 0,
        uncertain: false,
        member: { method: "DELETE", url: `${me}/contacts/${id}` },
        onSuccess: () => ok(undefined),
        // A 404 after an attempt with unknown outcome means that attempt deleted it.
        onFailure: (status, uncertain) => (status === 404 && uncertain ? ok(undefined) : null),
        unknownOn: (status) => status === 504,
      }));
      return runOps(ops, opts);
    },

    async getPhoto(id, opts) {
      let res: Response;
      try {
        res = await call(
          () =>
            client
              .api(`${me}/contacts/${id}/photo/$value`)
              .responseType(ResponseType.RAW)
              .get() as Promise<Response>,
          opts,
        );
      } catch (e) {
        const err = toAppError(e);
        if (err.code === "not-found") return null;
        throw err;
      }
      if (res.status === 404) return null;
      if (!res.ok)
        throw appErrorFromStatus(
          res.status,
          undefined,
          res.statusText,
          parseRetryAfter(res.headers.get("Retry-After")),
        );
      const type = (res.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
      if (type !== "image/jpeg" && type !== "image/png")
        throw new AppError("photo-invalid", `Unsupported photo type ${type || "(none)"}.`);
      const photo: Photo = { contentType: type, data: new Uint8Array(await res.arrayBuffer()) };
      return photo;
    },

    async putPhoto(id, photo, opts) {
      // A Blob: the Graph client passes it to fetch as is (ArrayBuffer/typed arrays would go through
      // Node's Buffer, which browsers lack). Node 20 and browsers both have Blob.
      const bytes = new Blob([photo.data as Uint8Array<ArrayBuffer>], { type: photo.contentType });
      await call(
        () =>
          client
            .api(`${me}/contacts/${id}/photo/$value`)
            .header("Content-Type", photo.contentType)
            .put(bytes) as Promise<unknown>,
        opts,
      );
    },

    async delta(folderId, deltaLink, opts): Promise<DeltaResult> {
      let next: string | null = deltaLink
        ? relative(deltaLink)
        : `${me}/contactFolders/${folderId}/contacts/delta?$select=id`;
      const changedIds = new Set<string>();
      const removed = new Set<string>();
      let finalLink = "";
      while (next !== null) {
        const json = await getJson(next, opts, { Prefer: "odata.maxpagesize=200" });
        const page = parse(() => pageSchema.parse(json));
        for (const raw of page.value) {
          const item = raw as { id?: unknown; "@removed"?: unknown };
          if (typeof item.id !== "string") continue;
          if (item["@removed"] !== undefined) {
            removed.add(item.id);
            changedIds.delete(item.id);
          } else {
            changedIds.add(item.id);
            removed.delete(item.id);
          }
        }
        const nextLink = page["@odata.nextLink"];
        if (nextLink) next = relative(nextLink);
        else {
          finalLink = page["@odata.deltaLink"] ?? "";
          next = null;
        }
      }
      if (!finalLink) throw new AppError("bad-response", "The delta round ended without a deltaLink.");
      const ids = [...changedIds];
      const fetched = await runOps(
        ids.map((id, index) => getOp(index, id)),
        opts,
        false,
      );
      const changed: OutlookContact[] = [];
      fetched.forEach((r, i) => {
        if (r.ok) changed.push(r.value);
        else if (r.error.code === "not-found") removed.add(ids[i]);
        else throw r.error;
      });
      return { changed, removed: [...removed], deltaLink: finalLink };
    },
  };
}
