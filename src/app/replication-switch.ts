/**
 * The per-contact replication switch (DESIGN.md §2 item 4): whether a CRM contact person is
 * replicated to Outlook, and turning that on (create + link the Outlook contact) or off (delete
 * it, i.e. Graph moves it to Deleted Items).
 *
 * The state always comes from the mailbox — the link on the Outlook contact — never from a local
 * flag, so it is right after a reload and across devices. Operations are serialised per CRM id
 * and each one re-reads the mailbox first, so any burst of on/off clicks ends with exactly one
 * linked contact (last was "on") or none (last was "off"), never two.
 *
 * @example
 *   const replication = new ReplicationSwitch({ contacts, crm, loadSettings: () => settingsOf(store) });
 *   await replication.switchOn(person, partner); // { status: "created", contact, photo: "written" }
 *   await replication.switchOff(person.id);       // { deleted: 1 }
 *   (await getReplicationState(contacts, [person.id])).get(person.id); // false
 */
import { AppError } from "../core/errors";
import { hashBytes } from "../core/hash";
import { activeFields, outlookWriteFromRecord, pickFields, recordFromCrm } from "../core/mapping";
import type { BusinessPartner, ContactPerson, OutlookContact, Photo } from "../core/model";
import { PHOTO_PENDING_PREFIX } from "../core/plans/export-plan";
import type { CallOptions, ContactStore, CrmClient } from "../core/ports";
import { encodeSyncState } from "../core/sync-state";
import type { UserSettings } from "../core/user-settings";

/** Graph's limit for a contact photo. */
export const MAX_PHOTO_BYTES = 4 * 1024 * 1024;

/** Photo failures a later attempt cannot cure (as in the export runner); others stay pending. */
const PERMANENT_PHOTO_CODES: ReadonlySet<string> = new Set([
  "photo-too-large",
  "photo-invalid",
  "payload-too-large",
  "validation",
]);

/**
 * Up to this many ids the state is read with one `findByCrmId` per id, above it with one
 * `listLinkedContacts`. On Graph each `findByCrmId` costs 1 + F requests (the folder list, then a
 * `$filter` per folder of F), while `listLinkedContacts` costs 1 + F plus one per further page
 * of 1000 contacts — so from two ids on, listing is the fewer requests for any usual mailbox.
 */
export const PER_ID_LOOKUP_LIMIT = 1;

/**
 * Per CRM id: is there at least one Outlook contact linked to it?
 *
 * @example
 *   const state = await getReplicationState(contacts, ["cp-1", "cp-2"]);
 *   state.get("cp-1"); // true when a linked contact exists
 */
export async function getReplicationState(
  store: ContactStore,
  crmIds: readonly string[],
  options?: CallOptions & { perIdLimit?: number },
): Promise<Map<string, boolean>> {
  const ids = [...new Set(crmIds)];
  const state = new Map<string, boolean>(ids.map((id) => [id, false]));
  if (ids.length === 0) return state;
  if (ids.length <= (options?.perIdLimit ?? PER_ID_LOOKUP_LIMIT)) {
    const found = await Promise.all(ids.map((id) => store.findByCrmId(id, options)));
    ids.forEach((id, i) => state.set(id, (found[i]?.length ?? 0) > 0));
    return state;
  }
  for (const contact of await store.listLinkedContacts(options)) {
    const crmId = contact.link?.crmId;
    if (crmId !== undefined && state.has(crmId)) state.set(crmId, true);
  }
  return state;
}

export interface ReplicationSwitchDeps {
  contacts: ContactStore;
  crm: CrmClient;
  /** The user's current settings (target folder, field directions); read on every switch-on. */
  loadSettings: () => Promise<UserSettings>;
  /** Clock for the sync state's timestamp (tests). */
  now?: () => Date;
}

export type PhotoOutcome = "none" | "written" | "skipped";

export interface SwitchOnResult {
  /** `existing`: a linked contact was already there (nothing created). */
  status: "created" | "existing";
  contact: OutlookContact;
  photo: PhotoOutcome;
  /** Why the photo was skipped (too large, unreadable, ...); the contact itself is fine. */
  photoError?: AppError;
}

export interface SwitchOffResult {
  /** How many linked contacts were deleted (moved to Deleted Items). */
  deleted: number;
}

export class ReplicationSwitch {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ReplicationSwitchDeps) {}

  /** Same as {@link getReplicationState} over this switch's contact store. */
  state(crmIds: readonly string[], options?: CallOptions): Promise<Map<string, boolean>> {
    return getReplicationState(this.deps.contacts, crmIds, options);
  }

  /**
   * Creates and links the Outlook contact for `person` in the configured folder, with the sync
   * state and the photo when the person has one. Does nothing when a linked contact exists.
   */
  switchOn(person: ContactPerson, partner: BusinessPartner | null): Promise<SwitchOnResult> {
    return this.enqueue(person.id, () => this.doSwitchOn(person, partner));
  }

  /** Deletes every Outlook contact linked to `crmId` (Graph delete: they go to Deleted Items). */
  switchOff(crmId: string): Promise<SwitchOffResult> {
    return this.enqueue(crmId, () => this.doSwitchOff(crmId));
  }

  /** Runs `task` after every earlier operation on the same id settled (ok or not). */
  private enqueue<T>(crmId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(crmId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined, // the caller receives the failure through `run`; the queue just moves on
    );
    this.queues.set(crmId, tail);
    void tail.then(() => {
      if (this.queues.get(crmId) === tail) this.queues.delete(crmId);
    });
    return run;
  }

  private async doSwitchOn(person: ContactPerson, partner: BusinessPartner | null): Promise<SwitchOnResult> {
    const { contacts, crm } = this.deps;
    const existing = await contacts.findByCrmId(person.id);
    const first = existing[0];
    if (first) return { status: "existing", contact: first, photo: "none" };

    const settings = await this.deps.loadSettings();
    const folder = await contacts.ensureFolder(settings.folderName);
    const fields = activeFields(settings.fieldDirections);
    const record = pickFields(recordFromCrm(person, partner), fields);

    let photo: Photo | null = null;
    let photoError: AppError | undefined;
    if (person.hasPhoto) {
      try {
        photo = await crm.getPhoto(person.id);
      } catch (error) {
        photoError = AppError.from(error, "photo-invalid"); // a photo never fails the contact
        // An answer that is no JPEG/PNG (the CRM client's bad-response) is an unreadable photo.
        if (photoError.code === "bad-response")
          photoError = new AppError("photo-invalid", photoError.message, { cause: photoError });
      }
      if (photo && photo.data.byteLength > MAX_PHOTO_BYTES) {
        photoError = new AppError("photo-too-large", "The contact person's photo exceeds 4 MB", {
          details: { bytes: photo.data.byteLength },
        });
        photo = null;
      }
    }

    /**
     * As the export writes it: while a photo is not in Outlook yet (upload to come, or a passing
     * failure), the state is "photo pending", which the next export (and the sync) sees as
     * outdated, so the photo follows; only an uploaded photo is recorded by its hash.
     */
    const syncState = (photoHash: string | null, pending = false, outlookPhotoHash?: string) =>
      encodeSyncState({
        v: 1,
        crmVersion: pending ? `${PHOTO_PENDING_PREFIX}${person.version}` : person.version,
        syncedAt: (this.deps.now?.() ?? new Date()).toISOString(),
        record,
        fields,
        photoHash: pending ? null : photoHash,
        ...(outlookPhotoHash !== undefined ? { outlookPhotoHash } : {}),
      });
    const passing = (error: AppError | undefined): boolean =>
      error !== undefined && error.retryable && !PERMANENT_PHOTO_CODES.has(error.code);

    const [created] = await contacts.createContacts([
      {
        folderId: folder.id,
        contact: {
          ...outlookWriteFromRecord(record, fields),
          link: { crmId: person.id, syncState: syncState(null, photo !== null || passing(photoError)) },
        },
      },
    ]);
    if (!created) throw new AppError("bad-response", "createContacts returned no result");
    if (!created.ok) throw created.error;
    let contact = created.value;

    if (!photo) return { status: "created", contact, photo: photoError ? "skipped" : "none", photoError };
    let photoHash: string | null = null;
    let heldHash: string | undefined;
    try {
      // Outlook keeps a re-encoded copy: its hash is the Outlook side's base.
      heldHash = hashBytes((await contacts.putPhoto(contact.id, photo)).data);
      photoHash = hashBytes(photo.data);
    } catch (error) {
      photoError = AppError.from(error, "photo-invalid");
      // A passing failure keeps the pending state: the next export uploads the photo.
      if (passing(photoError)) return { status: "created", contact, photo: "skipped", photoError };
    }
    // The final state: with the photo's hash, or (permanently refused photo) without a photo.
    const [updated] = await contacts.updateContacts([
      {
        id: contact.id,
        patch: { link: { crmId: person.id, syncState: syncState(photoHash, false, heldHash) } },
        current: contact,
      },
    ]);
    if (updated?.ok) contact = updated.value;
    return photoHash !== null
      ? { status: "created", contact, photo: "written" }
      : { status: "created", contact, photo: "skipped", photoError };
  }

  private async doSwitchOff(crmId: string): Promise<SwitchOffResult> {
    const { contacts } = this.deps;
    const linked = await contacts.findByCrmId(crmId);
    if (linked.length === 0) return { deleted: 0 };
    const results = await contacts.deleteContacts(linked.map((c) => c.id));
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok && !AppError.is(failed.error, "not-found")) throw failed.error;
    return { deleted: results.filter((r) => r.ok).length };
  }
}
