/**
 * `Mailbox` over Office.js: the people of the message selected in Outlook (sender, To, Cc) and
 * the ItemChanged event of pinned panes (Mailbox 1.5). Callback APIs become promises that reject
 * with `AppError`.
 *
 * @example
 *   const mailbox = createOfficeMailbox(Office.context.mailbox);
 *   const people = await mailbox.getSelectedItemPeople(); // [{ role: "from", ... }, { role: "to", ... }]
 */
import { AppError } from "../../core/errors";
import { messagePeople } from "../../core/mail-people";
import type { MailPerson } from "../../core/model";
import type { Mailbox } from "../../core/ports";

type Recipient = Pick<Office.EmailAddressDetails, "displayName" | "emailAddress">;

function toPerson(r: Recipient, role: MailPerson["role"]): MailPerson {
  return { displayName: r.displayName || r.emailAddress, emailAddress: r.emailAddress, role };
}

/** Reads To/Cc on read (array) and compose (Recipients with getAsync) surfaces alike. */
function readRecipients(field: Office.Recipients | Recipient[] | undefined): Promise<Recipient[]> {
  if (!field) return Promise.resolve([]);
  if (Array.isArray(field)) return Promise.resolve(field);
  return new Promise((resolve, reject) => {
    field.getAsync((result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
      else
        reject(new AppError("unknown", result.error?.message ?? "getAsync failed", { cause: result.error }));
    });
  });
}

export function createOfficeMailbox(mailbox: Office.Mailbox): Mailbox {
  const listeners = new Set<() => void>();
  let registered = false;
  const dispatch = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    async getSelectedItemPeople() {
      const item = mailbox.item as (Office.MessageRead & Office.ItemRead) | null | undefined;
      if (!item) return [];
      const people: MailPerson[] = [];
      if (item.from) people.push(toPerson(item.from, "from"));
      const [to, cc] = await Promise.all([readRecipients(item.to), readRecipients(item.cc)]);
      people.push(...to.map((r) => toPerson(r, "to")), ...cc.map((r) => toPerson(r, "cc")));
      return messagePeople(people, mailbox.userProfile?.emailAddress);
    },
    onItemChanged(listener) {
      listeners.add(listener);
      if (!registered) {
        registered = true;
        mailbox.addHandlerAsync(Office.EventType.ItemChanged, dispatch, (result) => {
          if (result.status !== Office.AsyncResultStatus.Succeeded) registered = false;
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && registered) {
          registered = false;
          // Outlook removes every handler of the event type; this adapter owns the only one.
          mailbox.removeHandlerAsync(Office.EventType.ItemChanged, () => undefined);
        }
      };
    },
  };
}
