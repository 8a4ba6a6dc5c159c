import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AppError } from "../../../src/core/errors";
import type { MailPerson } from "../../../src/core/model";
import { aPartner, aPerson, anOutlookContact } from "../../support/fakes";
import { renderContactView } from "./render-contact-view";

const muellerBau = aPartner({ id: "bp-1", name: "Müller Bau GmbH", emailDomains: ["mueller-bau.de"] });
const neumann = aPartner({ id: "bp-2", name: "Neumann Consulting", emailDomains: ["neumann-consulting.de"] });
const anna = aPerson({
  id: "cp-anna",
  businessPartnerId: "bp-1",
  firstName: "Anna",
  lastName: "Schmidt",
  jobTitle: "Projektleiterin",
  email: "anna.schmidt@mueller-bau.de",
  mobile: "+49 171 2345678",
});
const hans = aPerson({
  id: "cp-hans",
  businessPartnerId: "bp-1",
  firstName: "Hans",
  lastName: "Weber",
  email: "h.weber@mueller-bau.de",
});
const fromAnna: MailPerson = {
  displayName: "Anna Schmidt",
  emailAddress: "Anna.Schmidt@mueller-bau.de",
  role: "from",
};
const fromMax: MailPerson = {
  displayName: "Max Neumann",
  emailAddress: "max@neumann-consulting.de",
  role: "from",
};
const me: MailPerson = { displayName: "Demo User", emailAddress: "demo.user@example.com", role: "to" };

const row = (name: string) => screen.findByRole("listitem", { name });

describe("ContactView", () => {
  it("shows a known sender as not replicated, with details, from one bulk lookup", async () => {
    const { crm } = await renderContactView({
      partners: [muellerBau],
      persons: [anna],
      people: [fromAnna, me],
    });
    const annaRow = await row("Anna Schmidt");
    expect(within(annaRow).getByText("Not replicated")).toBeInTheDocument();
    expect(within(annaRow).getByText("Müller Bau GmbH")).toBeInTheDocument();
    expect(within(annaRow).getByText("Projektleiterin")).toBeInTheDocument();
    expect(within(annaRow).getByText("Mobile: +49 171 2345678")).toBeInTheDocument();
    expect(
      within(annaRow).getByRole("switch", { name: "Replicate Anna Schmidt to Outlook" }),
    ).not.toBeChecked();
    expect(await row("Demo User")).toBeInTheDocument();
    expect(crm.calls.lookup).toBe(1);
  });

  it("switching on creates the Outlook contact once, links it and notifies the other views", async () => {
    const user = userEvent.setup();
    const { contacts, notified } = await renderContactView({
      partners: [muellerBau],
      persons: [anna],
      people: [fromAnna],
    });
    const annaRow = await row("Anna Schmidt");
    await user.click(
      await within(annaRow).findByRole("switch", { name: "Replicate Anna Schmidt to Outlook" }),
    );
    await waitFor(() => expect(within(annaRow).getByText("Replicated")).toBeInTheDocument());
    expect(within(annaRow).getByRole("switch", { name: "Replicate Anna Schmidt to Outlook" })).toBeChecked();
    expect(contacts.calls.createContacts).toBe(1);
    const linked = contacts.allContacts().filter((c) => c.link?.crmId === "cp-anna");
    expect(linked).toHaveLength(1);
    expect(linked[0]?.companyName).toBe("Müller Bau GmbH");
    expect(notified).toHaveBeenCalledTimes(1);
  });

  it("switching off asks for confirmation first; cancel keeps the contact, confirm deletes it", async () => {
    const user = userEvent.setup();
    const linked = anOutlookContact({ id: "oc-anna", link: { crmId: "cp-anna", syncState: null } });
    const { contacts } = await renderContactView({
      partners: [muellerBau],
      persons: [anna],
      contacts: [linked],
      people: [fromAnna],
    });
    const annaRow = await row("Anna Schmidt");
    const toggle = await within(annaRow).findByRole("switch", { name: "Replicate Anna Schmidt to Outlook" });
    await waitFor(() => expect(toggle).toBeChecked());

    await user.click(toggle);
    const dialog = await screen.findByRole("alertdialog", { name: "Stop replicating Anna Schmidt?" });
    expect(contacts.calls.deleteContacts).toBe(0);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(toggle).toBeChecked();
    expect(contacts.contact("oc-anna")).toBeDefined();
    expect(contacts.calls.deleteContacts).toBe(0);

    await user.click(toggle);
    const again = await screen.findByRole("alertdialog", { name: "Stop replicating Anna Schmidt?" });
    await user.click(within(again).getByRole("button", { name: "Delete Outlook contact" }));
    await waitFor(() => expect(within(annaRow).getByText("Not replicated")).toBeInTheDocument());
    expect(contacts.contact("oc-anna")).toBeUndefined();
    expect(contacts.deleted.map((c) => c.id)).toEqual(["oc-anna"]);
  });

  it("offers the import for an unknown sender and imports and links that person", async () => {
    const user = userEvent.setup();
    const { crm, contacts, notified } = await renderContactView({
      partners: [muellerBau, neumann],
      persons: [anna],
      people: [fromMax],
    });
    const maxRow = await row("Max Neumann");
    expect(within(maxRow).getByText("Not a CRM contact person")).toBeInTheDocument();
    await user.click(within(maxRow).getByRole("button", { name: "Import Max Neumann as contact person" }));

    const dialog = await screen.findByRole("dialog", { name: "Import Max Neumann as contact person" });
    await within(dialog).findByText("No duplicate in the CRM.");
    expect(within(dialog).getByRole("textbox", { name: /Last name/ })).toHaveValue("Neumann");
    // pre-assigned from the e-mail domain (exactly one partner owns neumann-consulting.de)
    expect(within(dialog).getByRole("radio", { name: /Neumann Consulting/ })).toBeChecked();
    expect(within(dialog).getByText("Pre-assigned from the e-mail domain or company.")).toBeInTheDocument();
    const importButton = within(dialog).getByRole("button", { name: "Import" });
    await waitFor(() => expect(importButton).toBeEnabled());
    await user.click(importButton);

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(crm.calls.createContactPerson).toBe(1);
    const created = crm.allPersons().find((p) => p.email === "max@neumann-consulting.de");
    expect(created).toMatchObject({ firstName: "Max", lastName: "Neumann", businessPartnerId: "bp-2" });
    const linked = contacts.allContacts().filter((c) => c.link?.crmId === created?.id);
    expect(linked).toHaveLength(1);
    expect(notified).toHaveBeenCalled();
    const imported = await row("Max Neumann");
    await waitFor(() => expect(within(imported).getByText("Replicated")).toBeInTheDocument());
  });

  it("without a pre-assignment the user searches and chooses the business partner", async () => {
    const user = userEvent.setup();
    await renderContactView({
      partners: [muellerBau, neumann],
      people: [{ displayName: "Laura Bianchi", emailAddress: "laura.bianchi@gmail.com", role: "cc" }],
    });
    await user.click(await screen.findByRole("button", { name: "Import Laura Bianchi as contact person" }));
    const dialog = await screen.findByRole("dialog", { name: "Import Laura Bianchi as contact person" });
    await within(dialog).findByText("No duplicate in the CRM.");
    const importButton = within(dialog).getByRole("button", { name: "Import" });
    expect(importButton).toBeDisabled();
    await user.type(within(dialog).getByRole("searchbox", { name: "Find a business partner" }), "Neumann");
    await user.click(await within(dialog).findByRole("radio", { name: /Neumann Consulting/ }));
    await waitFor(() => expect(importButton).toBeEnabled());
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(await row("Laura Bianchi")).toBeInTheDocument();
  });

  it("a certain duplicate is not imported but linked to the existing contact person", async () => {
    const user = userEvent.setup();
    // The CRM knows Max under another e-mail; Outlook has an unlinked contact with his mobile.
    const maxInCrm = aPerson({
      id: "cp-max",
      businessPartnerId: "bp-2",
      firstName: "Max",
      lastName: "Neumann",
      email: "m.neumann@neumann-consulting.de",
      mobile: "+49 171 9876543",
    });
    const outlookMax = anOutlookContact({
      id: "oc-max",
      givenName: "Max",
      surname: "Neumann",
      emailAddresses: [{ name: "Max Neumann", address: "max@neumann-consulting.de" }],
      mobilePhone: "0171 9876543",
    });
    const { crm, contacts } = await renderContactView({
      partners: [neumann],
      persons: [maxInCrm],
      contacts: [outlookMax],
      people: [fromMax],
    });
    await user.click(await screen.findByRole("button", { name: "Import Max Neumann as contact person" }));
    const dialog = await screen.findByRole("dialog", { name: "Import Max Neumann as contact person" });
    await within(dialog).findByText(/already exists in the CRM/);
    expect(within(dialog).getByRole("button", { name: "Import" })).toBeDisabled();
    await user.click(within(dialog).getByRole("button", { name: "Link to Max Neumann" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(crm.calls.createContactPerson).toBe(0);
    expect(contacts.contact("oc-max")?.link?.crmId).toBe("cp-max");
    expect(contacts.allContacts()).toHaveLength(1);
  });

  it("re-reads the state from the mailbox when another view reports link changes", async () => {
    const { contacts, linkEvents } = await renderContactView({
      partners: [muellerBau],
      persons: [anna],
      people: [fromAnna],
    });
    const annaRow = await row("Anna Schmidt");
    await within(annaRow).findByText("Not replicated");
    // e.g. the export wizard exported Anna meanwhile
    contacts.addContact(anOutlookContact({ link: { crmId: "cp-anna", syncState: null } }));
    act(() => linkEvents.notify());
    await within(annaRow).findByText("Replicated");
  });

  it("shows a failed switch-on as a translated message and keeps the switch off", async () => {
    const user = userEvent.setup();
    const { contacts } = await renderContactView({
      partners: [muellerBau],
      persons: [anna],
      people: [fromAnna],
    });
    contacts.failNext("createContacts", new AppError("server", "boom", { status: 503 }));
    const annaRow = await row("Anna Schmidt");
    const toggle = await within(annaRow).findByRole("switch", { name: "Replicate Anna Schmidt to Outlook" });
    await waitFor(() => expect(toggle).toBeEnabled());
    await user.click(toggle);
    await screen.findByText("The server reported an error. Please try again later.");
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).not.toBeChecked();
    expect(within(annaRow).getByText("Not replicated")).toBeInTheDocument();
    expect(contacts.allContacts()).toHaveLength(0);
  });

  it("reloads when the selected item changes (pinned pane)", async () => {
    const { mailbox } = await renderContactView({
      partners: [muellerBau],
      persons: [anna, hans],
      people: [fromAnna],
    });
    await row("Anna Schmidt");
    act(() =>
      mailbox.select([{ displayName: "Hans Weber", emailAddress: "h.weber@mueller-bau.de", role: "from" }]),
    );
    expect(await row("Hans Weber")).toBeInTheDocument();
    expect(screen.queryByRole("listitem", { name: "Anna Schmidt" })).not.toBeInTheDocument();
    expect(mailbox.calls.getSelectedItemPeople).toBe(2);
  });

  it("finds other contact persons by search, with the same switch", async () => {
    const user = userEvent.setup();
    const { contacts } = await renderContactView({
      partners: [muellerBau],
      persons: [anna, hans],
      people: [],
    });
    await screen.findByText("No e-mail is selected, or it has no sender or recipients.");
    await user.type(screen.getByRole("searchbox", { name: "Search CRM contact persons" }), "Weber{Enter}");
    const results = await screen.findByRole("list", { name: "Search results" });
    const hansRow = await within(results).findByRole("listitem", { name: "Hans Weber" });
    await user.click(await within(hansRow).findByRole("switch", { name: "Replicate Hans Weber to Outlook" }));
    await waitFor(() => expect(within(hansRow).getByText("Replicated")).toBeInTheDocument());
    expect(contacts.allContacts().filter((c) => c.link?.crmId === "cp-hans")).toHaveLength(1);
  });

  it("speaks German with the agreed terms and shows a failure translated, never the raw error text", async () => {
    const user = userEvent.setup();
    const { contacts } = await renderContactView({
      partners: [muellerBau],
      persons: [anna],
      people: [fromAnna, fromMax],
      language: "de",
    });
    const maxRow = await row("Max Neumann");
    expect(within(maxRow).getByText("Kein Ansprechpartner im CRM")).toBeInTheDocument();
    expect(
      within(maxRow).getByRole("button", { name: "Max Neumann als Ansprechpartner importieren" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "CRM-Ansprechpartner durchsuchen" })).toBeInTheDocument();

    contacts.failNext(
      "createContacts",
      new AppError("server", "Internal Server Error: boom", { status: 503 }),
    );
    const annaRow = await row("Anna Schmidt");
    const toggle = await within(annaRow).findByRole("switch", {
      name: "Anna Schmidt nach Outlook replizieren",
    });
    await waitFor(() => expect(toggle).toBeEnabled());
    await user.click(toggle);
    await screen.findByText("Der Server hat einen Fehler gemeldet. Bitte versuchen Sie es später erneut.");
    expect(screen.queryByText(/boom|Internal Server Error/)).not.toBeInTheDocument();
  });
});
