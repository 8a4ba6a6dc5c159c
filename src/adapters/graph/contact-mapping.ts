/**
 * Graph v1.0 `contact` JSON <-> the add-in's Outlook contact model, and the extended properties
 * that carry the CRM link and the business fax.
 *
 * The link lives in two named string properties of the product's fixed property-set GUID
 * (`CRM_ID_PROPERTY`, `SYNC_STATE_PROPERTY`); Graph cannot delete an extended property, so a removed
 * link is written as empty strings and read back as "no link". `businessFax` is the MAPI property
 * PidTagBusinessFaxNumber (`String 0x3A24`).
 *
 * @example
 *   toGraphBody({ surname: "Schmidt", link: { crmId: "cp-1", syncState: null } });
 *   // { surname: "Schmidt", singleValueExtendedProperties: [{ id: CRM_ID_PROPERTY, value: "cp-1" }, ...] }
 */
import { z } from "zod";
import type { Address, ContactFolder, OutlookContact, OutlookContactWrite } from "../../core/model";

/** The product's fixed MAPI property-set GUID for its named properties (never change it). */
export const PRODUCT_PROPERTY_SET_GUID = "8D4E2A71-3C9B-4F5E-A6D0-7B1C9E2F4A63";
export const CRM_ID_PROPERTY = `String {${PRODUCT_PROPERTY_SET_GUID}} Name CrmContactPersonId`;
export const SYNC_STATE_PROPERTY = `String {${PRODUCT_PROPERTY_SET_GUID}} Name CrmSyncState`;
/** PidTagBusinessFaxNumber. */
export const BUSINESS_FAX_PROPERTY = "String 0x3A24";

const nullableString = z.string().nullable().optional();
const addressSchema = z
  .object({
    street: nullableString,
    city: nullableString,
    state: nullableString,
    countryOrRegion: nullableString,
    postalCode: nullableString,
  })
  .nullable()
  .optional();

export const graphContactSchema = z.object({
  id: z.string(),
  changeKey: z.string().nullable().optional(),
  parentFolderId: z.string().nullable().optional(),
  displayName: nullableString,
  lastModifiedDateTime: nullableString,
  givenName: nullableString,
  middleName: nullableString,
  surname: nullableString,
  title: nullableString,
  jobTitle: nullableString,
  department: nullableString,
  companyName: nullableString,
  emailAddresses: z
    .array(z.object({ name: nullableString, address: nullableString }))
    .nullable()
    .optional(),
  businessPhones: z.array(z.string()).nullable().optional(),
  homePhones: z.array(z.string()).nullable().optional(),
  mobilePhone: nullableString,
  businessAddress: addressSchema,
  birthday: nullableString,
  personalNotes: nullableString,
  fileAs: nullableString,
  singleValueExtendedProperties: z
    .array(z.object({ id: z.string(), value: z.string().nullable().optional() }))
    .optional(),
});
export type GraphContact = z.infer<typeof graphContactSchema>;

export const graphFolderSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  parentFolderId: z.string().nullable().optional(),
});

/** Every extended property the adapter reads, for `$expand=singleValueExtendedProperties($filter=...)`. */
export const EXPAND_PROPERTIES = `singleValueExtendedProperties($filter=id eq '${CRM_ID_PROPERTY}' or id eq '${SYNC_STATE_PROPERTY}' or id eq '${BUSINESS_FAX_PROPERTY}')`;

/** Graph's matching of property ids: type and GUID case-insensitive, the Name part case-sensitive. */
function normalizePropertyId(id: string): string {
  const named = /^(\w+\s+\{[^}]+\}\s+name\s+)(.*)$/i.exec(id.trim());
  return named ? named[1].toLowerCase().replace(/\s+/g, " ") + named[2] : id.trim().toLowerCase();
}

function property(c: GraphContact, id: string): string | null {
  const p = (c.singleValueExtendedProperties ?? []).find(
    (ep) => normalizePropertyId(ep.id) === normalizePropertyId(id),
  );
  const v = p?.value ?? null;
  return v === null || v === "" ? null : v;
}

function toAddress(a: GraphContact["businessAddress"]): Address {
  const out: Address = {};
  if (!a) return out;
  for (const k of ["street", "city", "postalCode", "state", "countryOrRegion"] as const) {
    const v = a[k];
    if (typeof v === "string" && v !== "") out[k] = v;
  }
  return out;
}

const emptyToNull = (s: string | null | undefined): string | null => (s === undefined || s === "" ? null : s);

/** Parses one Graph contact (throws zod errors on a wrong shape; callers map them to bad-response). */
export function fromGraphContact(json: unknown): OutlookContact {
  const c = graphContactSchema.parse(json);
  const crmId = property(c, CRM_ID_PROPERTY);
  return {
    id: c.id,
    changeKey: c.changeKey ?? "",
    parentFolderId: c.parentFolderId ?? "",
    displayName: emptyToNull(c.displayName),
    lastModifiedDateTime: c.lastModifiedDateTime ?? null,
    givenName: emptyToNull(c.givenName),
    middleName: emptyToNull(c.middleName),
    surname: emptyToNull(c.surname),
    title: emptyToNull(c.title),
    jobTitle: emptyToNull(c.jobTitle),
    department: emptyToNull(c.department),
    companyName: emptyToNull(c.companyName),
    emailAddresses: (c.emailAddresses ?? [])
      .filter((e) => typeof e.address === "string" && e.address !== "")
      .map((e) => ({ name: e.name ?? null, address: e.address as string })),
    businessPhones: c.businessPhones ?? [],
    homePhones: c.homePhones ?? [],
    mobilePhone: emptyToNull(c.mobilePhone),
    businessFax: property(c, BUSINESS_FAX_PROPERTY),
    businessAddress: toAddress(c.businessAddress),
    birthday: c.birthday ? birthdayDate(c.birthday) : null,
    personalNotes: emptyToNull(c.personalNotes),
    fileAs: emptyToNull(c.fileAs),
    link: crmId === null ? null : { crmId, syncState: property(c, SYNC_STATE_PROPERTY) },
  };
}

export function fromGraphFolder(json: unknown): ContactFolder {
  const f = graphFolderSchema.parse(json);
  return { id: f.id, displayName: f.displayName, parentFolderId: f.parentFolderId ?? null };
}

/**
 * The calendar date of a Graph birthday (an Edm.DateTimeOffset). Outlook for Windows stores local
 * midnight of the creating device, so the 1st reads "…-31T22:00:00Z" at UTC+2 and "…-01T08:00:00Z"
 * at UTC-8 (FIDELITY 5). Rule: the UTC date of the instant plus 12 hours, i.e. the nearest UTC
 * midnight. Right for every device offset from UTC-11:59 to UTC+12:00; a bare date is taken as is.
 */
export function birthdayDate(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return null;
  return new Date(t + 12 * 3_600_000).toISOString().slice(0, 10);
}

/** The DateTimeOffset the adapter writes for a calendar date: UTC midnight (the docs' form). */
export function birthdayInstant(date: string): string {
  return `${date.slice(0, 10)}T00:00:00Z`;
}

const PLAIN_FIELDS = [
  "givenName",
  "middleName",
  "surname",
  "title",
  "jobTitle",
  "department",
  "companyName",
  "mobilePhone",
  "personalNotes",
  "fileAs",
  "businessPhones",
  "homePhones",
] as const;

/** The POST/PATCH body for a write; fields left `undefined` are not sent. */
export function toGraphBody(w: OutlookContactWrite): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of PLAIN_FIELDS) if (w[k] !== undefined) body[k] = w[k];
  if (w.displayName) body.displayName = w.displayName; // null: Graph computes it from the names
  if (w.emailAddresses !== undefined)
    body.emailAddresses = w.emailAddresses.map((e) => ({ name: e.name ?? e.address, address: e.address }));
  if (w.businessAddress !== undefined) {
    const a: Record<string, string | null> = {};
    for (const k of ["street", "city", "state", "countryOrRegion", "postalCode"] as const)
      a[k] = w.businessAddress[k] ?? null;
    body.businessAddress = a;
  }
  if (w.birthday !== undefined) body.birthday = w.birthday === null ? null : birthdayInstant(w.birthday);
  const props: { id: string; value: string }[] = [];
  if (w.businessFax !== undefined) props.push({ id: BUSINESS_FAX_PROPERTY, value: w.businessFax ?? "" });
  if (w.link !== undefined) {
    props.push({ id: CRM_ID_PROPERTY, value: w.link?.crmId ?? "" });
    props.push({ id: SYNC_STATE_PROPERTY, value: w.link?.syncState ?? "" });
  }
  if (props.length > 0) body.singleValueExtendedProperties = props;
  return body;
}

/**
 * The contact after a POST/PATCH: Graph's reply omits extended properties, so the written link
 * and fax are taken from the write, and the rest (when known) from `previous`.
 */
export function mergeWriteResult(
  reply: OutlookContact,
  write: OutlookContactWrite,
  previous: Pick<OutlookContact, "link" | "businessFax"> | null,
): OutlookContact {
  const link = write.link !== undefined ? write.link : (previous?.link ?? null);
  const fax = write.businessFax !== undefined ? write.businessFax : (previous?.businessFax ?? null);
  return {
    ...reply,
    businessFax: fax === "" ? null : fax,
    link: link && link.crmId !== "" ? { crmId: link.crmId, syncState: link.syncState ?? null } : null,
  };
}

/** OData string literal: quotes doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** `$filter` on the CRM id property. */
export function crmIdFilter(crmId: string): string {
  return `singleValueExtendedProperties/any(ep: ep/id eq ${odataString(CRM_ID_PROPERTY)} and ep/value eq ${odataString(crmId)})`;
}

/**
 * Whether a sync state read from a list reply was cut: core writes it as a JSON object, and any cut
 * of one is no longer valid JSON (opaque non-JSON values are left alone).
 */
export function syncStateLooksCut(value: string | null | undefined): boolean {
  if (!value?.startsWith("{")) return false;
  try {
    JSON.parse(value);
    return false;
  } catch {
    return true; // cut by the list reply (or corrupt): the caller re-reads the contact by id
  }
}
