/**
 * The import plan (Outlook -> CRM): which Outlook contacts become new CRM contact persons, which
 * are linked to an existing person, and which are skipped and why. Pure data; the import runner
 * (src/app/import-runner.ts) applies it, the import view shows it.
 *
 * Rules, in this order, per candidate:
 * 0. ticked, and an earlier, interrupted import of this contact created its CRM person
 *    (`duplicates[id].resumeId`) -> `link` to that person with `resumed: true` (finishes it);
 * 1. a "link to existing" choice whose CRM id is one of the duplicate matches -> `link`;
 * 2. not ticked -> skip `not-selected`;
 * 3. certain duplicate -> skip `certain-duplicate` (a certain duplicate is never imported);
 * 4. no duplicate result (check not done) -> skip `duplicate-unknown`;
 * 5. no business partner -> skip `no-partner`;
 * 6. blocking data problems (no last name, invalid e-mail, unparseable phone, too long) -> skip
 *    `invalid-data` with the problems per field;
 * 7. otherwise -> `import` with a deterministic idempotency key (see `importIdempotencyKey`).
 *
 * @example
 *   const plan = planImport({ candidates, assignments: { [c.id]: "bp-0001" }, duplicates: { [c.id]: none },
 *     selected: [c.id], links: {}, defaultRegion: "DE" });
 *   plan.steps[0].kind // "import"
 */
import { z } from "zod";
import { hashString } from "../hash";
import {
  clean,
  crmInputFromOutlook,
  crmWritableFieldNames,
  crmWritableFields,
  outlookWriteFromRecord,
  recordFromOutlook,
  type MappedField,
  type MappedRecord,
} from "../mapping";
import type { ContactPersonInput, OutlookContact, OutlookContactFields, OutlookContactWrite } from "../model";
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { classifyDuplicate, type ExistingPerson } from "../duplicates";
import { normalizeEmail } from "../normalize";
import { hasVisibleText, unsafeText } from "../text-safety";

/** The part of a duplicate result the plan needs (structurally compatible with core/duplicates). */
export interface ImportDuplicateInfo {
  status: "certain" | "possible" | "none";
  matches: readonly { id: string; reason: string }[];
  /** The person an earlier, interrupted import of this contact created (see core/duplicates). */
  resumeId?: string;
}

/** Fields the import writes to the CRM (and that the user may complete in the row). */
export const importFields = crmWritableFieldNames;
export type ImportField = (typeof importFields)[number];

/**
 * Maximum lengths (UTF-16 units) of the CRM contract v1 (test/servers/crm/validation.ts, the OpenAPI
 * ContactPersonInput; the server answers 400 beyond them). A longer value is a blocking problem.
 */
export const crmFieldLimits: Readonly<Record<ImportField, number>> = {
  title: 50,
  firstName: 100,
  lastName: 100,
  jobTitle: 200,
  department: 200,
  email: 254,
  phone: 50,
  mobile: 50,
  fax: 50,
  birthday: 10,
  notes: 4000,
};

export type ProblemCode =
  "missing" | "invalid-email" | "invalid-phone" | "too-long" | "invalid-text" | "markup";

export interface FieldProblem {
  field: ImportField;
  code: ProblemCode;
  /** Blocking problems keep the row from being imported until fixed; others are hints only. */
  blocking: boolean;
  /** For `too-long`: the CRM's maximum length. */
  limit?: number;
}

const PHONE_FIELDS = ["phone", "mobile", "fax"] as const;
/** The characters the CRM contract accepts in a phone number. */
const CRM_PHONE = /^\+?[0-9 ()\-./]*[0-9][0-9 ()\-./]*$/;
const crmEmail = z.email();
/** Text that looks like HTML or script (shown and stored as plain text, but hinted at). */
const MARKUP = /<\/?[a-z!][^>]*>|javascript\s*:|\bon[a-z]+\s*=/i;

/**
 * Whether a number can be read at all (a possible number of its region, parsed with the default
 * region when it has no country code). Deliberately weaker than `normalizePhone`'s validity check:
 * a number from an unallocated range is still a number the CRM accepts and a person may dial.
 */
function isPossiblePhone(value: string, defaultRegion: string): boolean {
  const region = defaultRegion.trim().toUpperCase();
  const parsed = parsePhoneNumberFromString(
    value,
    isSupportedCountry(region) ? (region as CountryCode) : undefined,
  );
  return parsed?.isPossible() ?? false;
}

/**
 * Problems per field of an Outlook contact as it would be imported (after the mapping cleans it).
 * Blocking: no (visible) last name, unpaired surrogates or control characters, invalid e-mail, unparseable phone, longer than the CRM allows.
 * Hint only: markup/script-like text (it is kept verbatim and always shown as text).
 *
 * @example
 *   validateImportCandidate({ ...contact, surname: " ", emailAddresses: [{ name: null, address: "x@" }] }, "DE")
 *   // [{ field: "lastName", code: "missing", blocking: true }, { field: "email", code: "invalid-email", blocking: true }]
 */
export function validateImportCandidate(
  contact: OutlookContactFields,
  defaultRegion: string,
): FieldProblem[] {
  return validateRecord(recordFromOutlook(contact), defaultRegion);
}

/** Same as `validateImportCandidate` on an already mapped record. */
export function validateRecord(record: MappedRecord, defaultRegion: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!record.lastName || !hasVisibleText(record.lastName))
    problems.push({ field: "lastName", code: "missing", blocking: true });
  // Text the CRM contract refuses (lone surrogates, control characters): src/core/text-safety.ts.
  for (const field of importFields) {
    const value = record[field];
    if (value && unsafeText(value, field === "notes") !== null)
      problems.push({ field, code: "invalid-text", blocking: true });
  }
  if (record.email && (!normalizeEmail(record.email) || !crmEmail.safeParse(record.email).success)) {
    problems.push({ field: "email", code: "invalid-email", blocking: true });
  }
  for (const field of PHONE_FIELDS) {
    const value = record[field];
    if (value && (!CRM_PHONE.test(value) || !isPossiblePhone(value, defaultRegion)))
      problems.push({ field, code: "invalid-phone", blocking: true });
  }
  for (const field of importFields) {
    const value = record[field];
    if (value && value.length > crmFieldLimits[field]) {
      problems.push({ field, code: "too-long", blocking: true, limit: crmFieldLimits[field] });
    }
  }
  for (const field of importFields) {
    const value = record[field];
    if (value && MARKUP.test(value)) problems.push({ field, code: "markup", blocking: false });
  }
  return problems;
}

/** Values the user typed in the row to complete a contact; `null` or "" clears the field. */
export type ImportEdits = Partial<Record<ImportField, string | null>>;

export interface EditedCandidate {
  /** The contact with the edits applied (what is validated, checked for duplicates and imported). */
  contact: OutlookContact;
  /** What to write back onto the Outlook contact with the link, or null when nothing was edited. */
  outlookPatch: OutlookContactWrite | null;
}

/**
 * Applies the row's edits to an Outlook contact, so that Outlook and the CRM agree afterwards.
 *
 * @example applyImportEdits(contact, { lastName: "Meyer" }).outlookPatch // { surname: "Meyer", fileAs: "Meyer, Eva" }
 */
export function applyImportEdits(contact: OutlookContact, edits: ImportEdits | undefined): EditedCandidate {
  const fields = Object.keys(edits ?? {}).filter((field): field is ImportField =>
    crmWritableFields.has(field as MappedField),
  );
  if (!edits || fields.length === 0) return { contact, outlookPatch: null };
  const record = recordFromOutlook(contact);
  for (const field of fields) record[field] = clean(edits[field] ?? null, field === "notes");
  const patch = outlookWriteFromRecord(record, fields, contact);
  const { link: _link, ...fieldsPatch } = patch;
  return { contact: { ...contact, ...fieldsPatch }, outlookPatch: patch };
}

/**
 * The `Idempotency-Key` of the CRM create for one Outlook contact: derived only from the Outlook
 * contact id (two independent 53-bit hashes), so a retried or re-run import of the same contact
 * replays the first create instead of making a second person. If the data changed in between,
 * the CRM answers `conflict` rather than creating twice.
 *
 * @example importIdempotencyKey("AAMkAGI2...") // "outlook-import-1b2c3d4e5f6a7-0a9b8c7d6e5f4"
 */
export function importIdempotencyKey(outlookId: string): string {
  return `outlook-import-${hashString(outlookId)}-${hashString(`${outlookId}\u0000import`)}`;
}

export type SkipReason =
  | "not-selected"
  | "certain-duplicate"
  | "duplicate-in-run"
  | "duplicate-unknown"
  | "no-partner"
  | "invalid-data"
  | "invalid-link";

export type ImportStep =
  | {
      kind: "import";
      outlookId: string;
      contact: OutlookContact;
      businessPartnerId: string;
      input: ContactPersonInput;
      idempotencyKey: string;
      /** Fields the user completed in the row, written back onto the Outlook contact with the link. */
      outlookPatch: OutlookContactWrite | null;
      duplicate: "none" | "possible";
    }
  | {
      kind: "link";
      outlookId: string;
      contact: OutlookContact;
      crmId: string;
      /** Finishes an import interrupted after the CRM create (the person is this contact's own). */
      resumed?: true;
    }
  | {
      kind: "skip";
      outlookId: string;
      contact: OutlookContact;
      reason: SkipReason;
      problems: FieldProblem[];
    };

export interface ImportPlan {
  steps: ImportStep[];
  counts: { import: number; link: number; skip: number };
}

export interface PlanImportInput {
  candidates: readonly OutlookContact[];
  /** Outlook id -> assigned business partner id (null/missing = none yet). */
  assignments: Readonly<Record<string, string | null | undefined>>;
  /** Outlook id -> duplicate result (computed on the edited contact). */
  duplicates: Readonly<Record<string, ImportDuplicateInfo | undefined>>;
  /** Outlook ids the user ticked. */
  selected: readonly string[];
  /** Outlook id -> CRM id of the existing person to link to. */
  links: Readonly<Record<string, string | undefined>>;
  defaultRegion: string;
  /** Outlook id -> values completed in the row. */
  edits?: Readonly<Record<string, ImportEdits | undefined>>;
}

/** Builds the plan; steps are in candidate order. See the file comment for the rules. */
export function planImport(input: PlanImportInput): ImportPlan {
  const selected = new Set(input.selected);
  const steps: ImportStep[] = input.candidates.map((original): ImportStep => {
    const outlookId = original.id;
    const { contact, outlookPatch } = applyImportEdits(original, input.edits?.[outlookId]);
    const skip = (reason: SkipReason, problems: FieldProblem[] = []): ImportStep => ({
      kind: "skip",
      outlookId,
      contact,
      reason,
      problems,
    });
    const duplicate = input.duplicates[outlookId];
    const linkTo = input.links[outlookId];
    if (duplicate?.resumeId && selected.has(outlookId) && !linkTo)
      return { kind: "link", outlookId, contact, crmId: duplicate.resumeId, resumed: true };
    if (linkTo) {
      return duplicate?.matches.some((match) => match.id === linkTo)
        ? { kind: "link", outlookId, contact, crmId: linkTo }
        : skip("invalid-link");
    }
    if (!selected.has(outlookId)) return skip("not-selected");
    if (!duplicate) return skip("duplicate-unknown");
    if (duplicate.status === "certain") return skip("certain-duplicate");
    const businessPartnerId = input.assignments[outlookId];
    if (!businessPartnerId) return skip("no-partner");
    const blocking = validateImportCandidate(contact, input.defaultRegion).filter(
      (problem) => problem.blocking,
    );
    if (blocking.length > 0) return skip("invalid-data", blocking);
    return {
      kind: "import",
      outlookId,
      contact,
      businessPartnerId,
      input: crmInputFromOutlook(contact, businessPartnerId),
      idempotencyKey: importIdempotencyKey(outlookId),
      outlookPatch,
      duplicate: duplicate.status,
    };
  });
  const deduplicated = skipDuplicatesWithinRun(steps, input.defaultRegion);
  const counts = { import: 0, link: 0, skip: 0 };
  for (const step of deduplicated) counts[step.kind] += 1;
  return { steps: deduplicated, counts };
}

/**
 * Two ticked Outlook contacts that are certain duplicates of each other (same e-mail, or same last
 * name and mobile) would both pass the check against the CRM as it was before the run: only the
 * first is imported, the later ones are skipped ("duplicate-in-run") and can be linked next time.
 */
function skipDuplicatesWithinRun(steps: ImportStep[], defaultRegion: string): ImportStep[] {
  const imported: ExistingPerson[] = [];
  return steps.map((step) => {
    if (step.kind !== "import") return step;
    const self: ExistingPerson = { id: step.outlookId, ...step.input };
    if (classifyDuplicate(self, imported, { defaultRegion }).status === "certain") {
      return {
        kind: "skip",
        outlookId: step.outlookId,
        contact: step.contact,
        reason: "duplicate-in-run",
        problems: [],
      };
    }
    imported.push(self);
    return step;
  });
}
