/**
 * SQLite storage of the reference CRM server (better-sqlite3, synchronous). Keeps the
 * normalised lookup columns (lower-case e-mail, E.164 phone/mobile/fax, accent-free last name)
 * and a search column, all indexed. Paging is keyset paging over (sort key, id); the cursor is
 * opaque base64url JSON.
 *
 * @example
 *   const store = openStore(":memory:");
 *   store.seed(demoData());
 *   store.searchPersons({ search: "schmidt", limit: 10 }, "demo.user").items.length; // <= 10
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import type {
  BusinessPartner,
  ContactPerson,
  ContactPersonFields,
  ContactPersonStatus,
  Photo,
  PhotoContentType,
} from "../../../src/core/model";
import type { DemoData } from "../demo-data";
import { emailKey, KEY_VERSION, nameKey, phoneKey, textKey } from "./normalize-keys";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS business_partners (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  street TEXT, city TEXT, postal_code TEXT, state TEXT, country TEXT,
  phone TEXT, website TEXT,
  email_domains TEXT NOT NULL,
  sort_key TEXT NOT NULL,
  city_key TEXT NOT NULL,
  search_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bp_sort ON business_partners (sort_key, id);
CREATE INDEX IF NOT EXISTS bp_city ON business_partners (city_key);

CREATE TABLE IF NOT EXISTS contact_persons (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  business_partner_id TEXT NOT NULL REFERENCES business_partners(id),
  salutation TEXT, title TEXT, first_name TEXT, last_name TEXT NOT NULL,
  job_title TEXT, department TEXT, email TEXT, phone TEXT, mobile TEXT, fax TEXT,
  birthday TEXT, notes TEXT,
  responsible_employee TEXT,
  status TEXT NOT NULL DEFAULT 'active',
  rev INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  email_key TEXT, phone_e164 TEXT, mobile_e164 TEXT, fax_e164 TEXT, last_name_key TEXT,
  sort_key TEXT NOT NULL,
  search_text TEXT NOT NULL,
  photo BLOB, photo_type TEXT
);
CREATE INDEX IF NOT EXISTS cp_email ON contact_persons (email_key);
CREATE INDEX IF NOT EXISTS cp_phone ON contact_persons (phone_e164);
CREATE INDEX IF NOT EXISTS cp_mobile ON contact_persons (mobile_e164);
CREATE INDEX IF NOT EXISTS cp_fax ON contact_persons (fax_e164);
CREATE INDEX IF NOT EXISTS cp_last_name ON contact_persons (last_name_key);
CREATE INDEX IF NOT EXISTS cp_sort ON contact_persons (sort_key, id);
CREATE INDEX IF NOT EXISTS cp_partner ON contact_persons (business_partner_id, sort_key, id);
CREATE INDEX IF NOT EXISTS cp_responsible ON contact_persons (responsible_employee, sort_key, id);

CREATE TABLE IF NOT EXISTS outlook_wishes (
  person_id TEXT NOT NULL,
  user_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (person_id, user_key)
);
CREATE INDEX IF NOT EXISTS ow_user ON outlook_wishes (user_key, person_id);

CREATE TABLE IF NOT EXISTS idempotency_keys (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  person_id TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
`;

interface PartnerRow {
  id: string;
  name: string;
  street: string | null;
  city: string | null;
  postal_code: string | null;
  state: string | null;
  country: string | null;
  phone: string | null;
  website: string | null;
  email_domains: string;
  sort_key: string;
}

interface PersonRow {
  seq: number;
  id: string;
  business_partner_id: string;
  salutation: string | null;
  title: string | null;
  first_name: string | null;
  last_name: string;
  job_title: string | null;
  department: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  fax: string | null;
  birthday: string | null;
  notes: string | null;
  responsible_employee: string | null;
  status: ContactPersonStatus;
  rev: number;
  updated_at: string;
  sort_key: string;
  has_photo: number;
  outlook_users: string | null;
}

const PERSON_COLUMNS = `p.seq, p.id, p.business_partner_id, p.salutation, p.title, p.first_name, p.last_name,
  p.job_title, p.department, p.email, p.phone, p.mobile, p.fax, p.birthday, p.notes, p.responsible_employee,
  p.status, p.rev, p.updated_at, p.sort_key, (p.photo IS NOT NULL) AS has_photo,
  (SELECT json_group_array(w.user_id) FROM outlook_wishes w WHERE w.person_id = p.id) AS outlook_users`;

/** Thrown for an unparseable cursor; the server answers 400 naming `cursor`. */
export class InvalidCursorError extends Error {
  constructor() {
    super("cursor is not valid");
    this.name = "InvalidCursorError";
  }
}

export interface PageResult<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PersonSearch {
  search?: string | undefined;
  businessPartnerId?: string | undefined;
  /** Partner matched as by `searchPartners` (every word in the partner's search text). */
  businessPartnerSearch?: string | undefined;
  city?: string | undefined;
  responsibleMe?: boolean | undefined;
  outlookUser?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export type CreateOutcome =
  | { kind: "created"; person: ContactPerson }
  | { kind: "replayed"; person: ContactPerson }
  | { kind: "key-reused" };

export type PatchOutcome =
  | { kind: "updated"; person: ContactPerson }
  | { kind: "unchanged"; person: ContactPerson }
  | { kind: "not-found" }
  | { kind: "stale"; current: string };

export const versionOf = (rev: number): string => `v${rev}`;

function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      typeof value[1] === "string"
    ) {
      return [value[0], value[1]];
    }
  } catch {
    throw new InvalidCursorError();
  }
  throw new InvalidCursorError();
}

function toPartner(row: PartnerRow): BusinessPartner {
  return {
    id: row.id,
    name: row.name,
    address: {
      street: row.street,
      city: row.city,
      postalCode: row.postal_code,
      state: row.state,
      countryOrRegion: row.country,
    },
    phone: row.phone,
    website: row.website,
    emailDomains: JSON.parse(row.email_domains) as string[],
  };
}

function toPerson(row: PersonRow): ContactPerson {
  return {
    id: row.id,
    businessPartnerId: row.business_partner_id,
    salutation: row.salutation,
    title: row.title,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    department: row.department,
    email: row.email,
    phone: row.phone,
    mobile: row.mobile,
    fax: row.fax,
    birthday: row.birthday,
    notes: row.notes,
    responsibleEmployee: row.responsible_employee,
    hasPhoto: row.has_photo === 1,
    version: versionOf(row.rev),
    updatedAt: row.updated_at,
    status: row.status,
    outlookUsers: (JSON.parse(row.outlook_users ?? "[]") as string[]).sort(),
  };
}

/** Stable hash of a JSON value (object keys sorted) for idempotency comparisons. */
export function canonicalHash(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return createHash("sha256")
    .update(JSON.stringify(canonical(value)))
    .digest("hex");
}

function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const personSortKey = (lastName: string, firstName: string | null): string =>
  `${textKey(lastName)}\u0001${textKey(firstName)}`;

export type CrmStore = ReturnType<typeof openStore>;

export function openStore(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.exec(SCHEMA);

  const partnerSearchText = (bp: BusinessPartner): string =>
    textKey([bp.name, bp.address.city, ...bp.emailDomains].filter(Boolean).join(" "));
  const insertPartner = db.prepare(`INSERT INTO business_partners
    (id, name, street, city, postal_code, state, country, phone, website, email_domains, sort_key, city_key, search_text)
    VALUES (@id, @name, @street, @city, @postal_code, @state, @country, @phone, @website, @email_domains, @sort_key, @city_key, @search_text)`);
  const partnerName = db.prepare<[string], { name: string }>(
    "SELECT name FROM business_partners WHERE id = ?",
  );

  const derived = (f: ContactPersonFields) => {
    const bpName = partnerName.get(f.businessPartnerId)?.name ?? "";
    return {
      email_key: emailKey(f.email),
      phone_e164: phoneKey(f.phone),
      mobile_e164: phoneKey(f.mobile),
      fax_e164: phoneKey(f.fax),
      last_name_key: nameKey(f.lastName),
      sort_key: personSortKey(f.lastName, f.firstName),
      search_text: textKey([f.firstName, f.lastName, f.email, bpName].filter(Boolean).join(" ")),
    };
  };
  const fieldColumns = (f: ContactPersonFields) => ({
    business_partner_id: f.businessPartnerId,
    salutation: f.salutation,
    title: f.title,
    first_name: f.firstName,
    last_name: f.lastName,
    job_title: f.jobTitle,
    department: f.department,
    email: f.email,
    phone: f.phone,
    mobile: f.mobile,
    fax: f.fax,
    birthday: f.birthday,
    notes: f.notes,
  });

  const insertPerson = db.prepare(`INSERT INTO contact_persons
    (seq, id, business_partner_id, salutation, title, first_name, last_name, job_title, department, email, phone,
     mobile, fax, birthday, notes, responsible_employee, status, rev, updated_at, email_key, phone_e164,
     mobile_e164, fax_e164, last_name_key, sort_key, search_text, photo, photo_type)
    VALUES (@seq, @id, @business_partner_id, @salutation, @title, @first_name, @last_name, @job_title, @department,
     @email, @phone, @mobile, @fax, @birthday, @notes, @responsible_employee, @status, @rev, @updated_at,
     @email_key, @phone_e164, @mobile_e164, @fax_e164, @last_name_key, @sort_key, @search_text, @photo, @photo_type)`);
  const selectPerson = db.prepare<[string], PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM contact_persons p WHERE p.id = ?`,
  );
  const nextSeq = db.prepare<[], { next: number }>(
    "SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM contact_persons",
  );

  const getPersonAny = (id: string): ContactPerson | null => {
    const row = selectPerson.get(id);
    return row === undefined ? null : toPerson(row);
  };

  const seed = db.transaction((data: DemoData) => {
    for (const bp of data.businessPartners) {
      insertPartner.run({
        id: bp.id,
        name: bp.name,
        street: bp.address.street ?? null,
        city: bp.address.city ?? null,
        postal_code: bp.address.postalCode ?? null,
        state: bp.address.state ?? null,
        country: bp.address.countryOrRegion ?? null,
        phone: bp.phone,
        website: bp.website,
        email_domains: JSON.stringify(bp.emailDomains),
        sort_key: textKey(bp.name),
        city_key: textKey(bp.address.city),
        search_text: partnerSearchText(bp),
      });
    }
    for (const p of data.contactPersons) {
      insertPerson.run({
        seq: Number(/(\d+)$/.exec(p.id)?.[1] ?? nextSeq.get()?.next ?? 1),
        id: p.id,
        ...fieldColumns(p),
        responsible_employee: p.responsibleEmployee,
        status: p.status,
        rev: Number(p.version.replace(/^v/, "")) || 1,
        updated_at: p.updatedAt,
        ...derived(p),
        photo: p.photo === undefined ? null : Buffer.from(p.photo.data),
        photo_type: p.photo?.contentType ?? null,
      });
    }
  });

  /** Stored keys of a file written by an older key definition are recomputed once. */
  const refreshKeys = db.transaction(() => {
    const update = db.prepare(`UPDATE contact_persons SET email_key = @email_key, phone_e164 = @phone_e164,
      mobile_e164 = @mobile_e164, fax_e164 = @fax_e164, last_name_key = @last_name_key, sort_key = @sort_key,
      search_text = @search_text WHERE id = @id`);
    for (const row of db.prepare<[], PersonRow>(`SELECT ${PERSON_COLUMNS} FROM contact_persons p`).all())
      update.run({ id: row.id, ...derived(toPerson(row)) });
    const partners = db.prepare(
      "UPDATE business_partners SET sort_key = @sort_key, city_key = @city_key, search_text = @search_text WHERE id = @id",
    );
    for (const row of db.prepare<[], PartnerRow>("SELECT * FROM business_partners").all()) {
      const bp = toPartner(row);
      partners.run({
        id: bp.id,
        sort_key: textKey(bp.name),
        city_key: textKey(bp.address.city),
        search_text: partnerSearchText(bp),
      });
    }
    db.pragma(`user_version = ${KEY_VERSION}`);
  });
  if ((db.pragma("user_version", { simple: true }) as number) < KEY_VERSION) refreshKeys();

  const isEmpty = (): boolean =>
    (db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM business_partners").get()?.n ?? 0) === 0;

  const searchPartners = (q: { search?: string | undefined; cursor?: string | undefined; limit: number }) => {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const word of textKey(q.search).split(" ").filter(Boolean)) {
      where.push("search_text LIKE ? ESCAPE '\\'");
      params.push(likePattern(word));
    }
    if (q.cursor !== undefined) {
      const [sortKey, id] = decodeCursor(q.cursor);
      where.push("(sort_key, id) > (?, ?)");
      params.push(sortKey, id);
    }
    const sql = `SELECT * FROM business_partners ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY sort_key, id LIMIT ?`;
    const rows = db.prepare<unknown[], PartnerRow>(sql).all(...params, q.limit + 1);
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toPartner),
      nextCursor: more && last !== undefined ? encodeCursor(last.sort_key, last.id) : null,
    } satisfies PageResult<BusinessPartner>;
  };

  const getPartner = (id: string): BusinessPartner | null => {
    const row = db.prepare<[string], PartnerRow>("SELECT * FROM business_partners WHERE id = ?").get(id);
    return row === undefined ? null : toPartner(row);
  };

  const searchPersons = (q: PersonSearch, userId: string): PageResult<ContactPerson> => {
    const where: string[] = ["p.status <> 'deleted'"];
    const params: unknown[] = [];
    let join = "";
    for (const word of textKey(q.search).split(" ").filter(Boolean)) {
      where.push("p.search_text LIKE ? ESCAPE '\\'");
      params.push(likePattern(word));
    }
    if (q.businessPartnerId !== undefined) {
      where.push("p.business_partner_id = ?");
      params.push(q.businessPartnerId);
    }
    const partnerWords = textKey(q.businessPartnerSearch).split(" ").filter(Boolean);
    if (q.city !== undefined || partnerWords.length > 0) {
      join = "JOIN business_partners b ON b.id = p.business_partner_id";
    }
    if (q.city !== undefined) {
      where.push("b.city_key = ?");
      params.push(textKey(q.city));
    }
    for (const word of partnerWords) {
      where.push("b.search_text LIKE ? ESCAPE '\\'");
      params.push(likePattern(word));
    }
    if (q.responsibleMe === true) {
      where.push("p.responsible_employee = ?");
      params.push(userId);
    }
    if (q.outlookUser !== undefined) {
      where.push("p.id IN (SELECT person_id FROM outlook_wishes WHERE user_key = ?)");
      params.push(q.outlookUser.toLowerCase());
    }
    if (q.cursor !== undefined) {
      const [sortKey, id] = decodeCursor(q.cursor);
      where.push("(p.sort_key, p.id) > (?, ?)");
      params.push(sortKey, id);
    }
    const sql = `SELECT ${PERSON_COLUMNS} FROM contact_persons p ${join} WHERE ${where.join(" AND ")}
      ORDER BY p.sort_key, p.id LIMIT ?`;
    const rows = db.prepare<unknown[], PersonRow>(sql).all(...params, q.limit + 1);
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toPerson),
      nextCursor: more && last !== undefined ? encodeCursor(last.sort_key, last.id) : null,
    };
  };

  const batchGetPartners = (ids: string[]): { items: BusinessPartner[]; missing: string[] } => {
    const unique = [...new Set(ids)];
    const rows = db
      .prepare<[string], PartnerRow>(
        "SELECT * FROM business_partners WHERE id IN (SELECT value FROM json_each(?))",
      )
      .all(JSON.stringify(unique));
    const byId = new Map(rows.map((r) => [r.id, toPartner(r)]));
    return {
      items: unique.flatMap((id) => {
        const partner = byId.get(id);
        return partner === undefined ? [] : [partner];
      }),
      missing: unique.filter((id) => !byId.has(id)),
    };
  };

  /** A person visible to normal reads (not deleted). */
  const getPerson = (id: string): ContactPerson | null => {
    const person = getPersonAny(id);
    return person === null || person.status === "deleted" ? null : person;
  };

  const findIdempotency = db.prepare<[string, string], { body_hash: string; response: string }>(
    "SELECT body_hash, response FROM idempotency_keys WHERE user_id = ? AND key = ?",
  );
  const insertIdempotency = db.prepare(
    "INSERT INTO idempotency_keys (user_id, key, body_hash, person_id, response, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );

  const create = db.transaction(
    (
      fields: ContactPersonFields,
      idempotencyKey: string,
      bodyHash: string,
      userId: string,
    ): CreateOutcome => {
      const previous = findIdempotency.get(userId, idempotencyKey);
      if (previous !== undefined) {
        if (previous.body_hash !== bodyHash) return { kind: "key-reused" };
        return { kind: "replayed", person: JSON.parse(previous.response) as ContactPerson };
      }
      const seq = nextSeq.get()?.next ?? 1;
      const id = `cp-${String(seq).padStart(5, "0")}`;
      const now = new Date().toISOString();
      insertPerson.run({
        seq,
        id,
        ...fieldColumns(fields),
        responsible_employee: userId,
        status: "active",
        rev: 1,
        updated_at: now,
        ...derived(fields),
        photo: null,
        photo_type: null,
      });
      const person = getPersonAny(id);
      if (person === null) throw new Error("created person vanished");
      insertIdempotency.run(userId, idempotencyKey, bodyHash, id, JSON.stringify(person), now);
      return { kind: "created", person };
    },
  );

  const patch = db.transaction(
    (
      id: string,
      patchBody: Partial<ContactPersonFields> & { outlookUsers?: string[] },
      ifMatch: string,
    ): PatchOutcome => {
      const current = getPerson(id);
      if (current === null) return { kind: "not-found" };
      if (current.version !== ifMatch) return { kind: "stale", current: current.version };
      const { outlookUsers, ...changes } = patchBody;
      let wishesChanged = false;
      if (outlookUsers !== undefined) {
        const key = (list: string[]): string =>
          [...new Set(list.map((u) => u.toLowerCase()))].sort().join("\n");
        wishesChanged = key(outlookUsers) !== key(current.outlookUsers ?? []);
        db.prepare("DELETE FROM outlook_wishes WHERE person_id = ?").run(id);
        const add = db.prepare(
          "INSERT OR IGNORE INTO outlook_wishes (person_id, user_key, user_id) VALUES (?, ?, ?)",
        );
        for (const user of outlookUsers) add.run(id, user.toLowerCase(), user);
      }
      const changed = (Object.keys(changes) as (keyof ContactPersonFields)[]).filter(
        (key) => changes[key] !== undefined && changes[key] !== current[key],
      );
      // Nothing to change (an empty or null merge patch, or the current values): no new version.
      // A changed wish list (the CRM-side switch) is a change of the person.
      if (changed.length === 0 && !wishesChanged) return { kind: "unchanged", person: current };
      const merged: ContactPersonFields = { ...current, ...changes };
      const row = selectPerson.get(id);
      const rev = (row?.rev ?? 0) + 1;
      db.prepare(
        `UPDATE contact_persons SET business_partner_id = @business_partner_id, salutation = @salutation,
          title = @title, first_name = @first_name, last_name = @last_name, job_title = @job_title,
          department = @department, email = @email, phone = @phone, mobile = @mobile, fax = @fax,
          birthday = @birthday, notes = @notes, rev = @rev, updated_at = @updated_at, email_key = @email_key,
          phone_e164 = @phone_e164, mobile_e164 = @mobile_e164, fax_e164 = @fax_e164,
          last_name_key = @last_name_key, sort_key = @sort_key, search_text = @search_text
         WHERE id = @id`,
      ).run({ id, ...fieldColumns(merged), ...derived(merged), rev, updated_at: new Date().toISOString() });
      const person = getPersonAny(id);
      if (person === null) return { kind: "not-found" };
      return { kind: "updated", person };
    },
  );

  const getPhoto = (id: string): (Photo & { version: string }) | null => {
    const row = db
      .prepare<[string], { photo: Buffer | null; photo_type: string | null; rev: number }>(
        "SELECT photo, photo_type, rev FROM contact_persons WHERE id = ? AND status <> 'deleted'",
      )
      .get(id);
    if (row === undefined || row.photo === null || row.photo_type === null) return null;
    return {
      contentType: row.photo_type as PhotoContentType,
      data: new Uint8Array(row.photo),
      version: versionOf(row.rev),
    };
  };

  const putPhoto = db.transaction((id: string, photo: Photo, ifMatch: string | undefined): PatchOutcome => {
    const current = getPerson(id);
    if (current === null) return { kind: "not-found" };
    if (ifMatch !== undefined && current.version !== ifMatch)
      return { kind: "stale", current: current.version };
    db.prepare(
      "UPDATE contact_persons SET photo = ?, photo_type = ?, rev = rev + 1, updated_at = ? WHERE id = ?",
    ).run(Buffer.from(photo.data), photo.contentType, new Date().toISOString(), id);
    const person = getPersonAny(id);
    return person === null ? { kind: "not-found" } : { kind: "updated", person };
  });

  /** Persons (not deleted) that `userId` created with one of these idempotency keys. */
  const createdWith = (
    userId: string,
    keys: readonly string[],
  ): { idempotencyKey: string; id: string; active: boolean }[] =>
    keys.length === 0
      ? []
      : db
          .prepare<[string, string], { key: string; person_id: string; status: ContactPersonStatus }>(
            `SELECT k.key, k.person_id, p.status FROM idempotency_keys k JOIN contact_persons p ON p.id = k.person_id
             WHERE k.user_id = ? AND k.key IN (SELECT value FROM json_each(?)) AND p.status <> 'deleted'
             ORDER BY k.key`,
          )
          .all(userId, JSON.stringify([...new Set(keys)]))
          .map((r) => ({ idempotencyKey: r.key, id: r.person_id, active: r.status === "active" }));

  const lookup = (keys: { emails: string[]; phones: string[]; lastNames: string[] }): ContactPerson[] => {
    const emails = [...new Set(keys.emails.map(emailKey).filter((k): k is string => k !== null))];
    const phones = [...new Set(keys.phones.map(phoneKey).filter((k): k is string => k !== null))];
    const names = [...new Set(keys.lastNames.map(nameKey).filter((k): k is string => k !== null))];
    if (emails.length + phones.length + names.length === 0) return [];
    const rows = db
      .prepare<[{ emails: string; phones: string; names: string }], PersonRow>(
        `SELECT ${PERSON_COLUMNS} FROM contact_persons p WHERE p.status = 'active' AND (
          p.email_key IN (SELECT value FROM json_each(@emails))
          OR p.phone_e164 IN (SELECT value FROM json_each(@phones))
          OR p.mobile_e164 IN (SELECT value FROM json_each(@phones))
          OR p.fax_e164 IN (SELECT value FROM json_each(@phones))
          OR p.last_name_key IN (SELECT value FROM json_each(@names)))
         ORDER BY p.sort_key, p.id`,
      )
      .all({ emails: JSON.stringify(emails), phones: JSON.stringify(phones), names: JSON.stringify(names) });
    return rows.map(toPerson);
  };

  const batchGet = (ids: string[]): { items: ContactPerson[]; missing: string[] } => {
    const unique = [...new Set(ids)];
    const rows = db
      .prepare<[string], PersonRow>(
        `SELECT ${PERSON_COLUMNS} FROM contact_persons p WHERE p.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(unique));
    const byId = new Map(rows.map((r) => [r.id, toPerson(r)]));
    return {
      items: unique.flatMap((id) => {
        const person = byId.get(id);
        return person === undefined ? [] : [person];
      }),
      missing: unique.filter((id) => !byId.has(id)),
    };
  };

  return {
    seed: (data: DemoData) => seed(data),
    isEmpty,
    searchPartners,
    getPartner,
    batchGetPartners,
    searchPersons,
    getPerson,
    create,
    patch,
    getPhoto,
    putPhoto,
    lookup,
    createdWith,
    batchGet,
    close: () => db.close(),
  };
}
