import { messagePeople } from "../../src/core/mail-people";
import type { MailPerson } from "../../src/core/model";

const p = (emailAddress: string, role: MailPerson["role"]): MailPerson => ({
  displayName: emailAddress,
  emailAddress,
  role,
});

describe("messagePeople", () => {
  it.each<[string, MailPerson[], string | null, string[]]>([
    [
      "drops the mailbox owner (any letter case)",
      [p("a@x.de", "from"), p("ME@contoso.com", "to")],
      "me@contoso.com",
      ["a@x.de"],
    ],
    [
      "lists each address once",
      [p("a@x.de", "from"), p("b@x.de", "to"), p("B@x.de", "cc")],
      null,
      ["a@x.de", "b@x.de"],
    ],
    [
      "puts the sender first, then To, then Cc",
      [p("c@x.de", "cc"), p("b@x.de", "to"), p("a@x.de", "from")],
      null,
      ["a@x.de", "b@x.de", "c@x.de"],
    ],
    ["skips empty addresses", [p("", "to"), p("a@x.de", "to")], undefined as unknown as null, ["a@x.de"]],
  ])("%s", (_name, people, own, expected) => {
    expect(messagePeople(people, own).map((person) => person.emailAddress)).toEqual(expected);
  });
});
