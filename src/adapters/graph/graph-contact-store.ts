/**
 * The `ContactStore` port on Microsoft Graph v1.0 personal contacts.
 *
 * - Folders: the default folder by its well-known name (`/me/contactFolders/contacts`; Graph never
 *   lists it), then the whole tree through `childFolders` (FIDELITY 1-2). Every request (and batch
 *   member) sends `Prefer: IdType="ImmutableId"`, so a contact keeps its id when moved.
 * - Reads page through `@odata.nextLink` with the link/fax extended properties `$expand`ed. A list
 *   reply may cut long extended property values (FIDELITY 10): a sync state that is not complete
 *   JSON is re-read by id (single GETs return the whole value).
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
import { AppError } from "../../core/errors";
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
  syncStateLooksCut,
  toGraphBody,
} from "./contact-mapping";
import { createBatchRunner, ok, sleep, type Op } from "./graph-batch";
import {
  appErrorFromStatus,
  createGraphClient,
  createLimiter,
  parseRetryAfter,
  type Limiter,
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
  /**
   * Converts a photo that is not a JPEG into one (Graph takes JPEG only, FIDELITY 17): in the pane
   * the webview's canvas (adapters/browser/canvas-jpeg), in Node the pure-JS `toJpeg`
   * (./photo-jpeg). Passed in, so the pane never bundles the pure-JS codec.
   */
  toJpeg: (photo: Photo) => Photo | Promise<Photo>;
}

const pageSchema = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

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
  const seg = (id: string): string => encodeURIComponent(id);
  const folderContacts = (folderId: string | null): string =>
    folderId === null ? `${me}/contacts` : `${me}/contactFolders/${seg(folderId)}/contacts`;

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

  /** The default Contacts folder, by its well-known name (FIDELITY 1). */
  async function defaultFolder(opts?: CallOptions): Promise<ContactFolder> {
    const json = await getJson(`${me}/contactFolders/contacts`, opts);
    return parse(() => fromGraphFolder(json));
  }

  async function childFolders(folderId: string, opts?: CallOptions): Promise<ContactFolder[]> {
    const items = await listAll(`${me}/contactFolders/${seg(folderId)}/childFolders?$top=100`, opts);
    return parse(() => items.map(fromGraphFolder));
  }

  /** The whole folder tree: the default folder first, then every folder below it (breadth first). */
  async function listFolders(opts?: CallOptions): Promise<ContactFolder[]> {
    const root = await defaultFolder(opts);
    const out = [root];
    const seen = new Set([root.id]);
    for (let i = 0; i < out.length; i++) {
      for (const child of await childFolders(out[i].id, opts)) {
        if (seen.has(child.id)) continue;
        seen.add(child.id);
        out.push(child);
      }
    }
    return out;
  }

  /** Parses list items; contacts whose sync state came back cut (not complete JSON) are re-read. */
  async function parseListed(items: unknown[], opts?: CallOptions): Promise<OutlookContact[]> {
    const contacts = parse(() => items.map(fromGraphContact));
    const cut = contacts.map((c, i) => ({ c, i })).filter(({ c }) => syncStateLooksCut(c.link?.syncState));
    if (cut.length === 0) return contacts;
    const again = await runOps(
      cut.map(({ c }, index) => getOp(index, c.id)),
      opts,
      false,
    );
    cut.forEach(({ i }, k) => {
      const r = again[k];
      if (r.ok) contacts[i] = r.value;
      else throw r.error;
    });
    return contacts;
  }

  async function listContacts(folderId: string | null, opts?: CallOptions): Promise<OutlookContact[]> {
    const items = await listAll(`${folderContacts(folderId)}?$top=1000&${expand}`, opts);
    return parseListed(items, opts);
  }

  async function findInFolder(
    folderId: string | null,
    crmId: string,
    opts?: CallOptions,
  ): Promise<OutlookContact[]> {
    const filter = `$filter=${encodeURIComponent(crmIdFilter(crmId))}`;
    const items = await listAll(`${folderContacts(folderId)}?${filter}&${expand}`, opts);
    return parseListed(items, opts);
  }

  const runOps = createBatchRunner({ client, limiter, batchSize, maxAttempts });

  const getOp = (index: number, id: string): Op<OutlookContact> => ({
    index,
    attempts: 0,
    notBefore: 0,
    uncertain: false,
    member: { method: "GET", url: `${me}/contacts/${seg(id)}?${expand}` },
    onSuccess: (_s, body) => ok(fromGraphContact(body)),
  });

  async function getPhoto(id: string, opts?: CallOptions): Promise<Photo | null> {
    let res: Response;
    try {
      res = await call(
        () =>
          client
            .api(`${me}/contacts/${seg(id)}/photo/$value`)
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
  }

  return {
    listFolders,

    async ensureFolder(displayName, opts) {
      if (displayName === null) return defaultFolder(opts);
      // A named folder lives directly below the default folder (POST /me/contactFolders creates it there).
      const topLevel = async (): Promise<ContactFolder[]> => {
        const items = await listAll(`${me}/contactFolders?$top=100`, opts);
        return parse(() => items.map(fromGraphFolder));
      };
      const find = (list: ContactFolder[]): ContactFolder | undefined =>
        list.find((f) => f.displayName.toLowerCase() === displayName.toLowerCase());
      const existing = find(await topLevel());
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
        const again = find(await topLevel());
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
      const json = await getJson(`${me}/contacts/${seg(id)}?${expand}`, opts);
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
          url: `${me}/contacts/${seg(item.id)}`,
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
        member: { method: "DELETE", url: `${me}/contacts/${seg(id)}` },
        onSuccess: () => ok(undefined),
        // A 404 after an attempt with unknown outcome means that attempt deleted it.
        onFailure: (status, uncertain) => (status === 404 && uncertain ? ok(undefined) : null),
        unknownOn: (status) => status === 504,
      }));
      return runOps(ops, opts);
    },

    getPhoto,

    async putPhoto(id, photo, opts) {
      // Graph takes JPEG only (FIDELITY 17): other types are converted first.
      const jpeg = photo.contentType === "image/jpeg" ? photo : await options.toJpeg(photo);
      // A Blob: the Graph client passes it to fetch as is (ArrayBuffer/typed arrays would go through
      // Node's Buffer, which browsers lack). Node 20 and browsers both have Blob.
      const bytes = new Blob([jpeg.data as Uint8Array<ArrayBuffer>], { type: "image/jpeg" });
      await call(
        () =>
          client
            .api(`${me}/contacts/${seg(id)}/photo/$value`)
            .header("Content-Type", "image/jpeg")
            .put(bytes) as Promise<unknown>,
        opts,
      );
      // Outlook re-encodes the photo: what it holds now is what later reads are compared with.
      const held = await getPhoto(id, opts);
      if (!held) throw new AppError("bad-response", "The uploaded photo cannot be read back.");
      return held;
    },

    async delta(folderId, deltaLink, opts): Promise<DeltaResult> {
      let next: string | null = deltaLink
        ? relative(deltaLink)
        : `${me}/contactFolders/${seg(folderId)}/contacts/delta?$select=id`;
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
        // With immutable ids a contact deleted meanwhile is found in Deleted Items: removed here.
        if (r.ok && r.value.parentFolderId !== folderId && r.value.parentFolderId !== "") removed.add(ids[i]);
        else if (r.ok) changed.push(r.value);
        else if (r.error.code === "not-found") removed.add(ids[i]);
        else throw r.error;
      });
      return { changed, removed: [...removed], deltaLink: finalLink };
    },
  };
}
