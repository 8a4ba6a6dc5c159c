/**
 * "Import as contact person" for one person of the selected e-mail that the CRM does not know:
 * the import flow of DESIGN.md §2 item 3 narrowed to a single person. The Outlook contact comes
 * first (an unlinked one with that e-mail is reused; otherwise one is created from name +
 * e-mail when the user imports), then the import feature's own plan (core `planImport`: certain
 * duplicates are never imported, only linked) and runner (`runImport`: CRM create with the
 * idempotency key derived from the Outlook contact id, so a retry never creates twice; photo;
 * link + sync state written back).
 *
 * @example
 *   const draft = await prepareImport(services, { displayName: "Max Neumann", emailAddress: "max@x.org", role: "from" });
 *   draft.duplicate.status; // "none"
 *   await importPerson(services, draft, { firstName: "Max", lastName: "Neumann", businessPartnerId: "bp-1" });
 */
import { loadUserSettings } from "../../app/user-settings-service";
import { classifyDuplicate, type DuplicateResult } from "../../core/duplicates";
import { AppError } from "../../core/errors";
import { runImport } from "../../app/import-runner";
import { activeFields } from "../../core/mapping";
import type { BusinessPartner, ContactPerson, MailPerson, OutlookContact } from "../../core/model";
import { normalizeEmail } from "../../core/normalize";
import { planImport, type ImportPlan } from "../../core/plans/import-plan";
import type { UserSettings } from "../../core/user-settings";
import type { CallOptions, ContactStore } from "../../core/ports";
import type { Services } from "../services";
import { splitDisplayName } from "./match-people";
import { preassignPartner } from "./preassign-partner";

export interface ImportDraft {
  mail: MailPerson;
  email: string;
  firstName: string | null;
  lastName: string;
  /** An unlinked Outlook contact with this e-mail, reused instead of creating another. */
  existing: OutlookContact | null;
  /** True when `existing` was created by this dialog from name + e-mail (so it has no photo). */
  createdHere?: boolean;
  /** What the one bulk lookup returned (e-mail + last name); the dialog re-checks against it. */
  persons: ContactPerson[];
  defaultRegion: string;
  /** Pre-assigned when exactly one business partner fits the e-mail domain. */
  partner: BusinessPartner | null;
}

export interface ImportChoice {
  firstName: string | null;
  lastName: string;
  businessPartnerId: string;
}

async function findUnlinkedByEmail(
  services: Services,
  settings: UserSettings,
  email: string,
): Promise<OutlookContact | null> {
  const folderIds: (string | null)[] = [null];
  if (settings.folderName) {
    const folder = (await services.contacts.listFolders()).find(
      (f) => f.displayName.toLowerCase() === settings.folderName?.toLowerCase(),
    );
    if (folder) folderIds.push(folder.id);
  }
  for (const folderId of folderIds) {
    const found = (await services.contacts.listContacts(folderId)).find(
      (c) => c.link === null && c.emailAddresses.some((e) => normalizeEmail(e.address) === email),
    );
    if (found) return found;
  }
  return null;
}

/**
 * The duplicate status of the person as the user has it in the dialog (names, partner), with the
 * matching persons.
 */
export function duplicateOf(
  draft: ImportDraft,
  choice: Partial<ImportChoice>,
): DuplicateResult & { persons: ContactPerson[] } {
  const result = classifyDuplicate(
    {
      firstName: choice.firstName ?? draft.firstName,
      lastName: choice.lastName ?? draft.lastName,
      email: draft.email,
      phone: draft.existing?.businessPhones[0] ?? null,
      mobile: draft.existing?.mobilePhone ?? null,
      otherPhones: draft.existing?.businessPhones.slice(1) ?? [],
    },
    draft.persons,
    { defaultRegion: draft.defaultRegion, businessPartnerId: choice.businessPartnerId ?? undefined },
  );
  const persons = result.matches
    .map((m) => draft.persons.find((p) => p.id === m.id))
    .filter((p): p is ContactPerson => p !== undefined);
  return { ...result, persons };
}

/** Reads what the dialog needs: the Outlook contact if any, the duplicate status, a partner. */
export async function prepareImport(services: Services, mail: MailPerson): Promise<ImportDraft> {
  const email = normalizeEmail(mail.emailAddress);
  if (!email) throw new AppError("validation", "The e-mail address is not valid", { field: "email" });
  const settings = await loadUserSettings(services.settings, services.config);
  const existing = await findUnlinkedByEmail(services, settings, email);
  const names = existing?.surname
    ? { firstName: existing.givenName, lastName: existing.surname }
    : splitDisplayName(mail.displayName, email);
  const [persons, partner] = await Promise.all([
    services.crm.lookup({ emails: [email], phones: [], lastNames: [names.lastName] }),
    preassignPartner(services.crm, email, existing?.companyName ?? null),
  ]);
  return { mail, email, ...names, existing, persons, defaultRegion: settings.defaultPhoneRegion, partner };
}

/** The Outlook contact to import: the existing unlinked one, or a new one from name + e-mail. */
async function outlookContactFor(
  services: Services,
  draft: ImportDraft,
  choice: ImportChoice,
): Promise<OutlookContact> {
  if (draft.existing) return draft.existing;
  const settings = await loadUserSettings(services.settings, services.config);
  const folder = await services.contacts.ensureFolder(settings.folderName);
  const name = [choice.firstName, choice.lastName].filter(Boolean).join(" ");
  const [created] = await services.contacts.createContacts([
    {
      folderId: folder.id,
      contact: {
        givenName: choice.firstName,
        surname: choice.lastName,
        fileAs: [choice.lastName, choice.firstName].filter(Boolean).join(", "),
        emailAddresses: [{ name, address: draft.email }],
      },
    },
  ]);
  if (!created) throw new AppError("bad-response", "createContacts returned no result");
  if (!created.ok) throw created.error;
  draft.existing = created.value; // a retry after a later failure reuses it (same idempotency key)
  draft.createdHere = true;
  return created.value;
}

/**
 * The contact store for the runner. A contact this dialog just created from name + e-mail has no
 * photo, so its photo is not read: Graph answers that read with a 404, which the browser would
 * log as a console error on every such import.
 */
function storeFor(contacts: ContactStore, draft: ImportDraft): ContactStore {
  const noPhotoId = draft.createdHere ? draft.existing?.id : undefined;
  if (!noPhotoId) return contacts;
  return new Proxy(contacts, {
    get(target, property) {
      if (property === "getPhoto") {
        return (id: string, options?: CallOptions) =>
          id === noPhotoId ? Promise.resolve(null) : target.getPhoto(id, options);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Runs a one-person plan with the import feature's runner (create with the idempotency key,
 * photo, link + sync state written back) and returns the CRM id, or throws the failure.
 */
async function runPlan(
  services: Services,
  draft: ImportDraft,
  plan: ImportPlan,
  outlookId: string,
  settings: UserSettings,
): Promise<string> {
  const summary = await runImport(plan, {
    crm: services.crm,
    contacts: storeFor(services.contacts, draft),
    fields: activeFields(settings.fieldDirections),
  });
  const failure = summary.failed[0];
  if (failure) throw failure.error;
  const crmId = summary.crmIds[outlookId];
  if (!crmId) throw new AppError("unknown", "The import did not report a CRM id");
  return crmId;
}

/** Creates the CRM contact person (Outlook contact first if needed) and links them; returns the CRM id. */
export async function importPerson(
  services: Services,
  draft: ImportDraft,
  choice: ImportChoice,
): Promise<string> {
  const settings = await loadUserSettings(services.settings, services.config);
  const contact = await outlookContactFor(services, draft, choice);
  const candidate: OutlookContact = { ...contact, givenName: choice.firstName, surname: choice.lastName };
  if (choice.lastName !== draft.lastName) {
    // the user changed the last name: look up again so the check covers the new name too
    draft.persons = await services.crm.lookup({
      emails: [draft.email],
      phones: [],
      lastNames: [choice.lastName],
    });
  }
  const duplicate = duplicateOf(draft, choice);
  const plan = planImport({
    candidates: [candidate],
    assignments: { [candidate.id]: choice.businessPartnerId },
    duplicates: { [candidate.id]: duplicate },
    selected: [candidate.id],
    links: {},
    defaultRegion: settings.defaultPhoneRegion,
  });
  const step = plan.steps[0];
  if (!step || step.kind !== "import") {
    const reason = step?.kind === "skip" ? step.reason : "unknown";
    throw new AppError(
      reason === "certain-duplicate" ? "certain-duplicate" : "validation",
      `Import skipped: ${reason}`,
      {
        details: { reason },
      },
    );
  }
  return runPlan(services, draft, plan, candidate.id, settings);
}

/** Links the (existing or new) Outlook contact to an existing CRM person instead of importing. */
export async function linkToExisting(
  services: Services,
  draft: ImportDraft,
  choice: ImportChoice,
  crmId: string,
): Promise<string> {
  const settings = await loadUserSettings(services.settings, services.config);
  const contact = await outlookContactFor(services, draft, choice);
  const plan = planImport({
    candidates: [contact],
    assignments: {},
    duplicates: { [contact.id]: duplicateOf(draft, choice) },
    selected: [],
    links: { [contact.id]: crmId },
    defaultRegion: settings.defaultPhoneRegion,
  });
  return runPlan(services, draft, plan, contact.id, settings);
}
