/**
 * The people of a message as the pane lists them: sender first, then To and Cc, each address
 * once, and without the mailbox owner (the user is not a contact person of their own CRM view).
 *
 * @example
 *   messagePeople([from, toMe, ccAnna, toAnna], "me@contoso.com") // [from, ccAnna]
 */
import type { MailPerson } from "./model";
import { normalizeEmail } from "./normalize";

export function messagePeople(
  people: readonly MailPerson[],
  ownAddress: string | null | undefined,
): MailPerson[] {
  const own = normalizeEmail(ownAddress ?? "");
  const seen = new Set<string>();
  const order: Record<MailPerson["role"], number> = { from: 0, to: 1, cc: 2 };
  const result: MailPerson[] = [];
  for (const person of [...people].sort((a, b) => order[a.role] - order[b.role])) {
    const key = normalizeEmail(person.emailAddress) ?? person.emailAddress.trim().toLowerCase();
    if (!key || key === own || seen.has(key)) continue;
    seen.add(key);
    result.push(person);
  }
  return result;
}
