import type { MailPerson } from "../../../src/core/model";
import { lookupEmails, matchMailPeople, splitDisplayName } from "../../../src/taskpane/contact/match-people";
import { aPerson } from "../../support/fakes";

const mail = (
  emailAddress: string,
  role: MailPerson["role"] = "to",
  displayName = emailAddress,
): MailPerson => ({
  displayName,
  emailAddress,
  role,
});

describe("matchMailPeople", () => {
  it("matches by e-mail case-insensitively, lists each address once (first role wins)", () => {
    const anna = aPerson({ id: "cp-1", email: "anna.schmidt@mueller-bau.de" });
    const shared = aPerson({ id: "cp-2", email: "info@lumiere.fr" });
    const shared2 = aPerson({ id: "cp-3", email: "INFO@lumiere.fr" });
    const people = [
      mail(" Anna.Schmidt@Mueller-Bau.DE ", "from"),
      mail("info@lumiere.fr", "to"),
      mail("anna.schmidt@mueller-bau.de", "cc"),
      mail("max.neumann@example.org", "cc"),
    ];
    const matches = matchMailPeople(people, [anna, shared, shared2]);
    expect(matches.map((m) => [m.key, m.mail.role, m.personIds])).toEqual([
      ["anna.schmidt@mueller-bau.de", "from", ["cp-1"]],
      ["info@lumiere.fr", "to", ["cp-2", "cp-3"]],
      ["max.neumann@example.org", "cc", []],
    ]);
    expect(lookupEmails(people)).toEqual([
      "anna.schmidt@mueller-bau.de",
      "info@lumiere.fr",
      "max.neumann@example.org",
    ]);
  });
});

describe("splitDisplayName", () => {
  it.each([
    ["Max Neumann", "x@y.de", { firstName: "Max", lastName: "Neumann" }],
    ["Neumann, Max", "x@y.de", { firstName: "Max", lastName: "Neumann" }],
    ["Anna Maria Schmidt", "x@y.de", { firstName: "Anna Maria", lastName: "Schmidt" }],
    ["Cher", "x@y.de", { firstName: null, lastName: "Cher" }],
    ["laura.bianchi@example.net", "laura.bianchi@example.net", { firstName: "Laura", lastName: "Bianchi" }],
    ["", "info@example.net", { firstName: null, lastName: "Info" }],
  ])("%j -> %j", (displayName, email, expected) => {
    expect(splitDisplayName(displayName, email)).toEqual(expected);
  });
});
