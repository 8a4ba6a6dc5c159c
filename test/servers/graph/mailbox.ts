/**
 * In-memory state of one emulated Outlook mailbox (contact folders, contacts with their single-value
 * extended properties and photos, a change sequence for delta) and the Graph routes on it.
 * `handleRoute` answers one request (already authenticated and admitted by the limiter in
 * emulator.ts) in Graph v1.0's JSON shapes; see docs/graph-emulator.md for the subset and the
 * evidence behind each behaviour (../shared/reference/graph/FIDELITY.md).
 */
import { randomBytes, randomUUID, createHash } from "node:crypto";
import jpeg from "jpeg-js";

export interface Folder {
  id: string;
  displayName: string;
  parentFolderId: string;
  /** "contacts" for the default folder (FIDELITY 1). */
  wellKnownName?: string;
}

export interface StoredPhoto {
  contentType: string;
  data: Buffer;
  etag: string;
  width: number;
  height: number;
}

/** Graph contact properties as stored (everything but the `@odata` keys and extended properties). */
export type ContactProps = Record<string, unknown>;

export interface StoredContact {
  /** Stable across moves: what `Prefer: IdType="ImmutableId"` returns (FIDELITY 3). */
  immutableId: string;
  /** `props.id` is the default (REST) id, which changes when the item moves. */
  props: ContactProps;
  /** Normalised id -> the property as written. */
  svep: Map<string, { id: string; value: string }>;
  photo: StoredPhoto | null;
  seq: number;
}

export interface Removal {
  /** The REST id the item had in that folder, and its immutable id. */
  id: string;
  immutableId: string;
  folderId: string;
  seq: number;
}

/** Behaviours whose evidence is a field report or unknown: both variants are offered. */
export interface MailboxModes {
  /** Extended property string values in list/delta replies cut to this length (FIDELITY 10). */
  truncateListProperties: number | null;
  /** Whether a PATCH that changes names without displayName recomputes it (FIDELITY 6). */
  displayNameOnRename: "recompute" | "keep";
}

export const DEFAULT_MODES: MailboxModes = { truncateListProperties: null, displayNameOnRename: "recompute" };

export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON value, a Buffer for binary, or null for no body. */
  body: unknown;
}

export interface RouteContext {
  /** e.g. https://localhost:1234/v1.0 (honours X-Forwarded-*). */
  base: string;
  /** The request path relative to base, e.g. "/me/contacts" (for nextLinks). */
  path: string;
  /** Lower-cased request headers. */
  headers: Record<string, string>;
}

/** Whether the request asked for immutable ids (`Prefer: IdType="ImmutableId"`). */
export function wantsImmutableIds(headers: Record<string, string>): boolean {
  return /IdType\s*=\s*"?ImmutableId"?/i.test(headers.prefer ?? "");
}

/** Multi-value limits of Outlook contacts (FIDELITY 4, microsoft-graph-docs issue 15276). */
const MULTI_VALUE_LIMITS: Record<string, [string, number]> = {
  emailAddresses: ["EmailAddresses", 3],
  businessPhones: ["BusinessPhones", 2],
  homePhones: ["HomePhones", 2],
};

const STRING_PROPS = [
  "fileAs",
  "displayName",
  "givenName",
  "initials",
  "middleName",
  "nickName",
  "surname",
  "title",
  "yomiGivenName",
  "yomiSurname",
  "yomiCompanyName",
  "generation",
  "jobTitle",
  "companyName",
  "department",
  "officeLocation",
  "profession",
  "businessHomePage",
  "assistantName",
  "manager",
  "mobilePhone",
  "spouseName",
  "personalNotes",
];
const ARRAY_PROPS = ["categories", "imAddresses", "homePhones", "businessPhones", "children"];
const ADDRESS_PROPS = ["homeAddress", "businessAddress", "otherAddress"];
const ADDRESS_KEYS = ["street", "city", "state", "countryOrRegion", "postalCode"];
/** Property order of a full GET (as in the reference contact-get response). */
const PROP_ORDER = [
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "changeKey",
  "categories",
  "parentFolderId",
  "birthday",
  "fileAs",
  "displayName",
  "givenName",
  "initials",
  "middleName",
  "nickName",
  "surname",
  "title",
  "yomiGivenName",
  "yomiSurname",
  "yomiCompanyName",
  "generation",
  "imAddresses",
  "jobTitle",
  "companyName",
  "department",
  "officeLocation",
  "profession",
  "businessHomePage",
  "assistantName",
  "manager",
  "homePhones",
  "mobilePhone",
  "businessPhones",
  "spouseName",
  "personalNotes",
  "children",
  "emailAddresses",
  "homeAddress",
  "businessAddress",
  "otherAddress",
];
const READ_ONLY = new Set(["id", "createdDateTime", "lastModifiedDateTime", "changeKey", "parentFolderId"]);

export const MAX_PHOTO_BYTES = 4 * 1024 * 1024;
const ODATA_JSON =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** Opaque base64-like Exchange-style id, e.g. "AAMkAGQ3...AAA=". */
export function newId(prefix = "AAMkAG"): string {
  return `${prefix}${randomBytes(48).toString("base64url")}AAA=`;
}

function newChangeKey(): string {
  return `EQAAABYAAAA${randomBytes(18).toString("base64")}`;
}

/** UTC, second precision, trailing Z. */
export function graphNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** innerError date: no Z, as in Graph's examples. */
function errorDate(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "");
}

export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  clientRequestId?: string,
): EmuResponse {
  return {
    status,
    headers: { "Content-Type": "application/json", ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: errorDate(),
          "request-id": randomUUID(),
          "client-request-id": clientRequestId ?? randomUUID(),
        },
      },
    },
  };
}

function ok(status: number, body: unknown, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { "Content-Type": ODATA_JSON, "OData-Version": "4.0", ...headers }, body };
}

const notFound = (): EmuResponse =>
  graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
const badRequest = (code: string, message: string): EmuResponse => graphError(400, code, message);

/**
 * Normalises an extended property id for matching: type and GUID/tag case-insensitive, the Name
 * part case-sensitive. Returns null for an unparseable id.
 */
export function normalizePropertyId(id: string): string | null {
  const named = /^\s*(\w+)\s+\{([0-9a-fA-F-]{36})\}\s+Name\s+(.+?)\s*$/i.exec(id);
  if (named) return `${named[1].toLowerCase()} {${named[2].toLowerCase()}} name ${named[3]}`;
  const numbered = /^\s*(\w+)\s+\{([0-9a-fA-F-]{36})\}\s+Id\s+(0x[0-9a-fA-F]+)\s*$/i.exec(id);
  if (numbered)
    return `${numbered[1].toLowerCase()} {${numbered[2].toLowerCase()}} id ${numbered[3].toLowerCase()}`;
  const tag = /^\s*(\w+)\s+(0x[0-9a-fA-F]+)\s*$/i.exec(id);
  if (tag) return `${tag[1].toLowerCase()} ${tag[2].toLowerCase()}`;
  return null;
}

function unquote(s: string): string {
  return s.replace(/''/g, "'");
}

type ContactFilter = (c: StoredContact) => boolean;

/** Parses the two `$filter` forms the emulator supports. */
export function parseFilter(filter: string): ContactFilter | null {
  const q = "'((?:[^']|'')*)'";
  const email = new RegExp(
    `^\\s*emailAddresses/any\\(\\s*(\\w+)\\s*:\\s*\\1/address\\s+eq\\s+${q}\\s*\\)\\s*$`,
    "i",
  ).exec(filter);
  if (email) {
    const wanted = unquote(email[2]).toLowerCase();
    return (c) =>
      (c.props.emailAddresses as { address?: string | null }[]).some(
        (e) => (e.address ?? "").toLowerCase() === wanted,
      );
  }
  const ep = new RegExp(
    `^\\s*singleValueExtendedProperties/any\\(\\s*(\\w+)\\s*:\\s*\\1/id\\s+eq\\s+${q}\\s+and\\s+\\1/value\\s+eq\\s+${q}\\s*\\)\\s*$`,
    "i",
  ).exec(filter);
  if (ep) {
    const key = normalizePropertyId(unquote(ep[2]));
    if (key === null) return null;
    const value = unquote(ep[3]).toLowerCase();
    return (c) => (c.svep.get(key)?.value ?? null)?.toLowerCase() === value;
  }
  return null;
}

/**
 * Parses `singleValueExtendedProperties($filter=id eq '...' or id eq '...')`; null = unsupported.
 * A bare `$expand=singleValueExtendedProperties` expands nothing: Graph has no way to get all
 * extended properties (FIDELITY 8, extended-properties-overview).
 */
export function parseExpand(expand: string): Set<string> | null {
  const m = /^\s*singleValueExtendedProperties(?:\(\s*\$filter\s*=\s*(.+)\))?\s*$/i.exec(expand);
  if (!m) return null;
  if (m[1] === undefined) return new Set();
  const keys = new Set<string>();
  for (const part of m[1].split(/\s+or\s+/i)) {
    const idm = /^\s*id\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(part);
    if (!idm) return null;
    const key = normalizePropertyId(unquote(idm[1]));
    if (key === null) return null;
    keys.add(key);
  }
  return keys;
}

/** Raw query string -> ordered [key, decodedValue] pairs ('+' stays '+'). */
export function parseQuery(raw: string): [string, string][] {
  if (!raw) return [];
  return raw
    .split("&")
    .filter((p) => p.length > 0)
    .map((p) => {
      const i = p.indexOf("=");
      const k = i < 0 ? p : p.slice(0, i);
      const v = i < 0 ? "" : p.slice(i + 1);
      try {
        return [decodeURIComponent(k), decodeURIComponent(v)];
      } catch {
        return [k, v];
      }
    });
}

function emptyContactProps(): ContactProps {
  const p: ContactProps = {};
  for (const k of PROP_ORDER) p[k] = null;
  for (const k of ARRAY_PROPS) p[k] = [];
  for (const k of ADDRESS_PROPS) p[k] = {};
  p.emailAddresses = [];
  p.fileAs = "";
  p.personalNotes = "";
  return p;
}

function computeDisplayName(p: ContactProps): string {
  const name = [p.givenName, p.middleName, p.surname]
    .filter((s) => typeof s === "string" && s.length > 0)
    .join(" ");
  if (name) return name;
  if (typeof p.companyName === "string" && p.companyName) return p.companyName;
  const first = (p.emailAddresses as { address?: string }[])[0];
  return first?.address ?? "";
}

/** Applies a POST/PATCH body onto props; returns an error response when the body is invalid. */
function applyBody(
  target: StoredContact,
  body: Record<string, unknown>,
  isCreate: boolean,
  modes: MailboxModes = DEFAULT_MODES,
): EmuResponse | null {
  const p = target.props;
  for (const [key, [name, max]] of Object.entries(MULTI_VALUE_LIMITS)) {
    const value = body[key];
    if (Array.isArray(value) && value.length > max)
      return badRequest(
        "ErrorInvalidArgument",
        `The multi value property ${name} has ${value.length} entries, that exceeds the max allowed value of ${max}`,
      );
  }
  let namesChanged = isCreate;
  let displayNameGiven = false;
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("@odata.")) continue;
    if (READ_ONLY.has(key)) continue;
    if (key === "singleValueExtendedProperties") {
      if (!Array.isArray(value))
        return badRequest("RequestBodyRead", "singleValueExtendedProperties must be an array.");
      for (const ep of value as { id?: unknown; value?: unknown }[]) {
        if (typeof ep?.id !== "string" || typeof ep.value !== "string")
          return badRequest("RequestBodyRead", "An extended property needs a string id and a string value.");
        const norm = normalizePropertyId(ep.id);
        if (norm === null)
          return badRequest("ErrorInvalidProperty", `The extended property id '${ep.id}' is invalid.`);
        target.svep.set(norm, { id: ep.id, value: ep.value });
      }
      continue;
    }
    if (STRING_PROPS.includes(key)) {
      if (value !== null && typeof value !== "string")
        return badRequest(
          "RequestBodyRead",
          `Cannot convert the literal for property '${key}' to Edm.String.`,
        );
      p[key] = value;
      if (key === "givenName" || key === "middleName" || key === "surname") namesChanged = true;
      if (key === "displayName") displayNameGiven = value !== null && value !== "";
      continue;
    }
    if (ARRAY_PROPS.includes(key)) {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
        return badRequest("RequestBodyRead", `Property '${key}' must be a collection of Edm.String.`);
      p[key] = [...(value as string[])];
      continue;
    }
    if (ADDRESS_PROPS.includes(key)) {
      if (value === null) {
        p[key] = {};
        continue;
      }
      if (typeof value !== "object" || Array.isArray(value))
        return badRequest("RequestBodyRead", `Property '${key}' must be a physicalAddress.`);
      const addr: Record<string, string | null> = {};
      for (const [ak, av] of Object.entries(value as Record<string, unknown>)) {
        if (!ADDRESS_KEYS.includes(ak))
          return badRequest(
            "RequestBodyRead",
            `The property '${ak}' does not exist on type 'microsoft.graph.physicalAddress'.`,
          );
        if (av !== null && typeof av !== "string")
          return badRequest("RequestBodyRead", `Address part '${ak}' must be a string.`);
        if (av !== null && av !== "") addr[ak] = av;
      }
      p[key] = addr;
      continue;
    }
    if (key === "emailAddresses") {
      if (!Array.isArray(value)) return badRequest("RequestBodyRead", "emailAddresses must be a collection.");
      const list: { name: string | null; address: string | null }[] = [];
      for (const e of value as { name?: unknown; address?: unknown }[]) {
        if (typeof e !== "object" || e === null)
          return badRequest("RequestBodyRead", "An emailAddress must be an object.");
        const address = typeof e.address === "string" ? e.address : null;
        const name = typeof e.name === "string" ? e.name : address;
        list.push({ name, address });
      }
      p.emailAddresses = list;
      continue;
    }
    if (key === "birthday") {
      if (value === null) {
        p.birthday = null;
        continue;
      }
      // Edm.DateTimeOffset (FIDELITY 5): a date-time with Z or an offset; stored and returned in UTC.
      const instant = typeof value === "string" ? parseDateTimeOffset(value) : null;
      if (instant === null)
        return badRequest(
          "RequestBodyRead",
          "Cannot convert the literal for property 'birthday' to Edm.DateTimeOffset.",
        );
      p.birthday = instant;
      continue;
    }
    return badRequest(
      "RequestBodyRead",
      `The property '${key}' does not exist on type 'microsoft.graph.contact'.`,
    );
  }
  if (p.fileAs === null) p.fileAs = "";
  const recompute = isCreate || modes.displayNameOnRename === "recompute";
  if (!displayNameGiven && namesChanged && recompute) p.displayName = computeDisplayName(p);
  return null;
}

/** An OData DateTimeOffset literal -> "YYYY-MM-DDTHH:MM:SSZ" in UTC; null when it is none. */
export function parseDateTimeOffset(value: string): string | null {
  // The docs' contact-update example sends a bare date: taken as midnight UTC.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return parseDateTimeOffset(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class Mailbox {
  readonly userId = randomUUID();
  readonly rootId = newId("AQMkAD");
  readonly folders = new Map<string, Folder>();
  /** Keyed by immutable id. */
  readonly contacts = new Map<string, StoredContact>();
  /** REST id -> immutable id. */
  private readonly restIndex = new Map<string, string>();
  readonly removals: Removal[] = [];
  readonly defaultFolderId: string;
  readonly deletedItemsId: string;
  modes: MailboxModes = { ...DEFAULT_MODES };
  seq = 0;
  /** Bumped by `expireDeltaTokens` (tests): older tokens give 410. */
  epoch = 1;
  inFlight = 0;
  windowStart = 0;
  windowCount = 0;

  constructor(readonly token: string) {
    this.defaultFolderId = newId("AQMkAD");
    this.deletedItemsId = newId("AQMkAD");
    this.folders.set(this.defaultFolderId, {
      parentFolderId: this.rootId,
      displayName: "Contacts",
      id: this.defaultFolderId,
      wellKnownName: "contacts",
    });
  }

  /** A contact by its immutable or its current REST id. */
  find(id: string): StoredContact | undefined {
    return this.contacts.get(id) ?? this.contacts.get(this.restIndex.get(id) ?? "");
  }

  /** Creates a contact directly (demo seed, tests); returns its immutable id. */
  seedContact(
    folderId: string,
    body: Record<string, unknown>,
    photo?: { contentType: string; data: Uint8Array },
  ): string {
    const res = this.createContact(folderId, body);
    if (res.status !== 201) throw new Error(`seedContact: ${JSON.stringify(res.body)}`);
    const id = (res.body as { id: string }).id;
    if (photo) this.setPhoto(id, Buffer.from(photo.data));
    return id;
  }

  createFolder(displayName: string, parentFolderId = this.defaultFolderId): Folder {
    const folder = { parentFolderId, displayName, id: newId("AAMkAD") };
    this.folders.set(folder.id, folder);
    return folder;
  }

  /**
   * Test-only: what a user does by dragging a contact into another folder in Outlook. The REST id
   * changes, the immutable id stays (FIDELITY 3); delta of the old folder reports a removal.
   */
  moveContact(id: string, folderId: string): void {
    const c = this.find(id);
    if (!c) throw new Error(`moveContact: no contact ${id}`);
    if (!this.folders.has(folderId) && folderId !== this.deletedItemsId)
      throw new Error(`moveContact: no folder ${folderId}`);
    const from = c.props.parentFolderId as string;
    this.removals.push({
      id: c.props.id as string,
      immutableId: c.immutableId,
      folderId: from,
      seq: ++this.seq,
    });
    this.restIndex.delete(c.props.id as string);
    c.props.id = newId();
    this.restIndex.set(c.props.id as string, c.immutableId);
    c.props.parentFolderId = folderId;
    this.touch(c);
  }

  private touch(c: StoredContact): void {
    c.props.changeKey = newChangeKey();
    c.props.lastModifiedDateTime = graphNow();
    c.seq = ++this.seq;
  }

  private createContact(folderId: string, body: Record<string, unknown>): EmuResponse {
    const c: StoredContact = {
      immutableId: newId("AAkALg"),
      props: emptyContactProps(),
      svep: new Map(),
      photo: null,
      seq: 0,
    };
    const err = applyBody(c, body, true, this.modes);
    if (err) return err;
    const now = graphNow();
    c.props.id = newId();
    c.props.createdDateTime = now;
    c.props.parentFolderId = folderId;
    this.touch(c);
    c.props.lastModifiedDateTime = now;
    this.contacts.set(c.immutableId, c);
    this.restIndex.set(c.props.id as string, c.immutableId);
    return { status: 201, headers: {}, body: { id: c.immutableId } };
  }

  /**
   * Stores a photo as Exchange does: only JPEG, re-encoded, so the bytes read back differ from the
   * upload (FIDELITY 17). Returns false when the bytes are not a readable JPEG.
   */
  private setPhoto(id: string, data: Buffer): boolean {
    const c = this.find(id);
    if (!c) return false;
    let stored: Buffer;
    let width: number;
    let height: number;
    const isJpeg = data.length > 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
    if (!isJpeg) return false; // e.g. PNG bytes: the caller answers 400
    try {
      const image = jpeg.decode(data, { useTArray: true, maxMemoryUsageInMB: 256 });
      width = image.width;
      height = image.height;
      stored = Buffer.from(jpeg.encode({ data: image.data, width, height }, 80).data);
    } catch (e) {
      void e;
      // A JPEG the decoder cannot read (e.g. a minimal test image): kept, but still not the
      // uploaded bytes (a comment segment after SOI), as Exchange never returns them unchanged.
      stored = Buffer.concat([
        data.subarray(0, 2),
        Buffer.from([0xff, 0xfe, 0x00, 0x0a]),
        Buffer.from("Exchange"),
        data.subarray(2),
      ]);
      width = 1;
      height = 1;
    }
    const etag = `"${createHash("sha1").update(stored).digest("hex").slice(0, 8).toUpperCase()}"`;
    c.photo = { contentType: "image/jpeg", data: stored, etag, width, height };
    this.touch(c);
    return true;
  }

  /** Moves to Deleted Items under a new REST id (as Exchange does), or removes it when already there. */
  private deleteContact(c: StoredContact): void {
    const from = c.props.parentFolderId as string;
    if (from === this.deletedItemsId) {
      this.contacts.delete(c.immutableId);
      this.restIndex.delete(c.props.id as string);
      this.removals.push({
        id: c.props.id as string,
        immutableId: c.immutableId,
        folderId: from,
        seq: ++this.seq,
      });
      return;
    }
    this.moveContact(c.immutableId, this.deletedItemsId);
  }

  /** The contact as Graph renders it (full or `$select`ed), optionally with expanded properties. */
  render(
    c: StoredContact,
    ctx: RouteContext,
    opts: {
      select?: string[] | null;
      expand?: Set<string> | null;
      entity?: boolean;
      type?: boolean;
      /** List replies: cut extended property values (mode `truncateListProperties`). */
      list?: boolean;
    } = {},
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const id = wantsImmutableIds(ctx.headers) ? c.immutableId : String(c.props.id);
    if (opts.entity) {
      const sel = opts.select ? `(${opts.select.join(",")})` : "";
      out["@odata.context"] = `${ctx.base}/$metadata#users('${this.userId}')/contacts${sel}/$entity`;
    }
    if (opts.type) out["@odata.type"] = "#microsoft.graph.contact";
    out["@odata.etag"] = `W/"${String(c.props.changeKey)}"`;
    const keys = opts.select ? PROP_ORDER.filter((k) => k === "id" || opts.select?.includes(k)) : PROP_ORDER;
    for (const k of keys) out[k] = k === "id" ? id : structuredClone(c.props[k]);
    if (opts.expand) {
      const cut = opts.list ? this.modes.truncateListProperties : null;
      const eps = [...c.svep.entries()]
        .filter(([k]) => (opts.expand as Set<string>).has(k))
        .map(([, v]) => ({ id: v.id, value: cut === null ? v.value : v.value.slice(0, cut) }));
      if (eps.length > 0) {
        out["singleValueExtendedProperties@odata.context"] =
          `${ctx.base}/$metadata#users('${this.userId}')/contacts('${encodeURIComponent(id)}')/singleValueExtendedProperties`;
        out.singleValueExtendedProperties = eps;
      }
    }
    return out;
  }

  private folderBody(folder: Folder): Record<string, unknown> {
    return { parentFolderId: folder.parentFolderId, displayName: folder.displayName, id: folder.id };
  }

  /** A folder by id or well-known name (`contacts`, case-insensitive). */
  private folderOf(idOrName: string): Folder | undefined {
    if (idOrName.toLowerCase() === "contacts") return this.folders.get(this.defaultFolderId);
    return this.folders.get(idOrName);
  }

  /** Answers one Graph request on this mailbox. `path` is relative to /v1.0, without query. */
  handleRoute(method: string, path: string, rawQuery: string, body: unknown, ctx: RouteContext): EmuResponse {
    // Real Graph decodes percent-encoded path segments (ids often end in "=" -> "%3D").
    const segs = path
      .split("/")
      .filter((s) => s.length > 0)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    const lower = segs.map((s) => s.toLowerCase());
    if (lower[0] !== "me")
      return graphError(400, "BadRequest", `Resource not found for the segment '${segs[0] ?? ""}'.`);
    const query = parseQuery(rawQuery);
    const defaultFolder = this.folders.get(this.defaultFolderId) as Folder;
    // /me/contacts...
    if (lower[1] === "contacts") {
      if (lower[2] === "delta" && segs.length === 3) {
        if (method !== "GET") return methodNotAllowed();
        return this.delta(defaultFolder, query, ctx, `${ctx.base}/me/contacts/delta`);
      }
      return this.contactRoutes(method, segs.slice(2), defaultFolder.id, query, rawQuery, body, ctx, true);
    }
    if (lower[1] === "contactfolders") {
      // GET /me/contactFolders lists the default folder's children, never the default folder (FIDELITY 1).
      if (segs.length === 2) return this.folderChildren(method, defaultFolder, body, ctx);
      let folder = this.folderOf(segs[2]);
      if (!folder) return notFound();
      let i = 3;
      while (lower[i] === "childfolders" && segs[i + 1] !== undefined) {
        const child = this.folders.get(segs[i + 1]);
        if (!child || child.parentFolderId !== folder.id) return notFound();
        folder = child;
        i += 2;
      }
      if (i === segs.length) {
        if (method === "DELETE") return this.deleteFolder(folder);
        if (method !== "GET") return methodNotAllowed();
        return ok(200, {
          "@odata.context": `${ctx.base}/$metadata#users('${this.userId}')/contactFolders/$entity`,
          ...this.folderBody(folder),
        });
      }
      if (lower[i] === "childfolders" && i === segs.length - 1)
        return this.folderChildren(method, folder, body, ctx);
      if (lower[i] === "contacts") {
        if (lower[i + 1] === "delta" && segs.length === i + 2) {
          if (method !== "GET") return methodNotAllowed();
          return this.delta(folder, query, ctx, `${ctx.base}/me/contactfolders/${folder.id}/contacts/delta`);
        }
        return this.contactRoutes(method, segs.slice(i + 1), folder.id, query, rawQuery, body, ctx, false);
      }
    }
    return graphError(400, "BadRequest", `Resource not found for the segment '${segs[1] ?? ""}'.`);
  }

  /**
   * DELETE of a user folder (contactfolder-delete): it and everything below it go to Deleted Items
   * (here: its contacts move there, the folders vanish). The default folder cannot be deleted.
   */
  private deleteFolder(folder: Folder): EmuResponse {
    if (folder.id === this.defaultFolderId)
      return graphError(403, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.");
    const doomed = new Set([folder.id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const f of this.folders.values())
        if (!doomed.has(f.id) && doomed.has(f.parentFolderId)) {
          doomed.add(f.id);
          grew = true;
        }
    }
    for (const c of [...this.contacts.values()])
      if (doomed.has(c.props.parentFolderId as string)) this.moveContact(c.immutableId, this.deletedItemsId);
    for (const id of doomed) this.folders.delete(id);
    return { status: 204, headers: {}, body: null };
  }

  /** GET lists / POST creates the child folders of `parent` (FIDELITY 2). */
  private folderChildren(method: string, parent: Folder, body: unknown, ctx: RouteContext): EmuResponse {
    if (method === "GET") {
      const value = [...this.folders.values()]
        .filter((f) => f.parentFolderId === parent.id)
        .map((f) => this.folderBody(f));
      return ok(200, {
        "@odata.context": `${ctx.base}/$metadata#users('${this.userId}')/contactFolders`,
        value,
      });
    }
    if (method === "POST") return this.postFolder(body, ctx, parent.id);
    return methodNotAllowed();
  }

  private postFolder(body: unknown, ctx: RouteContext, defaultParent: string): EmuResponse {
    const b = body as { displayName?: unknown; parentFolderId?: unknown } | null;
    if (!b || typeof b.displayName !== "string" || b.displayName.trim() === "")
      return badRequest("ErrorInvalidRequest", "The folder needs a displayName.");
    const parent = typeof b.parentFolderId === "string" ? b.parentFolderId : defaultParent;
    if (!this.folders.has(parent)) return notFound();
    const name = b.displayName;
    if (
      [...this.folders.values()].some(
        (f) => f.parentFolderId === parent && f.displayName.toLowerCase() === name.toLowerCase(),
      )
    )
      return graphError(409, "ErrorFolderExists", "A folder with the specified name already exists.");
    const folder = this.createFolder(name, parent);
    return ok(201, {
      "@odata.context": `${ctx.base}/$metadata#users('${this.userId}')/contactFolders/$entity`,
      ...this.folderBody(folder),
    });
  }

  private contactRoutes(
    method: string,
    rest: string[],
    folderId: string,
    query: [string, string][],
    rawQuery: string,
    body: unknown,
    ctx: RouteContext,
    anyFolderForItem: boolean,
  ): EmuResponse {
    const get = (k: string): string | undefined =>
      query.find(([qk]) => qk.toLowerCase() === k.toLowerCase())?.[1];
    const select = get("$select")
      ?.split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    let expand: Set<string> | null = null;
    const expandRaw = get("$expand");
    if (expandRaw !== undefined) {
      expand = parseExpand(expandRaw);
      if (expand === null)
        return badRequest(
          "BadRequest",
          `Parsing OData Select and Expand failed: '${expandRaw}' is not supported.`,
        );
    }
    if (rest.length === 0) {
      if (method === "GET") return this.list(folderId, get, select ?? null, expand, rawQuery, ctx);
      if (method === "POST") {
        if (!isObject(body)) return badRequest("RequestBodyRead", "A JSON object body is required.");
        const res = this.createContact(folderId, body);
        if (res.status !== 201) return res;
        const c = this.contacts.get((res.body as { id: string }).id) as StoredContact;
        return ok(201, this.render(c, ctx, { entity: true }));
      }
      return methodNotAllowed();
    }
    const c = this.find(rest[0]);
    if (!c || (!anyFolderForItem && c.props.parentFolderId !== folderId)) return notFound();
    const id = rest[0];
    if (rest.length === 1) {
      if (method === "GET")
        return ok(200, this.render(c, ctx, { entity: true, select: select ?? null, expand }));
      if (method === "PATCH") {
        if (!isObject(body)) return badRequest("RequestBodyRead", "A JSON object body is required.");
        const snapshot = { props: structuredClone(c.props), svep: new Map(c.svep) };
        const err = applyBody(c, body, false, this.modes);
        if (err) {
          c.props = snapshot.props;
          c.svep = snapshot.svep;
          return err;
        }
        this.touch(c);
        return ok(200, this.render(c, ctx, { entity: true }));
      }
      if (method === "DELETE") {
        this.deleteContact(c);
        return { status: 204, headers: {}, body: null };
      }
      return methodNotAllowed();
    }
    if (rest[1].toLowerCase() === "photo") {
      if (rest.length === 2) {
        if (method !== "GET") return methodNotAllowed();
        if (!c.photo) return notFound();
        return ok(200, {
          "@odata.context": `${ctx.base}/$metadata#users('${this.userId}')/contacts('${encodeURIComponent(id)}')/photo/$entity`,
          "@odata.id": `${ctx.base}/users('${this.userId}')/contacts('${encodeURIComponent(id)}')/photo`,
          "@odata.mediaContentType": c.photo.contentType,
          "@odata.mediaEtag": c.photo.etag,
          id: `${c.photo.width}X${c.photo.height}`,
          width: c.photo.width,
          height: c.photo.height,
        });
      }
      if (rest.length === 3 && rest[2] === "$value") {
        if (method === "GET") {
          if (!c.photo) return notFound();
          return {
            status: 200,
            headers: { "Content-Type": c.photo.contentType, ETag: c.photo.etag },
            body: c.photo.data,
          };
        }
        if (method === "PUT" || method === "PATCH") {
          // profilephoto-update: "Content-Type: image/jpeg. Required." A PNG gets 400 (FIDELITY 17).
          const type = (ctx.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
          const data = Buffer.isBuffer(body) ? body : null;
          if (!data || data.length === 0) return badRequest("ErrorInvalidRequest", "The photo is empty.");
          if (data.length > MAX_PHOTO_BYTES)
            return graphError(
              413,
              "ErrorRequestEntityTooLarge",
              "The photo exceeds the maximum size of 4 MB.",
            );
          if (type !== "image/jpeg" || !this.setPhoto(c.immutableId, data))
            return badRequest(
              "ErrorInvalidImage",
              "The photo must be a JPEG image (Content-Type: image/jpeg).",
            );
          return { status: 200, headers: {}, body: null };
        }
        return methodNotAllowed();
      }
    }
    return graphError(400, "BadRequest", `Resource not found for the segment '${rest[1]}'.`);
  }

  private list(
    folderId: string,
    get: (k: string) => string | undefined,
    select: string[] | null,
    expand: Set<string> | null,
    rawQuery: string,
    ctx: RouteContext,
  ): EmuResponse {
    const topRaw = get("$top");
    const skipRaw = get("$skip");
    const top = topRaw === undefined ? 10 : Number(topRaw);
    const skip = skipRaw === undefined ? 0 : Number(skipRaw);
    if (!Number.isInteger(top) || top < 0)
      return badRequest("BadRequest", `Invalid $top value '${topRaw ?? ""}'.`);
    if (!Number.isInteger(skip) || skip < 0)
      return badRequest("BadRequest", `Invalid $skip value '${skipRaw ?? ""}'.`);
    const pageSize = Math.min(top, 1000);
    let items = [...this.contacts.values()].filter((c) => c.props.parentFolderId === folderId);
    const filterRaw = get("$filter");
    if (filterRaw !== undefined) {
      const f = parseFilter(filterRaw);
      if (!f)
        return badRequest(
          "ErrorInvalidUrlQueryFilter",
          "The query filter contains one or more invalid nodes.",
        );
      items = items.filter(f);
    }
    const page = items.slice(skip, skip + pageSize);
    const pathPart = /^\/me\/contacts/i.test(ctx.path)
      ? "contacts"
      : `contactFolders('${folderId}')/contacts`;
    const sel = select ? `(${select.join(",")})` : "";
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.base}/$metadata#users('${this.userId}')/${pathPart}${sel}`,
    };
    body.value = page.map((c) => this.render(c, ctx, { select, expand, list: true }));
    if (skip + pageSize < items.length && pageSize > 0) {
      const parts = rawQuery.split("&").filter((p) => p.length > 0 && !/^(\$|%24)skip=/i.test(p));
      parts.push(`$skip=${skip + pageSize}`);
      body["@odata.nextLink"] = `${ctx.base}${ctx.path}?${parts.join("&")}`;
    }
    return ok(200, body);
  }

  /** Drops delta tokens handed out so far (tests: the next use of an old token gives 410). */
  expireDeltaTokens(): void {
    this.epoch++;
  }

  private delta(folder: Folder, query: [string, string][], ctx: RouteContext, link: string): EmuResponse {
    const get = (k: string): string | undefined =>
      query.find(([qk]) => qk.toLowerCase() === k.toLowerCase())?.[1];
    const skipToken = get("$skiptoken");
    const deltaToken = get("$deltatoken");
    const prefer = ctx.headers.prefer ?? "";
    const immutable = wantsImmutableIds(ctx.headers);
    const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
    let state: TokenState;
    const gone = (): EmuResponse =>
      graphError(
        410,
        "SyncStateNotFound",
        "The sync state is invalid or has expired; a full resync is required.",
        {
          Location: link,
        },
      );
    if (skipToken !== undefined || deltaToken !== undefined) {
      const decoded = decodeToken(skipToken ?? deltaToken ?? "");
      if (!decoded || decoded.e !== this.epoch || decoded.f !== folder.id) return gone();
      state = decoded;
      if (deltaToken !== undefined) state = { ...state, s: state.u, u: this.seq, o: 0 };
    } else {
      const sel = get("$select")
        ?.split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      state = { e: this.epoch, f: folder.id, s: 0, u: this.seq, o: 0, p: 10, sel: sel ?? null };
    }
    if (m) state.p = Math.max(1, Math.min(1000, Number(m[1])));
    const entries: { seq: number; item: Record<string, unknown> }[] = [];
    for (const c of this.contacts.values()) {
      if (c.props.parentFolderId === folder.id && c.seq > state.s && c.seq <= state.u)
        entries.push({ seq: c.seq, item: this.render(c, ctx, { select: state.sel, type: true }) });
    }
    if (state.s > 0) {
      for (const r of this.removals) {
        if (r.folderId === folder.id && r.seq > state.s && r.seq <= state.u) {
          const back = this.contacts.get(r.immutableId);
          const here = back && back.props.parentFolderId === folder.id;
          // Moved back in: with immutable ids it is the same item; with REST ids the old id is gone.
          if (here && (immutable || back.props.id === r.id)) continue;
          entries.push({
            seq: r.seq,
            item: {
              "@odata.type": "#microsoft.graph.contact",
              id: immutable ? r.immutableId : r.id,
              "@removed": { reason: "deleted" },
            },
          });
        }
      }
    }
    entries.sort((a, b) => a.seq - b.seq);
    const page = entries.slice(state.o, state.o + state.p).map((e) => e.item);
    const body: Record<string, unknown> = { "@odata.context": `${ctx.base}/$metadata#Collection(contact)` };
    if (state.o + state.p < entries.length) {
      body["@odata.nextLink"] = `${link}?$skiptoken=${encodeToken({ ...state, o: state.o + state.p })}`;
    } else {
      body["@odata.deltaLink"] = `${link}?$deltatoken=${encodeToken({ ...state, o: 0 })}`;
    }
    body.value = page;
    return ok(200, body, m ? { "Preference-Applied": `odata.maxpagesize=${state.p}` } : {});
  }
}

type TokenState = { e: number; f: string; s: number; u: number; o: number; p: number; sel: string[] | null };

function encodeToken(s: TokenState): string {
  return Buffer.from(JSON.stringify(s)).toString("base64url");
}

function decodeToken(t: string): TokenState | null {
  try {
    const v = JSON.parse(Buffer.from(t, "base64url").toString("utf8")) as TokenState;
    if (
      typeof v.e !== "number" ||
      typeof v.f !== "string" ||
      typeof v.s !== "number" ||
      typeof v.u !== "number"
    )
      return null;
    return v;
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function methodNotAllowed(): EmuResponse {
  return graphError(
    405,
    "Request_BadRequest",
    "Specified HTTP method is not allowed for the request target.",
  );
}
