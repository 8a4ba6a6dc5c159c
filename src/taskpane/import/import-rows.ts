/**
 * The rows of the import table: what the user chose per Outlook contact (`RowChoice`) and what is
 * derived from it (`ImportRow`: edited contact, data problems, whether it can be ticked and why
 * not). Pure functions, so the hook stays small and the rules are easy to test.
 */
import type { DuplicateResult } from "../../core/duplicates";
import type { BusinessPartner, OutlookContact } from "../../core/model";
import {
  applyImportEdits,
  planImport,
  validateImportCandidate,
  type FieldProblem,
  type ImportEdits,
  type ImportPlan,
  type SkipReason,
} from "../../core/plans/import-plan";

export interface RowChoice {
  contact: OutlookContact;
  edits: ImportEdits;
  partner: BusinessPartner | null;
  partnerSource: "preassigned" | "user" | null;
  /** Undefined while the duplicate check of this row is running. */
  duplicate: DuplicateResult | undefined;
  /** The user opened the row's matches (required before ticking a possible duplicate). */
  reviewed: boolean;
  selected: boolean;
}

/** Why a row cannot be ticked (first applicable), or null when it can. */
export type BlockedReason = "checking" | "certain" | "invalid" | "no-partner" | "review" | null;

export interface ImportRow extends RowChoice {
  id: string;
  /** The contact with the row's edits applied. */
  edited: OutlookContact;
  name: string;
  problems: FieldProblem[];
  blocked: BlockedReason;
}

export type StatusFilter = "all" | "none" | "possible" | "certain";

/** A row's display name: "First Last", else company, else e-mail, else "" (the UI shows a hint). */
export function rowName(contact: OutlookContact): string {
  const name = [contact.givenName, contact.surname].filter((p) => p && p.trim()).join(" ");
  return (
    name ||
    contact.displayName ||
    contact.companyName ||
    contact.emailAddresses[0]?.address ||
    ""
  ).trim();
}

export function deriveRow(choice: RowChoice, defaultRegion: string): ImportRow {
  const { contact: edited } = applyImportEdits(choice.contact, choice.edits);
  const problems = validateImportCandidate(edited, defaultRegion);
  let blocked: BlockedReason = null;
  // An import an earlier run left unfinished is only linked: nothing to check or complete.
  if (choice.duplicate?.resumeId) blocked = null;
  else if (!choice.duplicate) blocked = "checking";
  else if (choice.duplicate.status === "certain") blocked = "certain";
  else if (problems.some((p) => p.blocking)) blocked = "invalid";
  else if (!choice.partner) blocked = "no-partner";
  else if (choice.duplicate.status === "possible" && !choice.reviewed) blocked = "review";
  return {
    ...choice,
    id: choice.contact.id,
    edited,
    name: rowName(edited),
    problems,
    blocked,
    selected: choice.selected && blocked === null,
  };
}

/** Rows matching the status filter and the text (name, company or e-mail, case-insensitive). */
export function filterRows(rows: readonly ImportRow[], status: StatusFilter, text: string): ImportRow[] {
  const needle = text.trim().toLowerCase();
  return rows.filter((row) => {
    if (status !== "all" && row.duplicate?.status !== status) return false;
    if (!needle) return true;
    const hay = [row.name, row.edited.companyName, row.edited.emailAddresses[0]?.address, row.partner?.name]
      .filter(Boolean)
      .join(" ")
      .toLowerCase();
    return hay.includes(needle);
  });
}

/** Counts per duplicate status (rows still being checked are not counted). */
export function statusCounts(rows: readonly ImportRow[]): Record<Exclude<StatusFilter, "all">, number> {
  const counts = { none: 0, possible: 0, certain: 0 };
  for (const row of rows) if (row.duplicate) counts[row.duplicate.status] += 1;
  return counts;
}

/** The import plan of the current rows: the ticked ones (`importTicked`) and the chosen links. */
export function planFromRows(
  rows: readonly ImportRow[],
  defaultRegion: string,
  importTicked: boolean,
  links: Record<string, string>,
): ImportPlan {
  return planImport({
    candidates: rows.map((r) => r.contact),
    assignments: Object.fromEntries(rows.map((r) => [r.id, r.partner?.id ?? null])),
    duplicates: Object.fromEntries(rows.map((r) => [r.id, r.duplicate])),
    selected: importTicked ? rows.filter((r) => r.selected).map((r) => r.id) : [],
    links,
    defaultRegion,
    edits: Object.fromEntries(rows.map((r) => [r.id, r.edits])),
  });
}

/** Rows the user chose (ticked or link) that the plan skipped anyway, with the reason. */
export function skippedChoices(
  plan: ImportPlan,
  rows: readonly ImportRow[],
  links: Record<string, string>,
): { name: string; reason: SkipReason }[] {
  const chosen = new Set([...rows.filter((r) => r.selected).map((r) => r.id), ...Object.keys(links)]);
  return plan.steps.flatMap((s) =>
    s.kind === "skip" && s.reason !== "not-selected" && chosen.has(s.outlookId)
      ? [{ name: rows.find((r) => r.id === s.outlookId)?.name ?? s.outlookId, reason: s.reason }]
      : [],
  );
}
