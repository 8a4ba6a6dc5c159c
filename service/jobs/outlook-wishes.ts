/**
 * The switch on the CRM side (the vendor's switch on the contact person mask): every contact
 * person lists the users who want it in Outlook (`outlookUsers`, contract v1). After each sync
 * the service brings the mailbox in line with the same rules as the pane's switch
 * (`ReplicationSwitch` from src/app): wanted and not linked -> created and linked; no longer
 * wanted -> its Outlook contact is deleted, i.e. moved to Deleted Items. Nothing is ever deleted
 * from the CRM. Only contacts the service added for a wish are withdrawn for a missing wish (the
 * list is kept in the user's store, key `service.outlookWishes`), so contacts the user exported
 * from the pane stay. One CRM query per run (plus one partner read per newly wanted person).
 *
 * @example
 *   const r = await reconcileOutlookWishes({ crm, contacts, settings, appConfig, mailbox, signal });
 *   r.exported; // 1
 */
import { z } from "zod";
import { ReplicationSwitch } from "../../src/app/replication-switch";
import { loadUserSettings } from "../../src/app/user-settings-service";
import type { AppConfig } from "../../src/core/config";
import { AppError } from "../../src/core/errors";
import type { BusinessPartner, ContactPerson } from "../../src/core/model";
import type { ContactStore, CrmClient, SettingsStore } from "../../src/core/ports";
import type { MailboxRow } from "../db/mailboxes";

export const WISHES_KEY = "service.outlookWishes";

export interface WishDeps {
  crm: CrmClient;
  contacts: ContactStore;
  settings: SettingsStore;
  appConfig: AppConfig;
  mailbox: Pick<MailboxRow, "mailboxId" | "upn">;
  signal?: AbortSignal;
}

export interface WishResult {
  exported: number;
  withdrawn: number;
  error?: { code: string; message: string };
}

/** The CRM user id of a mailbox: its UPN (the CRM's login), else the Entra object id. */
export function crmUserOf(mailbox: Pick<MailboxRow, "mailboxId" | "upn">): string {
  return mailbox.upn ?? mailbox.mailboxId;
}

export async function reconcileOutlookWishes(deps: WishDeps): Promise<WishResult> {
  const { crm, contacts, settings, signal } = deps;
  const wanted: ContactPerson[] = [];
  let cursor: string | undefined;
  do {
    const page = await crm.searchContactPersons(
      { outlookUser: crmUserOf(deps.mailbox), cursor, limit: 200 },
      { signal },
    );
    wanted.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const stored = z
    .array(z.string())
    .catch([])
    .parse(await settings.read(WISHES_KEY));
  const added = new Set(stored);
  const wantedIds = new Set(wanted.map((p) => p.id));
  const toAdd = wanted.filter((p) => !added.has(p.id) && p.status === "active");
  const toRemove = stored.filter((id) => !wantedIds.has(id));
  if (toAdd.length === 0 && toRemove.length === 0) return { exported: 0, withdrawn: 0 };

  const replication = new ReplicationSwitch({
    contacts,
    crm,
    loadSettings: () => loadUserSettings(settings, deps.appConfig),
  });
  const partners = new Map<string, BusinessPartner | null>();
  const result: WishResult = { exported: 0, withdrawn: 0 };
  const failures: string[] = [];
  for (const person of toAdd) {
    try {
      if (!partners.has(person.businessPartnerId))
        partners.set(
          person.businessPartnerId,
          await crm.getBusinessPartner(person.businessPartnerId, { signal }).catch((e: unknown) => {
            if (AppError.from(e).code === "not-found") return null;
            throw e;
          }),
        );
      const r = await replication.switchOn(person, partners.get(person.businessPartnerId) ?? null);
      if (r.status === "created") result.exported++;
      added.add(person.id);
    } catch (error) {
      failures.push(`${person.id}: ${AppError.from(error).message}`);
    }
  }
  for (const id of toRemove) {
    try {
      const r = await replication.switchOff(id);
      result.withdrawn += r.deleted;
      added.delete(id);
    } catch (error) {
      failures.push(`${id}: ${AppError.from(error).message}`);
    }
  }
  await settings.write(WISHES_KEY, [...added]);
  if (failures.length > 0)
    result.error = {
      code: "partial",
      message: `Outlook wishes not applied: ${failures.slice(0, 5).join("; ")}`,
    };
  return result;
}
