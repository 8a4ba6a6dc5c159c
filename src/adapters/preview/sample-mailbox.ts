/**
 * The preview host's stand-in for Outlook's selected e-mail: a few sample messages built around
 * the demo anchor people (docs/conventions.md), switchable from the preview bar.
 *
 * @example
 *   const mailbox = createSampleMailbox();
 *   mailbox.onItemChanged(() => reload());
 *   mailbox.select("unknown-sender"); // fires the listener; getSelectedItemPeople() now has Max Neumann
 */
import { messagePeople } from "../../core/mail-people";
import type { MailPerson } from "../../core/model";
import type { Mailbox } from "../../core/ports";

export interface SampleEmail {
  id: string;
  subject: string;
  people: MailPerson[];
}

const ME: MailPerson = { displayName: "Demo User", emailAddress: "demo.user@example.com", role: "to" };

export const sampleEmails: readonly SampleEmail[] = [
  {
    id: "mueller-bau",
    subject: "Angebot Baustelle Schwabing",
    people: [
      { displayName: "Anna Schmidt", emailAddress: "anna.schmidt@mueller-bau.de", role: "from" },
      ME,
      { displayName: "Jean Dupont", emailAddress: "jean.dupont@lumiere.fr", role: "cc" },
    ],
  },
  {
    id: "unknown-sender",
    subject: "Introduction",
    people: [{ displayName: "Max Neumann", emailAddress: "max.neumann@example.org", role: "from" }, ME],
  },
  {
    id: "weber-logistik",
    subject: "Lieferung KW 48",
    people: [
      { displayName: "Hans Weber", emailAddress: "h.weber@weber-logistik.de", role: "from" },
      ME,
      { displayName: "Laura Bianchi", emailAddress: "laura.bianchi@example.net", role: "cc" },
    ],
  },
  { id: "none", subject: "", people: [] },
];

export interface SampleMailbox extends Mailbox {
  readonly samples: readonly SampleEmail[];
  selectedId(): string;
  /** Selects a sample by id (unknown ids are ignored) and notifies the listeners. */
  select(id: string): void;
}

export function createSampleMailbox(initialId: string = sampleEmails[0].id): SampleMailbox {
  let current = sampleEmails.find((s) => s.id === initialId) ?? sampleEmails[0];
  const listeners = new Set<() => void>();
  return {
    samples: sampleEmails,
    selectedId: () => current.id,
    select(id) {
      const next = sampleEmails.find((s) => s.id === id);
      if (!next || next === current) return;
      current = next;
      for (const listener of [...listeners]) listener();
    },
    async getSelectedItemPeople() {
      return messagePeople(current.people, ME.emailAddress).map((p) => ({ ...p }));
    },
    onItemChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
