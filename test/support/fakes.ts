/**
 * In-memory fakes of every port of src/core/ports.ts, for unit tests of the UI and of core only
 * (integration and e2e tests use the real stand-ins over HTTP). They follow the port contracts:
 * bulk methods return one Result per input in input order, every rejection is an AppError, an
 * aborted signal rejects with "cancelled", data handed in or out is copied (a test cannot change
 * the fake's state by mutating a returned object). Every port call is counted per method in
 * `calls`; the seeding/"user did something" helpers are not counted.
 *
 * @example
 *   const crm = new FakeCrm({ businessPartners: [aPartner({ id: "bp-1" })],
 *     contactPersons: [aPerson({ id: "cp-1", businessPartnerId: "bp-1", lastName: "Schmidt" })] });
 *   await crm.lookup({ emails: [], phones: [], lastNames: ["schmidt"] }); // [cp-1]
 *   crm.calls.lookup; // 1
 *   crm.failNext("updateContactPerson", new AppError("server", "boom"));
 */
import { AppError, type Result } from "../../src/core/errors";
import type {
  BusinessPartner,
  ContactFolder,
  ContactPerson,
  ContactPersonInput,
  ContactPersonPatch,
  MailPerson,
  OutlookContact,
  OutlookContactFields,
  Photo,
} from "../../src/core/model";
import { normalizeEmail, normalizeName, normalizePhone } from "../../src/core/normalize";
import type {
  BulkOptions,
  CallOptions,
  ContactCreate,
  ContactPersonQuery,
  ContactStore,
  ContactUpdate,
  CrmClient,
  DeltaResult,
  LookupKeys,
  Mailbox,
  Page,
  PageQuery,
  SettingsStore,
  TokenProvider,
  TokenResource,
} from "../../src/core/ports";

// ---------------------------------------------------------------------------------------------
// shared helpers

const copy = <T>(value: T): T => structuredClone(value);

function checkSignal(options?: { signal?: AbortSignal }): void {
  if (options?.signal?.aborted) throw new AppError("cancelled", "The operation was aborted");
}

/** A deterministic clock: every call is one second after the previous one. */
export function tickingClock(start = "2026-01-01T00:00:00.000Z"): () => string {
  let t = Date.parse(start);
  return () => {
    const now = new Date(t).toISOString();
    t += 1000;
    return now;
  };
}

/** One counter per method name, all starting at 0. */
function callCounter<M extends string>(methods: readonly M[]): Record<M, number> {
  return Object.fromEntries(methods.map((m) => [m, 0])) as Record<M, number>;
}

function resetCounter(counter: Record<string, number>): void {
  for (const key of Object.keys(counter)) counter[key] = 0;
}

const CRM_METHODS = [
  "searchBusinessPartners",
  "getBusinessPartner",
  "searchContactPersons",
  "getContactPerson",
  "createContactPerson",
  "updateContactPerson",
  "getPhoto",
  "putPhoto",
  "lookup",
  "findCreated",
  "batchGet",
] as const satisfies readonly (keyof CrmClient)[];

const STORE_METHODS = [
  "listFolders",
  "ensureFolder",
  "listContacts",
  "listLinkedContacts",
  "findByCrmId",
  "getContact",
  "createContacts",
  "updateContacts",
  "deleteContacts",
  "getPhoto",
  "putPhoto",
  "delta",
] as const satisfies readonly (keyof ContactStore)[];

/** Queued failures per method: the next call(s) of that method reject with the given error. */
class FailureQueue<M extends string> {
  private readonly queued = new Map<M, AppError[]>();
  add(method: M, error: AppError, times: number): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(error);
    this.queued.set(method, list);
  }
  take(method: M): void {
    const error = this.queued.get(method)?.shift();
    if (error) throw error;
  }
}

function paginate<T>(all: T[], query: PageQuery, defaultLimit = 50): Page<T> {
  const start = query.cursor ? Number.parseInt(query.cursor, 10) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new AppError("validation", "Invalid cursor", { field: "cursor" });
  const limit = Math.max(1, Math.min(query.limit ?? defaultLimit, 500));
  const items = all.slice(start, start + limit);
  const next = start + limit;
  return { items: copy(items), nextCursor: next < all.length ? String(next) : null };
}

/** Like the reference server: every word of the search must occur in the record's search text. */
function matchesSearch(search: string | undefined, parts: (string | null | undefined)[]): boolean {
  const words = (normalizeName(search) ?? "").split(" ").filter(Boolean);
  const text = normalizeName(parts.filter(Boolean).join(" ")) ?? "";
  return words.every((word) => text.includes(word));
}

const PHOTO_MAX_BYTES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// builders

let sequence = 0;
const nextNo = (): string => String(++sequence).padStart(4, "0");

/** A complete, valid business partner; every field overridable. */
export function aPartner(overrides: Partial<BusinessPartner> = {}): BusinessPartner {
  const no = nextNo();
  return {
    id: `bp-t${no}`,
    name: `Test Partner ${no} GmbH`,
    address: {
      street: "Hauptstraße 1",
      city: "München",
      postalCode: "80331",
      state: "Bayern",
      countryOrRegion: "DE",
    },
    phone: "+49 89 1234560",
    website: `https://partner-${no}.example.com`,
    emailDomains: [`partner-${no}.example.com`],
    ...overrides,
  };
}

/** A complete, valid, active CRM contact person; every field overridable. */
export function aPerson(overrides: Partial<ContactPerson> = {}): ContactPerson {
  const no = nextNo();
  return {
    id: `cp-t${no}`,
    businessPartnerId: "bp-t0000",
    salutation: "Frau",
    title: null,
    firstName: "Erika",
    lastName: `Mustermann${no}`,
    jobTitle: "Einkauf",
    department: "Purchasing",
    email: `erika.mustermann${no}@example.com`,
    phone: `+49 89 555${no}`,
    mobile: `+49 171 555${no}`,
    fax: null,
    birthday: null,
    notes: null,
    responsibleEmployee: "demo.user",
    hasPhoto: false,
    version: "1",
    updatedAt: "2026-01-01T00:00:00.000Z",
    status: "active",
    ...overrides,
  };
}

/** A complete Outlook contact (unlinked unless `link` is given); every field overridable. */
export function anOutlookContact(overrides: Partial<OutlookContact> = {}): OutlookContact {
  const no = nextNo();
  const givenName = overrides.givenName !== undefined ? overrides.givenName : "Max";
  const surname = overrides.surname !== undefined ? overrides.surname : `Muster${no}`;
  return {
    id: `oc-t${no}`,
    changeKey: "ck-1",
    parentFolderId: FakeContactStore.DEFAULT_FOLDER_ID,
    displayName: [givenName, surname].filter(Boolean).join(" ") || null,
    lastModifiedDateTime: "2026-01-01T00:00:00.000Z",
    link: null,
    givenName,
    middleName: null,
    surname,
    title: null,
    jobTitle: null,
    department: null,
    companyName: null,
    emailAddresses: [
      { name: `${givenName ?? ""} ${surname ?? ""}`.trim(), address: `max.muster${no}@example.org` },
    ],
    businessPhones: [`+49 30 777${no}`],
    mobilePhone: null,
    homePhones: [],
    businessFax: null,
    businessAddress: {},
    birthday: null,
    personalNotes: null,
    fileAs: [surname, givenName].filter(Boolean).join(", ") || null,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// CRM

type CrmMethod = keyof CrmClient;

export interface FakeCrmSeed {
  businessPartners?: BusinessPartner[];
  /** Persons as stored; `photo` (demo-data style) becomes the person's photo. */
  contactPersons?: (ContactPerson & { photo?: Photo })[];
  /** The signed-in user (for `responsibleMe`). Default "demo.user". */
  userId?: string;
  /** Region used to compare phones in `lookup`. Default "DE". */
  defaultRegion?: string;
  now?: () => string;
}

/**
 * The CRM port in memory, with the reference server's semantics: search/get/photo skip deleted
 * persons (404), lookup returns active persons only, batchGet returns every status and lists
 * unknown ids in `missing`; create validates, honours the
 * idempotency key (same key + same body replays the first answer, another body -> "conflict");
 * update checks If-Match ("precondition-failed", status 412) and bumps the version, as does putPhoto.
 */
export class FakeCrm implements CrmClient {
  readonly calls = callCounter<CrmMethod>(CRM_METHODS);
  readonly userId: string;
  private readonly partners = new Map<string, BusinessPartner>();
  private readonly persons = new Map<string, ContactPerson>();
  private readonly photos = new Map<string, Photo>();
  private readonly idempotency = new Map<string, { body: string; result: ContactPerson }>();
  private readonly failures = new FailureQueue<CrmMethod>();
  private readonly region: string;
  private readonly now: () => string;
  private created = 0;

  constructor(seed: FakeCrmSeed = {}) {
    this.userId = seed.userId ?? "demo.user";
    this.region = seed.defaultRegion ?? "DE";
    this.now = seed.now ?? tickingClock();
    for (const partner of seed.businessPartners ?? []) this.addPartner(partner);
    for (const person of seed.contactPersons ?? []) this.addPerson(person);
  }

  // --- test helpers (not counted) ---

  addPartner(partner: BusinessPartner): BusinessPartner {
    this.partners.set(partner.id, copy(partner));
    return partner;
  }

  addPerson(person: ContactPerson & { photo?: Photo }): ContactPerson {
    const { photo, ...stored } = person;
    if (photo) this.photos.set(stored.id, copy(photo));
    this.persons.set(stored.id, copy({ ...stored, hasPhoto: stored.hasPhoto || photo !== undefined }));
    return stored;
  }

  /** The stored person as it is now (any status), or undefined. */
  person(id: string): ContactPerson | undefined {
    const found = this.persons.get(id);
    return found ? copy(found) : undefined;
  }

  /** Every stored person (any status). */
  allPersons(): ContactPerson[] {
    return copy([...this.persons.values()]);
  }

  /** Simulates a change made by someone else in the CRM (new version, like a real write). */
  editPerson(id: string, patch: ContactPersonPatch & { status?: ContactPerson["status"] }): ContactPerson {
    const current = this.persons.get(id);
    if (!current) throw new AppError("not-found", `No contact person ${id}`);
    const next = {
      ...current,
      ...copy(patch),
      version: this.nextVersion(current.version),
      updatedAt: this.now(),
    };
    this.persons.set(id, next);
    return copy(next);
  }

  /** The next `times` calls of `method` reject with `error` (before doing anything). */
  failNext(method: CrmMethod, error: AppError, times = 1): void {
    this.failures.add(method, error, times);
  }

  resetCalls(): void {
    resetCounter(this.calls);
  }

  private enter(method: CrmMethod, options?: CallOptions): void {
    this.calls[method] += 1;
    checkSignal(options);
    this.failures.take(method);
  }

  private nextVersion(version: string): string {
    const n = Number.parseInt(version, 10);
    return String(Number.isFinite(n) ? n + 1 : 1);
  }

  private activePersons(): ContactPerson[] {
    return [...this.persons.values()].filter((p) => p.status === "active");
  }

  private validate(fields: ContactPersonPatch, creating: boolean): void {
    if (creating || fields.lastName !== undefined) {
      if (typeof fields.lastName !== "string" || fields.lastName.trim() === "")
        throw new AppError("validation", "lastName is required", { status: 422, field: "lastName" });
    }
    if (creating || fields.businessPartnerId !== undefined) {
      if (!fields.businessPartnerId || !this.partners.has(fields.businessPartnerId))
        throw new AppError("validation", "Unknown business partner", {
          status: 422,
          field: "businessPartnerId",
        });
    }
    if (fields.birthday && !/^\d{4}-\d{2}-\d{2}$/.test(fields.birthday))
      throw new AppError("validation", "birthday must be YYYY-MM-DD", { status: 422, field: "birthday" });
  }

  // --- the port ---

  async searchBusinessPartners(query: PageQuery & { search?: string }, options?: CallOptions) {
    this.enter("searchBusinessPartners", options);
    const all = [...this.partners.values()]
      .filter((p) => matchesSearch(query.search, [p.name, p.address.city, ...p.emailDomains]))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return paginate(all, query);
  }

  async getBusinessPartner(id: string, options?: CallOptions) {
    this.enter("getBusinessPartner", options);
    const found = this.partners.get(id);
    if (!found) throw new AppError("not-found", `No business partner ${id}`, { status: 404 });
    return copy(found);
  }

  async searchContactPersons(query: ContactPersonQuery, options?: CallOptions) {
    this.enter("searchContactPersons", options);
    const city = normalizeName(query.city);
    const all = [...this.persons.values()]
      .filter((p) => {
        if (p.status === "deleted") return false;
        if (query.businessPartnerId && p.businessPartnerId !== query.businessPartnerId) return false;
        if (query.responsibleMe && p.responsibleEmployee !== this.userId) return false;
        if (city && normalizeName(this.partners.get(p.businessPartnerId)?.address.city) !== city)
          return false;
        const partnerName = this.partners.get(p.businessPartnerId)?.name;
        return matchesSearch(query.search, [p.firstName, p.lastName, p.email, partnerName]);
      })
      .sort(
        (a, b) =>
          a.lastName.localeCompare(b.lastName) ||
          (a.firstName ?? "").localeCompare(b.firstName ?? "") ||
          a.id.localeCompare(b.id),
      );
    return paginate(all, query);
  }

  async getContactPerson(id: string, options?: CallOptions) {
    this.enter("getContactPerson", options);
    const found = this.persons.get(id);
    if (!found || found.status === "deleted")
      throw new AppError("not-found", `No contact person ${id}`, { status: 404 });
    return copy(found);
  }

  async createContactPerson(input: ContactPersonInput, idempotencyKey: string, options?: CallOptions) {
    this.enter("createContactPerson", options);
    if (!idempotencyKey) throw new AppError("validation", "Idempotency-Key is required", { status: 400 });
    const body = JSON.stringify(input);
    const earlier = this.idempotency.get(idempotencyKey);
    if (earlier) {
      if (earlier.body !== body)
        throw new AppError("conflict", "Idempotency key reused with another body", { status: 409 });
      return copy(earlier.result);
    }
    this.validate(input, true);
    this.created += 1;
    const person: ContactPerson = {
      ...copy(input),
      lastName: input.lastName.trim(),
      id: `cp-new-${String(this.created).padStart(4, "0")}`,
      responsibleEmployee: this.userId,
      hasPhoto: false,
      version: "1",
      updatedAt: this.now(),
      status: "active",
    };
    this.persons.set(person.id, person);
    this.idempotency.set(idempotencyKey, { body, result: copy(person) });
    return copy(person);
  }

  async updateContactPerson(id: string, patch: ContactPersonPatch, ifMatch: string, options?: CallOptions) {
    this.enter("updateContactPerson", options);
    const current = this.persons.get(id);
    if (!current || current.status === "deleted")
      throw new AppError("not-found", `No contact person ${id}`, { status: 404 });
    if (ifMatch !== current.version)
      throw new AppError("precondition-failed", "Contact person changed meanwhile", {
        status: 412,
        details: { current: current.version, ifMatch },
      });
    this.validate(patch, false);
    const next: ContactPerson = {
      ...current,
      ...copy(patch),
      version: this.nextVersion(current.version),
      updatedAt: this.now(),
    };
    this.persons.set(id, next);
    return copy(next);
  }

  async getPhoto(id: string, options?: CallOptions) {
    this.enter("getPhoto", options);
    const person = this.persons.get(id);
    if (!person || person.status === "deleted")
      throw new AppError("not-found", `No contact person ${id}`, { status: 404 });
    const photo = this.photos.get(id);
    return photo ? copy(photo) : null;
  }

  async putPhoto(id: string, photo: Photo, options?: CallOptions) {
    this.enter("putPhoto", options);
    const person = this.persons.get(id);
    if (!person || person.status === "deleted")
      throw new AppError("not-found", `No contact person ${id}`, { status: 404 });
    if (photo.data.length > PHOTO_MAX_BYTES)
      throw new AppError("payload-too-large", "Photo larger than 4 MB", { status: 413 });
    this.photos.set(id, copy(photo));
    const next = {
      ...person,
      hasPhoto: true,
      version: this.nextVersion(person.version),
      updatedAt: this.now(),
    };
    this.persons.set(id, next);
    return next.version;
  }

  async lookup(keys: LookupKeys, options?: CallOptions) {
    this.enter("lookup", options);
    const emails = new Set(keys.emails.map((e) => normalizeEmail(e)).filter((e): e is string => !!e));
    const phones = new Set(
      keys.phones.map((p) => normalizePhone(p, this.region)).filter((p): p is string => !!p),
    );
    const names = new Set(keys.lastNames.map((n) => normalizeName(n)).filter((n): n is string => !!n));
    const hit = (value: string | undefined, set: Set<string>) => value !== undefined && set.has(value);
    return copy(
      this.activePersons().filter(
        (p) =>
          hit(normalizeEmail(p.email), emails) ||
          hit(normalizeName(p.lastName), names) ||
          [p.phone, p.mobile, p.fax].some((n) => hit(normalizePhone(n, this.region), phones)),
      ),
    );
  }

  async findCreated(idempotencyKeys: string[], options?: CallOptions) {
    this.enter("findCreated", options);
    return [...new Set(idempotencyKeys)].flatMap((idempotencyKey) => {
      const id = this.idempotency.get(idempotencyKey)?.result.id;
      const person = id === undefined ? undefined : this.persons.get(id);
      return person?.status === "active" ? [{ idempotencyKey, person: copy(person) }] : [];
    });
  }

  async batchGet(ids: string[], options?: CallOptions) {
    this.enter("batchGet", options);
    const items: ContactPerson[] = [];
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const found = this.persons.get(id);
      if (found) items.push(copy(found));
      else missing.push(id);
    }
    return { items, missing };
  }
}

// ---------------------------------------------------------------------------------------------
// Outlook contact store

type StoreMethod = keyof ContactStore;

interface ChangeEvent {
  seq: number;
  id: string;
  folderId: string;
}

/**
 * Outlook's contact store in memory. Folder `null` is the default Contacts folder
 * (`FakeContactStore.DEFAULT_FOLDER_ID`). Writes bump the changeKey; the link travels with the
 * contact (`undefined` in a write keeps it, `null` removes it). Deletes move the contact to
 * `deleted` (Deleted Items), never purge it. `delta` replays a simple change log per folder;
 * `expireDeltaLinks()` makes every earlier link answer "resync-required".
 */
export class FakeContactStore implements ContactStore {
  static readonly DEFAULT_FOLDER_ID = "folder-contacts";
  readonly calls = callCounter<StoreMethod>(STORE_METHODS);
  /** Contacts moved to Deleted Items, in delete order. */
  readonly deleted: OutlookContact[] = [];
  private readonly folders = new Map<string, ContactFolder>();
  private readonly contacts = new Map<string, OutlookContact>();
  private readonly photos = new Map<string, Photo>();
  private readonly log: ChangeEvent[] = [];
  private readonly failures = new FailureQueue<StoreMethod>();
  private readonly itemFailures = new Map<string, AppError>();
  private readonly now: () => string;
  private seq = 0;
  private deltaEpoch = 0;
  private created = 0;
  private changeKeys = 0;

  constructor(seed: { contacts?: OutlookContact[]; folders?: ContactFolder[]; now?: () => string } = {}) {
    this.now = seed.now ?? tickingClock();
    this.folders.set(FakeContactStore.DEFAULT_FOLDER_ID, {
      id: FakeContactStore.DEFAULT_FOLDER_ID,
      displayName: "Contacts",
      parentFolderId: null,
    });
    for (const folder of seed.folders ?? []) this.folders.set(folder.id, copy(folder));
    for (const contact of seed.contacts ?? []) this.addContact(contact);
  }

  // --- test helpers (not counted) ---

  /** Puts a contact into the store as if the user had created it in Outlook. */
  addContact(contact: OutlookContact, photo?: Photo): OutlookContact {
    if (!this.folders.has(contact.parentFolderId))
      this.folders.set(contact.parentFolderId, {
        id: contact.parentFolderId,
        displayName: contact.parentFolderId,
        parentFolderId: FakeContactStore.DEFAULT_FOLDER_ID,
      });
    this.contacts.set(contact.id, copy(contact));
    if (photo) this.photos.set(contact.id, copy(photo));
    this.record(contact.id, contact.parentFolderId);
    return contact;
  }

  /** Simulates the user editing a contact in Outlook (new changeKey, logged for delta). */
  userEdit(id: string, patch: Partial<OutlookContact>): OutlookContact {
    const current = this.mustGet(id);
    const next = {
      ...current,
      ...copy(patch),
      changeKey: this.nextChangeKey(),
      lastModifiedDateTime: this.now(),
    };
    this.contacts.set(id, next);
    this.record(id, next.parentFolderId);
    return copy(next);
  }

  /** Simulates the user deleting a contact in Outlook (moved to Deleted Items). */
  userDelete(id: string): void {
    const current = this.mustGet(id);
    this.contacts.delete(id);
    this.deleted.push(current);
    this.record(id, current.parentFolderId);
  }

  /** The stored contact as it is now, or undefined (deleted ones are in `deleted`). */
  contact(id: string): OutlookContact | undefined {
    const found = this.contacts.get(id);
    return found ? copy(found) : undefined;
  }

  allContacts(): OutlookContact[] {
    return copy([...this.contacts.values()]);
  }

  photoOf(id: string): Photo | undefined {
    const found = this.photos.get(id);
    return found ? copy(found) : undefined;
  }

  /** The next `times` calls of `method` reject with `error`. */
  failNext(method: StoreMethod, error: AppError, times = 1): void {
    this.failures.add(method, error, times);
  }

  /** Bulk writes to this contact id fail with `error` (one item's Result, not the whole call). */
  failItem(id: string, error: AppError): void {
    this.itemFailures.set(id, error);
  }

  /** Every delta link handed out so far now answers "resync-required". */
  expireDeltaLinks(): void {
    this.deltaEpoch += 1;
  }

  resetCalls(): void {
    resetCounter(this.calls);
  }

  private enter(method: StoreMethod, options?: CallOptions): void {
    this.calls[method] += 1;
    checkSignal(options);
    this.failures.take(method);
  }

  private record(id: string, folderId: string): void {
    this.seq += 1;
    this.log.push({ seq: this.seq, id, folderId });
  }

  private nextChangeKey(): string {
    this.changeKeys += 1;
    return `ck-fake-${this.changeKeys}`;
  }

  private mustGet(id: string): OutlookContact {
    const found = this.contacts.get(id);
    if (!found) throw new AppError("not-found", `No contact ${id}`, { status: 404 });
    return found;
  }

  private folderIdOf(folderId: string | null): string {
    const id = folderId ?? FakeContactStore.DEFAULT_FOLDER_ID;
    if (!this.folders.has(id)) throw new AppError("not-found", `No contact folder ${id}`, { status: 404 });
    return id;
  }

  private async bulk<I, O>(
    items: I[],
    options: BulkOptions | undefined,
    one: (item: I) => O,
  ): Promise<Result<O>[]> {
    const results: Result<O>[] = [];
    for (const item of items) {
      try {
        checkSignal(options);
        results.push({ ok: true, value: one(item) });
      } catch (error) {
        results.push({ ok: false, error: AppError.from(error) });
      }
      options?.onProgress?.(results.length, items.length);
    }
    return results;
  }

  private applyWrite(base: OutlookContact, write: ContactCreate["contact"]): OutlookContact {
    const { link, ...fields } = copy(write);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const next: OutlookContact = { ...base, ...(defined as Partial<OutlookContactFields>) };
    if (link !== undefined) next.link = link;
    next.displayName = [next.givenName, next.surname].filter(Boolean).join(" ") || next.companyName || null;
    next.changeKey = this.nextChangeKey();
    next.lastModifiedDateTime = this.now();
    return next;
  }

  // --- the port ---

  async listFolders(options?: CallOptions) {
    this.enter("listFolders", options);
    return copy([...this.folders.values()]);
  }

  async ensureFolder(displayName: string | null, options?: CallOptions) {
    this.enter("ensureFolder", options);
    if (displayName === null)
      return copy(this.folders.get(FakeContactStore.DEFAULT_FOLDER_ID) as ContactFolder);
    const wanted = displayName.trim().toLowerCase();
    const existing = [...this.folders.values()].find(
      (f) => f.id !== FakeContactStore.DEFAULT_FOLDER_ID && f.displayName.toLowerCase() === wanted,
    );
    if (existing) return copy(existing);
    const folder: ContactFolder = {
      id: `folder-${this.folders.size}`,
      displayName: displayName.trim(),
      parentFolderId: FakeContactStore.DEFAULT_FOLDER_ID,
    };
    this.folders.set(folder.id, folder);
    return copy(folder);
  }

  async listContacts(folderId: string | null, options?: CallOptions) {
    this.enter("listContacts", options);
    const id = this.folderIdOf(folderId);
    return copy([...this.contacts.values()].filter((c) => c.parentFolderId === id));
  }

  async listLinkedContacts(options?: CallOptions) {
    this.enter("listLinkedContacts", options);
    return copy([...this.contacts.values()].filter((c) => c.link !== null));
  }

  async findByCrmId(crmId: string, options?: CallOptions) {
    this.enter("findByCrmId", options);
    return copy([...this.contacts.values()].filter((c) => c.link?.crmId === crmId));
  }

  async getContact(id: string, options?: CallOptions) {
    this.enter("getContact", options);
    return copy(this.mustGet(id));
  }

  async createContacts(items: ContactCreate[], options?: BulkOptions) {
    this.enter("createContacts", options);
    return this.bulk(items, options, (item) => {
      const parentFolderId = this.folderIdOf(item.folderId);
      this.created += 1;
      const id = `oc-new-${String(this.created).padStart(4, "0")}`;
      const blank: OutlookContact = {
        ...anOutlookContact({ id, parentFolderId }),
        givenName: null,
        surname: null,
        emailAddresses: [],
        businessPhones: [],
        fileAs: null,
      };
      const contact = this.applyWrite(blank, item.contact);
      this.contacts.set(id, contact);
      this.record(id, parentFolderId);
      return copy(contact);
    });
  }

  async updateContacts(items: ContactUpdate[], options?: BulkOptions) {
    this.enter("updateContacts", options);
    return this.bulk(items, options, (item) => {
      const failure = this.itemFailures.get(item.id);
      if (failure) throw failure;
      const next = this.applyWrite(this.mustGet(item.id), item.patch);
      this.contacts.set(item.id, next);
      this.record(item.id, next.parentFolderId);
      return copy(next);
    });
  }

  async deleteContacts(ids: string[], options?: BulkOptions) {
    this.enter("deleteContacts", options);
    return this.bulk(ids, options, (id) => {
      const failure = this.itemFailures.get(id);
      if (failure) throw failure;
      const current = this.mustGet(id);
      this.contacts.delete(id);
      this.photos.delete(id);
      this.deleted.push(current);
      this.record(id, current.parentFolderId);
    });
  }

  async getPhoto(id: string, options?: CallOptions) {
    this.enter("getPhoto", options);
    this.mustGet(id);
    const photo = this.photos.get(id);
    return photo ? copy(photo) : null;
  }

  async putPhoto(id: string, photo: Photo, options?: CallOptions) {
    this.enter("putPhoto", options);
    const current = this.mustGet(id);
    if (photo.data.length > PHOTO_MAX_BYTES) throw new AppError("photo-too-large", "Photo larger than 4 MB");
    this.photos.set(id, copy(photo));
    this.contacts.set(id, { ...current, changeKey: this.nextChangeKey(), lastModifiedDateTime: this.now() });
    this.record(id, current.parentFolderId);
    return copy(photo);
  }

  async delta(folderId: string, deltaLink: string | null, options?: CallOptions): Promise<DeltaResult> {
    this.enter("delta", options);
    const folder = this.folderIdOf(folderId);
    const link = (seq: number) => `fake-delta:${this.deltaEpoch}:${seq}:${folder}`;
    const inFolder = () => [...this.contacts.values()].filter((c) => c.parentFolderId === folder);
    if (deltaLink === null) return { changed: copy(inFolder()), removed: [], deltaLink: link(this.seq) };
    const match = /^fake-delta:(\d+):(\d+):(.+)$/.exec(deltaLink);
    const since = match ? Number(match[2]) : NaN;
    if (!match || Number(match[1]) !== this.deltaEpoch || match[3] !== folder || since > this.seq)
      throw new AppError("resync-required", "Delta token expired", { status: 410 });
    const touched = new Set(this.log.filter((e) => e.seq > since && e.folderId === folder).map((e) => e.id));
    const changed: OutlookContact[] = [];
    const removed: string[] = [];
    for (const id of touched) {
      const current = this.contacts.get(id);
      if (current && current.parentFolderId === folder) changed.push(copy(current));
      else removed.push(id);
    }
    return { changed, removed, deltaLink: link(this.seq) };
  }
}

// ---------------------------------------------------------------------------------------------
// settings, mailbox, tokens

/** Key-value settings in memory; values are stored as JSON (like roaming settings), so a read is a copy. */
export class MemorySettingsStore implements SettingsStore {
  readonly calls = callCounter<keyof SettingsStore>(["read", "write"]);
  private readonly values = new Map<string, string>();

  constructor(initial: Record<string, unknown> = {}) {
    for (const [key, value] of Object.entries(initial)) this.values.set(key, JSON.stringify(value));
  }

  async read(key: string): Promise<unknown> {
    this.calls.read += 1;
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  }

  async write(key: string, value: unknown): Promise<void> {
    this.calls.write += 1;
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }

  /** Synchronous peek for assertions (not counted). */
  peek(key: string): unknown {
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  }
}

/** The selected e-mail's people; `select(people)` changes the selection and fires onItemChanged. */
export class FakeMailbox implements Mailbox {
  readonly calls = callCounter<keyof Mailbox>(["getSelectedItemPeople", "onItemChanged"]);
  private people: MailPerson[];
  private readonly listeners = new Set<() => void>();

  constructor(people: MailPerson[] = []) {
    this.people = copy(people);
  }

  async getSelectedItemPeople(): Promise<MailPerson[]> {
    this.calls.getSelectedItemPeople += 1;
    return copy(this.people);
  }

  onItemChanged(listener: () => void): () => void {
    this.calls.onItemChanged += 1;
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Selects another item (empty = nothing selected) and notifies the subscribers. */
  select(people: MailPerson[]): void {
    this.people = copy(people);
    for (const listener of [...this.listeners]) listener();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** Fixed tokens per resource; `failNext` makes the next call(s) reject (e.g. interaction-required). */
export class StaticTokens implements TokenProvider {
  readonly calls = callCounter<TokenResource>(["graph", "crm"]);
  /** The `claims` passed in, per call, in order. */
  readonly claimsSeen: (string | undefined)[] = [];
  private readonly failures = new FailureQueue<"getToken">();

  constructor(
    private readonly tokens: Record<TokenResource, string> = { graph: "graph-token", crm: "crm-token" },
  ) {}

  async getToken(
    resource: TokenResource,
    options?: { claims?: string; signal?: AbortSignal },
  ): Promise<string> {
    this.calls[resource] += 1;
    this.claimsSeen.push(options?.claims);
    checkSignal(options);
    this.failures.take("getToken");
    return this.tokens[resource];
  }

  failNext(error: AppError, times = 1): void {
    this.failures.add("getToken", error, times);
  }
}
