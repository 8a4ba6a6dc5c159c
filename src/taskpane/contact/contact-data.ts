/**
 * Data loading for the Contact replication view: the people of the selected e-mail matched to
 * CRM contact persons (one bulk lookup), the search, and their business partners. No React.
 *
 * @example
 *   const { matches, infos } = await loadEmailPeople(services); // infos keyed by CRM id
 */
import { loadUserSettings } from "../../app/user-settings-service";
import { ReplicationSwitch } from "../../app/replication-switch";
import { AppError } from "../../core/errors";
import type { BusinessPartner, ContactPerson } from "../../core/model";
import type { CrmClient } from "../../core/ports";
import type { Services } from "../services";
import { lookupEmails, matchMailPeople, type MailPersonMatch } from "./match-people";

export interface PersonInfo {
  person: ContactPerson;
  partner: BusinessPartner | null;
}

export interface EmailPeople {
  matches: MailPersonMatch[];
  infos: Record<string, PersonInfo>;
}

export const SEARCH_PAGE_SIZE = 25;

/** "First Last" of a CRM person (the last name alone when there is no first name). */
export function personDisplayName(info: PersonInfo): string {
  return [info.person.firstName, info.person.lastName].filter(Boolean).join(" ") || info.person.lastName;
}

const switches = new WeakMap<Services, ReplicationSwitch>();

/** One switch (and so one per-id queue) per pane, shared by every mount of the view. */
export function replicationSwitchFor(services: Services): ReplicationSwitch {
  let replication = switches.get(services);
  if (!replication) {
    replication = new ReplicationSwitch({
      contacts: services.contacts,
      crm: services.crm,
      loadSettings: () => loadUserSettings(services.settings, services.config),
    });
    switches.set(services, replication);
  }
  return replication;
}

/** The business partners of `persons` (one request per distinct partner; unknown ones -> null). */
export async function loadPartners(
  crm: CrmClient,
  persons: readonly ContactPerson[],
  known: Readonly<Record<string, BusinessPartner | null>> = {},
): Promise<Record<string, PersonInfo>> {
  const ids = [...new Set(persons.map((p) => p.businessPartnerId))].filter((id) => !(id in known));
  const fetched = await Promise.all(
    ids.map((id) =>
      crm.getBusinessPartner(id).catch((error: unknown) => {
        if (AppError.is(error, "not-found")) return null; // a dangling partner id still shows the person
        throw AppError.from(error);
      }),
    ),
  );
  const partners: Record<string, BusinessPartner | null> = { ...known };
  ids.forEach((id, i) => (partners[id] = fetched[i] ?? null));
  const infos: Record<string, PersonInfo> = {};
  for (const person of persons)
    infos[person.id] = { person, partner: partners[person.businessPartnerId] ?? null };
  return infos;
}

export function knownPartners(
  infos: Readonly<Record<string, PersonInfo>>,
): Record<string, BusinessPartner | null> {
  const partners: Record<string, BusinessPartner | null> = {};
  for (const info of Object.values(infos)) partners[info.person.businessPartnerId] = info.partner;
  return partners;
}

/** The selected e-mail's people, matched to CRM persons with ONE bulk lookup by e-mail. */
export async function loadEmailPeople(services: Services): Promise<EmailPeople> {
  const people = await services.mailbox.getSelectedItemPeople();
  const emails = lookupEmails(people);
  const found = emails.length > 0 ? await services.crm.lookup({ emails, phones: [], lastNames: [] }) : [];
  const matches = matchMailPeople(people, found);
  const matchedIds = new Set(matches.flatMap((m) => m.personIds));
  const infos = await loadPartners(
    services.crm,
    found.filter((p) => matchedIds.has(p.id)),
  );
  return { matches, infos };
}

/** Active CRM contact persons matching the search text (first page). */
export async function searchPersons(
  services: Services,
  text: string,
  known: Readonly<Record<string, BusinessPartner | null>>,
): Promise<{ ids: string[]; infos: Record<string, PersonInfo> }> {
  const page = await services.crm.searchContactPersons({ search: text, limit: SEARCH_PAGE_SIZE });
  const persons = page.items.filter((p) => p.status === "active");
  return { ids: persons.map((p) => p.id), infos: await loadPartners(services.crm, persons, known) };
}
