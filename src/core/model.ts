/**
 * The domain model shared by every layer: the CRM side (contract v1 of the reference server and
 * any gateway), the Outlook side (the Graph contact fields we map) and the link between them.
 * Plain data only: no behaviour, no I/O.
 */

/** A postal address; every part optional. Same shape on both sides. */
export interface Address {
  street?: string | null;
  city?: string | null;
  postalCode?: string | null;
  state?: string | null;
  countryOrRegion?: string | null;
}

/** CRM business partner (company) as served by `GET /business-partners/{id}`. */
export interface BusinessPartner {
  id: string;
  name: string;
  address: Address;
  phone: string | null;
  website: string | null;
  /** Lower-case e-mail domains of the company, e.g. ["contoso.com"]. */
  emailDomains: string[];
}

export type ContactPersonStatus = "active" | "inactive" | "deleted";

/** The fields of a contact person that a client may write (create / patch). */
export interface ContactPersonFields {
  businessPartnerId: string;
  salutation: string | null;
  title: string | null;
  firstName: string | null;
  /** Required, non-empty. */
  lastName: string;
  jobTitle: string | null;
  department: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  fax: string | null;
  /** ISO date `YYYY-MM-DD`. */
  birthday: string | null;
  notes: string | null;
}

/** CRM contact person as served by `GET /contact-persons/{id}`. */
export interface ContactPerson extends ContactPersonFields {
  id: string;
  /** Login/user id of the responsible employee (`responsible=me` filters on it). */
  responsibleEmployee: string | null;
  hasPhoto: boolean;
  /** Opaque version, also sent as the ETag; changes on every write (including photo). */
  version: string;
  /** ISO timestamp of the last change. */
  updatedAt: string;
  /** `deleted`/`inactive` persons are only returned by batch-get (so sync can notice them). */
  status: ContactPersonStatus;
  /**
   * Optional (contract v1): the users (CRM user ids, i.e. their logins) who want this person in
   * their Outlook — the switch on the CRM's contact person mask, applied by the sync service.
   */
  outlookUsers?: string[];
}

/** Every writable field of a contact person (contract v1), e.g. to copy only those. */
export const contactPersonFieldNames = [
  "businessPartnerId",
  "salutation",
  "title",
  "firstName",
  "lastName",
  "jobTitle",
  "department",
  "email",
  "phone",
  "mobile",
  "fax",
  "birthday",
  "notes",
] as const satisfies readonly (keyof ContactPersonFields)[];

export type ContactPersonInput = ContactPersonFields;
export type ContactPersonPatch = Partial<ContactPersonFields>;

export type PhotoContentType = "image/jpeg" | "image/png";

export interface Photo {
  contentType: PhotoContentType;
  data: Uint8Array;
}

/** Graph's `emailAddress` item. */
export interface EmailAddress {
  name: string | null;
  address: string;
}

/**
 * The Graph contact fields the add-in maps (Graph v1.0 `contact`, camelCase names as Graph),
 * plus `businessFax`, which Graph exposes only as the MAPI property PidTagBusinessFaxNumber
 * (the Graph adapter maps it to the extended property "String 0x3A24").
 */
export interface OutlookContactFields {
  givenName: string | null;
  middleName: string | null;
  surname: string | null;
  title: string | null;
  jobTitle: string | null;
  department: string | null;
  companyName: string | null;
  emailAddresses: EmailAddress[];
  businessPhones: string[];
  mobilePhone: string | null;
  homePhones: string[];
  businessFax: string | null;
  businessAddress: Address;
  /**
   * ISO date `YYYY-MM-DD`. Graph returns a DateTimeOffset shifted by the creating device's time
   * zone; the adapter derives the calendar date (README "Birthdays").
   */
  birthday: string | null;
  personalNotes: string | null;
  fileAs: string | null;
}

/**
 * The link of an Outlook contact to a CRM contact person, kept on the Outlook contact itself
 * in two named extended properties of the product's GUID (see the Graph adapter):
 * the CRM id, and the last synchronised state as an opaque string that core encodes/decodes.
 */
export interface ContactLink {
  crmId: string;
  /** Encoded last-synchronised state (see core sync-state), or null when never synced. */
  syncState: string | null;
}

/** An Outlook contact as read from the mailbox. */
export interface OutlookContact extends OutlookContactFields {
  id: string;
  /** Graph's changeKey (also the `@odata.etag` value); changes on every write. */
  changeKey: string;
  parentFolderId: string;
  displayName: string | null;
  lastModifiedDateTime: string | null;
  link: ContactLink | null;
}

/** What is written when creating or updating an Outlook contact. */
export interface OutlookContactWrite extends Partial<OutlookContactFields> {
  /**
   * Sent with name changes: Graph may otherwise keep (or overwrite) a stale displayName
   * (contact resource: "always include it"; FIDELITY 6).
   */
  displayName?: string | null;
  /** `undefined` leaves the link as it is; `null` removes it. */
  link?: ContactLink | null;
}

export interface ContactFolder {
  id: string;
  displayName: string;
  parentFolderId: string | null;
}

/** A person on the selected e-mail (sender or recipient). */
export interface MailPerson {
  displayName: string;
  emailAddress: string;
  role: "from" | "to" | "cc";
}

/** Field directions of the mapping, per field group. */
export type FieldDirection = "crm-to-outlook" | "two-way" | "none";
export type ConflictRule = "crm-wins" | "outlook-wins" | "newest-wins";
