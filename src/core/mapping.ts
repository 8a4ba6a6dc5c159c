/**
 * Field mapping between a CRM contact person (+ its business partner) and an Outlook contact.
 * Both sides are first turned into one canonical `MappedRecord` (field -> trimmed string or null);
 * export, import and the three-way sync compare and write records, never raw shapes.
 *
 * | field            | CRM                    | Outlook (Graph)              | group        | Outlook -> CRM |
 * |------------------|------------------------|------------------------------|--------------|----------------|
 * | title            | title                  | title                        | name         | yes            |
 * | firstName        | firstName              | givenName                    | name         | yes            |
 * | lastName         | lastName               | surname                      | name         | yes            |
 * | jobTitle         | jobTitle               | jobTitle                     | organisation | yes            |
 * | department       | department             | department                   | organisation | yes            |
 * | companyName      | businessPartner.name   | companyName                  | organisation | no (partner)   |
 * | email            | email                  | emailAddresses[0].address    | email        | yes            |
 * | phone            | phone                  | businessPhones[0]            | phones       | yes            |
 * | mobile           | mobile                 | mobilePhone                  | phones       | yes            |
 * | fax              | fax                    | businessFax                  | phones       | yes            |
 * | street..country  | businessPartner.address| businessAddress              | address      | no (partner)   |
 * | birthday         | birthday               | birthday                     | birthday     | yes            |
 * | notes            | notes                  | personalNotes                | notes        | yes            |
 *
 * The CRM salutation is not mapped (Outlook has no such field). Outlook's displayName and fileAs
 * are derived ("First Last", "Last, First").
 *
 * @example
 *   const record = recordFromCrm(person, partner);
 *   const write = outlookWriteFromRecord(record); // { givenName: "Anna", surname: "Schmidt", ... }
 */
import type { FieldGroup } from "./config";
import { hashString } from "./hash";
import type {
  Address,
  BusinessPartner,
  ContactPerson,
  ContactPersonInput,
  ContactPersonPatch,
  FieldDirection,
  OutlookContactFields,
  OutlookContactWrite,
} from "./model";

export const mappedFields = [
  "title",
  "firstName",
  "lastName",
  "jobTitle",
  "department",
  "companyName",
  "email",
  "phone",
  "mobile",
  "fax",
  "street",
  "city",
  "postalCode",
  "state",
  "countryOrRegion",
  "birthday",
  "notes",
] as const;
export type MappedField = (typeof mappedFields)[number];
export type MappedRecord = Record<MappedField, string | null>;

export const fieldGroupOf: Readonly<Record<MappedField, FieldGroup>> = {
  title: "name",
  firstName: "name",
  lastName: "name",
  jobTitle: "organisation",
  department: "organisation",
  companyName: "organisation",
  email: "email",
  phone: "phones",
  mobile: "phones",
  fax: "phones",
  street: "address",
  city: "address",
  postalCode: "address",
  state: "address",
  countryOrRegion: "address",
  birthday: "birthday",
  notes: "notes",
};

/** Fields an Outlook edit may write back to the CRM (company and address belong to the partner). */
export const crmWritableFieldNames = [
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
] as const satisfies readonly MappedField[];
export const crmWritableFields: ReadonlySet<MappedField> = new Set<MappedField>(crmWritableFieldNames);

export type FieldDirections = Record<FieldGroup, FieldDirection>;

export const defaultFieldDirections: Readonly<FieldDirections> = {
  name: "crm-to-outlook",
  organisation: "crm-to-outlook",
  email: "crm-to-outlook",
  phones: "crm-to-outlook",
  address: "crm-to-outlook",
  birthday: "crm-to-outlook",
  notes: "crm-to-outlook",
};

/**
 * Effective direction per field: the group's direction, except that partner-owned fields are at
 * most `crm-to-outlook`, and the last name always travels (it is required in the CRM).
 */
export function directionOf(field: MappedField, directions: Partial<FieldDirections>): FieldDirection {
  const group = directions[fieldGroupOf[field]] ?? defaultFieldDirections[fieldGroupOf[field]];
  if (field === "lastName" && group === "none") return "crm-to-outlook";
  if (group === "two-way" && !crmWritableFields.has(field)) return "crm-to-outlook";
  return group;
}

/** Fields that are mapped at all (direction not `none`). */
export function activeFields(directions: Partial<FieldDirections>): MappedField[] {
  return mappedFields.filter((field) => directionOf(field, directions) !== "none");
}

/** Trims, collapses inner whitespace on single-line values, and turns "" into null. */
export function clean(value: string | null | undefined, multiline = false): string | null {
  if (value === null || value === undefined) return null;
  const text = multiline ? value.replace(/\r\n/g, "\n").trim() : value.replace(/\s+/g, " ").trim();
  return text === "" ? null : text;
}

/** `YYYY-MM-DD` from a date or date-time string; null when it is not a date. */
export function cleanDate(value: string | null | undefined): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value?.trim() ?? "");
  return match ? (match[1] ?? null) : null;
}

function addressParts(address: Address | null | undefined) {
  return {
    street: clean(address?.street, true),
    city: clean(address?.city),
    postalCode: clean(address?.postalCode),
    state: clean(address?.state),
    countryOrRegion: clean(address?.countryOrRegion),
  };
}

export function recordFromCrm(person: ContactPerson, partner: BusinessPartner | null): MappedRecord {
  return {
    title: clean(person.title),
    firstName: clean(person.firstName),
    lastName: clean(person.lastName),
    jobTitle: clean(person.jobTitle),
    department: clean(person.department),
    companyName: clean(partner?.name),
    email: clean(person.email),
    phone: clean(person.phone),
    mobile: clean(person.mobile),
    fax: clean(person.fax),
    ...addressParts(partner?.address),
    birthday: cleanDate(person.birthday),
    notes: clean(person.notes, true),
  };
}

export function recordFromOutlook(contact: OutlookContactFields): MappedRecord {
  return {
    title: clean(contact.title),
    firstName: clean(contact.givenName),
    lastName: clean(contact.surname),
    jobTitle: clean(contact.jobTitle),
    department: clean(contact.department),
    companyName: clean(contact.companyName),
    email: clean(contact.emailAddresses[0]?.address),
    phone: clean(contact.businessPhones[0]),
    mobile: clean(contact.mobilePhone),
    fax: clean(contact.businessFax),
    ...addressParts(contact.businessAddress),
    birthday: cleanDate(contact.birthday),
    notes: clean(contact.personalNotes, true),
  };
}

/** "First Last" (or whatever parts exist). */
export function displayNameOf(record: Pick<MappedRecord, "firstName" | "lastName">): string | null {
  return clean([record.firstName, record.lastName].filter(Boolean).join(" "));
}

/** "Last, First" (or whatever parts exist). */
export function fileAsOf(record: Pick<MappedRecord, "firstName" | "lastName">): string | null {
  return clean([record.lastName, record.firstName].filter(Boolean).join(", "));
}

/**
 * The Outlook write for the given fields of a record (default: all). Phones and e-mail replace
 * only the first entry of their Graph collection: pass `current` to keep the user's other entries.
 * A null e-mail/phone empties its collection, so that `recordFromOutlook` reads back the record.
 */
export function outlookWriteFromRecord(
  record: MappedRecord,
  fields: readonly MappedField[] = mappedFields,
  current?: OutlookContactFields,
): OutlookContactWrite {
  const wanted = new Set(fields);
  const write: OutlookContactWrite = {};
  if (wanted.has("title")) write.title = record.title;
  if (wanted.has("firstName")) write.givenName = record.firstName;
  if (wanted.has("lastName")) write.surname = record.lastName;
  if (wanted.has("firstName") || wanted.has("lastName")) {
    write.fileAs = fileAsOf(record);
    write.displayName = clean(
      [record.firstName, current?.middleName ?? null, record.lastName].filter(Boolean).join(" "),
    );
  }
  if (wanted.has("jobTitle")) write.jobTitle = record.jobTitle;
  if (wanted.has("department")) write.department = record.department;
  if (wanted.has("companyName")) write.companyName = record.companyName;
  // A cleared e-mail/phone empties the collection: Graph has no blank first entry, and a promoted
  // second entry would read back as the mapped value (a change that never converges).
  if (wanted.has("email")) {
    const rest = current?.emailAddresses.slice(1) ?? [];
    write.emailAddresses = record.email
      ? [{ name: displayNameOf(record) ?? record.email, address: record.email }, ...rest]
      : [];
  }
  if (wanted.has("phone")) {
    const rest = current?.businessPhones.slice(1) ?? [];
    write.businessPhones = record.phone ? [record.phone, ...rest] : [];
  }
  if (wanted.has("mobile")) write.mobilePhone = record.mobile;
  if (wanted.has("fax")) write.businessFax = record.fax;
  const addressFields: MappedField[] = ["street", "city", "postalCode", "state", "countryOrRegion"];
  if (addressFields.some((field) => wanted.has(field))) {
    write.businessAddress = {
      street: record.street,
      city: record.city,
      postalCode: record.postalCode,
      state: record.state,
      countryOrRegion: record.countryOrRegion,
    };
  }
  if (wanted.has("birthday")) write.birthday = record.birthday;
  if (wanted.has("notes")) write.personalNotes = record.notes;
  return write;
}

/** The CRM patch for the given fields (only those the CRM owns; partner fields are dropped). */
export function crmPatchFromRecord(record: MappedRecord, fields: readonly MappedField[]): ContactPersonPatch {
  const patch: ContactPersonPatch = {};
  for (const field of fields) {
    if (!crmWritableFields.has(field)) continue;
    if (field === "lastName") {
      if (record.lastName) patch.lastName = record.lastName; // never blank a required field
      continue;
    }
    (patch as Record<string, string | null>)[field] = record[field];
  }
  return patch;
}

/** A new CRM contact person from an Outlook contact (import). `lastName` may be "" when missing: validate first. */
export function crmInputFromOutlook(
  contact: OutlookContactFields,
  businessPartnerId: string,
): ContactPersonInput {
  const record = recordFromOutlook(contact);
  return {
    businessPartnerId,
    salutation: null,
    title: record.title,
    firstName: record.firstName,
    lastName: record.lastName ?? "",
    jobTitle: record.jobTitle,
    department: record.department,
    email: record.email,
    phone: record.phone,
    mobile: record.mobile,
    fax: record.fax,
    birthday: record.birthday,
    notes: record.notes,
  };
}

/** Fields whose values differ between two records (among `fields`, default all). */
export function diffRecords(
  a: MappedRecord,
  b: MappedRecord,
  fields: readonly MappedField[] = mappedFields,
): MappedField[] {
  return fields.filter((field) => (a[field] ?? null) !== (b[field] ?? null));
}

/** Keeps only the given fields (others null), e.g. to store what was synchronised. */
export function pickFields(record: MappedRecord, fields: readonly MappedField[]): MappedRecord {
  const wanted = new Set(fields);
  const out = {} as MappedRecord;
  for (const field of mappedFields) out[field] = wanted.has(field) ? record[field] : null;
  return out;
}

/** Stable content hash of a record's given fields (order-independent of object key order). */
export function recordHash(record: MappedRecord, fields: readonly MappedField[] = mappedFields): string {
  return hashString(JSON.stringify(fields.map((field) => [field, record[field] ?? null])));
}
