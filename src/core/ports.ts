/**
 * The ports: what core and the application services need from the outside world. The adapters
 * (`src/adapters/*`) implement them over HTTP/Graph/Office; unit tests use in-memory fakes.
 * Every method rejects only with `AppError`. Bulk methods return one `Result` per input, in
 * input order, and never reject for a single item's failure.
 */
import type { Result } from "./errors";
import type {
  BusinessPartner,
  ContactFolder,
  ContactPerson,
  ContactPersonInput,
  ContactPersonPatch,
  MailPerson,
  OutlookContact,
  OutlookContactWrite,
  Photo,
} from "./model";

export interface CallOptions {
  signal?: AbortSignal;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  cursor?: string;
  limit?: number;
}

export interface ContactPersonQuery extends PageQuery {
  search?: string;
  businessPartnerId?: string;
  /** Only persons whose business partner matches this text as `searchBusinessPartners` does. */
  businessPartnerSearch?: string;
  city?: string;
  /** Only persons the signed-in user is responsible for. */
  responsibleMe?: boolean;
  /** Only persons whose `outlookUsers` list holds this user id (the CRM-side switch). */
  outlookUser?: string;
}

export interface LookupKeys {
  emails: string[];
  /** E.164 phone numbers. */
  phones: string[];
  lastNames: string[];
}

/** A person the signed-in user created with this `Idempotency-Key` (contract v1.1 lookup). */
export interface CreatedPerson {
  idempotencyKey: string;
  person: ContactPerson;
}

export interface CrmClient {
  searchBusinessPartners(
    query: PageQuery & { search?: string },
    options?: CallOptions,
  ): Promise<Page<BusinessPartner>>;
  getBusinessPartner(id: string, options?: CallOptions): Promise<BusinessPartner>;
  /** The partners of the given ids (any number; unknown ids are listed in `missing`). */
  batchGetBusinessPartners(
    ids: string[],
    options?: CallOptions,
  ): Promise<{ items: BusinessPartner[]; missing: string[] }>;
  searchContactPersons(query: ContactPersonQuery, options?: CallOptions): Promise<Page<ContactPerson>>;
  getContactPerson(id: string, options?: CallOptions): Promise<ContactPerson>;
  /** Same key + same body never creates twice (the server replays the first answer). */
  createContactPerson(
    input: ContactPersonInput,
    idempotencyKey: string,
    options?: CallOptions,
  ): Promise<ContactPerson>;
  /** Rejects with `precondition-failed` when `ifMatch` is not the current version. */
  updateContactPerson(
    id: string,
    patch: ContactPersonPatch,
    ifMatch: string,
    options?: CallOptions,
  ): Promise<ContactPerson>;
  /** `null` when the person has no photo. */
  getPhoto(id: string, options?: CallOptions): Promise<Photo | null>;
  /** Returns the person's new version. */
  putPhoto(id: string, photo: Photo, options?: CallOptions): Promise<string>;
  /** Every contact person matching any key (e-mail case-insensitive, phones in E.164, last names). */
  lookup(keys: LookupKeys, options?: CallOptions): Promise<ContactPerson[]>;
  /**
   * The active persons the signed-in user created with any of these idempotency keys (an import
   * interrupted after the create). A CRM without this optional lookup (contract v1.0) yields [].
   */
  findCreated(idempotencyKeys: string[], options?: CallOptions): Promise<CreatedPerson[]>;
  /** Current versions, including deleted/inactive persons; unknown ids are listed in `missing`. */
  batchGet(ids: string[], options?: CallOptions): Promise<{ items: ContactPerson[]; missing: string[] }>;
}

export interface BulkOptions extends CallOptions {
  /** Called after each item finished (ok or not) with the number done so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface ContactCreate {
  /** Target folder id; `null` = the default Contacts folder. */
  folderId: string | null;
  contact: OutlookContactWrite;
}

export interface ContactUpdate {
  id: string;
  patch: OutlookContactWrite;
  /**
   * The contact as the caller last read it. Graph's PATCH reply omits extended properties (the
   * link, the fax); with `current` the store completes the result from it instead of reading the
   * contact again.
   */
  current?: Pick<OutlookContact, "link" | "businessFax">;
}

export interface DeltaResult {
  /** Contacts created or changed since the last delta link (with their link expanded). */
  changed: OutlookContact[];
  /** Ids of contacts removed from the folder (deleted or moved out). */
  removed: string[];
  /** Link to pass next time. */
  deltaLink: string;
}

export interface ContactStore {
  listFolders(options?: CallOptions): Promise<ContactFolder[]>;
  /** The default Contacts folder (`displayName` null) or the named one, created if missing. */
  ensureFolder(displayName: string | null, options?: CallOptions): Promise<ContactFolder>;
  /** All contacts of one folder (`null` = default Contacts), every page, link expanded. */
  listContacts(folderId: string | null, options?: CallOptions): Promise<OutlookContact[]>;
  /** All linked contacts across every contact folder. */
  listLinkedContacts(options?: CallOptions): Promise<OutlookContact[]>;
  /** Contacts in any folder whose link holds this CRM id (normally zero or one). */
  findByCrmId(crmId: string, options?: CallOptions): Promise<OutlookContact[]>;
  getContact(id: string, options?: CallOptions): Promise<OutlookContact>;
  createContacts(items: ContactCreate[], options?: BulkOptions): Promise<Result<OutlookContact>[]>;
  updateContacts(items: ContactUpdate[], options?: BulkOptions): Promise<Result<OutlookContact>[]>;
  /** Deletes = moves to Deleted Items (never a permanent delete). */
  deleteContacts(ids: string[], options?: BulkOptions): Promise<Result<void>[]>;
  getPhoto(id: string, options?: CallOptions): Promise<Photo | null>;
  /**
   * Uploads the photo (converted to JPEG when it is not one) and returns it as Outlook holds it
   * afterwards: Outlook re-encodes photos, so later reads compare with these bytes, never the upload's.
   */
  putPhoto(id: string, photo: Photo, options?: CallOptions): Promise<Photo>;
  /**
   * Changes in one folder since `deltaLink` (`null` = initial full round). Rejects with
   * `resync-required` when the token expired; the caller then starts again with `null`.
   */
  delta(folderId: string, deltaLink: string | null, options?: CallOptions): Promise<DeltaResult>;
}

export type TokenResource = "graph" | "crm";

export interface TokenProvider {
  /** An access token for the resource, with the smallest scopes. `claims` after a claims challenge. */
  getToken(resource: TokenResource, options?: { claims?: string; signal?: AbortSignal }): Promise<string>;
}

/** Key-value store for per-user choices (Office roaming settings; preview: browser storage). */
export interface SettingsStore {
  read(key: string): Promise<unknown>;
  write(key: string, value: unknown): Promise<void>;
}

/** The people of the e-mail selected in Outlook (preview: a sample e-mail). */
export interface Mailbox {
  /** Sender first, then To and Cc recipients; empty when no item is selected. */
  getSelectedItemPeople(): Promise<MailPerson[]>;
  /** Subscribes to item changes (pinned pane); returns the unsubscribe function. */
  onItemChanged(listener: () => void): () => void;
}
