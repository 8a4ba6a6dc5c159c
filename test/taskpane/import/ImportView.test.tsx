import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { createSampleMailbox } from "../../../src/adapters/preview/sample-mailbox";
import { parseConfig } from "../../../src/core/config";
import { AppError } from "../../../src/core/errors";
import { crmInputFromOutlook } from "../../../src/core/mapping";
import type { OutlookContact } from "../../../src/core/model";
import { importIdempotencyKey } from "../../../src/core/plans/import-plan";
import { createI18n } from "../../../src/taskpane/i18n/i18n";
import { ImportView } from "../../../src/taskpane/import/ImportView";
import { LinkEvents } from "../../../src/taskpane/link-events";
import { ServicesProvider, type Services } from "../../../src/taskpane/services";
import {
  FakeContactStore,
  FakeCrm,
  MemorySettingsStore,
  StaticTokens,
  aPartner,
  aPerson,
  anOutlookContact,
} from "../../support/fakes";

/** jsdom has no ResizeObserver; Fluent's MessageBar observes its own size for reflow. */
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
if (typeof globalThis.ResizeObserver === "undefined") {
  globalThis.ResizeObserver = NoopResizeObserver as unknown as typeof ResizeObserver;
}

const mueller = aPartner({ id: "bp-1", name: "Müller Bau GmbH", emailDomains: ["mueller-bau.de"] });
const lumiere = aPartner({ id: "bp-2", name: "Lumière SA", emailDomains: ["lumiere.fr"] });

function outlook(id: string, over: Partial<OutlookContact>): OutlookContact {
  return anOutlookContact({ id, businessPhones: [], mobilePhone: null, companyName: null, ...over });
}

function setup(contacts: OutlookContact[]) {
  const parsed = parseConfig({
    crmBaseUrl: "https://crm.example.com/api/v1",
    auth: { mode: "static", crmToken: "c", graphToken: "g" },
    defaultPhoneRegion: "DE",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  const crm = new FakeCrm({
    businessPartners: [mueller, lumiere],
    contactPersons: [
      aPerson({
        id: "cp-1",
        businessPartnerId: "bp-1",
        firstName: "Anna",
        lastName: "Schmidt",
        email: "anna.schmidt@mueller-bau.de",
        mobile: "+49 171 2345678",
      }),
      aPerson({
        id: "cp-2",
        businessPartnerId: "bp-2",
        firstName: "Jean",
        lastName: "Dupont",
        email: "jean.dupont@lumiere.fr",
      }),
    ],
  });
  const store = new FakeContactStore({ contacts });
  const linkEvents = new LinkEvents();
  const notified = jest.fn();
  linkEvents.subscribe(notified);
  const services: Services = {
    config: parsed.config,
    crm,
    contacts: store,
    tokens: new StaticTokens(),
    settings: new MemorySettingsStore(),
    localStore: new MemorySettingsStore(),
    mailbox: createSampleMailbox(),
    linkEvents,
    host: "preview",
  };
  return { crm, store, services, notified };
}

async function renderView(services: Services) {
  const i18n = await createI18n("en");
  render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme}>
        <ServicesProvider services={services}>
          <ImportView />
        </ServicesProvider>
      </FluentProvider>
    </I18nextProvider>,
  );
}

const anna = () =>
  outlook("o-anna", {
    givenName: "Anna",
    surname: "Schmidt",
    companyName: "Müller Bau GmbH",
    emailAddresses: [{ name: null, address: "Anna.Schmidt@mueller-bau.de" }],
  });
const jean = () =>
  outlook("o-jean", {
    givenName: "Jean",
    surname: "Dupont",
    emailAddresses: [{ name: null, address: "jean@home.test" }],
  });
const eva = () =>
  outlook("o-eva", {
    givenName: "Eva",
    surname: "Meyer",
    companyName: "Müller Bau GmbH",
    emailAddresses: [{ name: null, address: "eva.meyer@mueller-bau.de" }],
  });
const max = () =>
  outlook("o-max", {
    givenName: "Max",
    surname: "Neumann",
    emailAddresses: [{ name: null, address: "max.neumann@example.org" }],
  });

const row = (name: string) => screen.getByRole("listitem", { name });
const box = (name: string) => screen.getByRole("checkbox", { name: `Import ${name}` });

describe("ImportView", () => {
  it("says so when every Outlook contact is linked", async () => {
    const linked = outlook("o-l", { link: { crmId: "cp-1", syncState: null } });
    const { services } = setup([linked]);
    await renderView(services);
    expect(await screen.findByText(/No contacts to import/)).toBeInTheDocument();
  });

  it("lists unlinked contacts with their duplicate status, found with one lookup", async () => {
    const linked = outlook("o-l", {
      givenName: "Linked",
      surname: "Person",
      link: { crmId: "cp-1", syncState: null },
    });
    const { services, crm } = setup([anna(), jean(), eva(), linked]);
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    expect(
      screen.getByText(
        /3 Outlook contacts without a CRM link: 1 new, 1 possible duplicates, 1 certain duplicates/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole("listitem", { name: "Linked Person" })).toBeNull();
    expect(within(row("Anna Schmidt")).getByText("Certain duplicate")).toBeInTheDocument();
    expect(within(row("Jean Dupont")).getByText("Possible duplicate")).toBeInTheDocument();
    expect(within(row("Eva Meyer")).getByText("No duplicate")).toBeInTheDocument();
    expect(crm.calls.lookup).toBe(1);

    const user = userEvent.setup();
    await user.click(screen.getByRole("combobox", { name: "Show" }));
    await user.click(screen.getByRole("option", { name: "Certain duplicates (1)" }));
    await waitFor(() =>
      expect(screen.getAllByRole("listitem").map((li) => li.getAttribute("aria-label"))).toEqual([
        "Anna Schmidt",
      ]),
    );
    await user.type(screen.getByRole("searchbox", { name: "Filter by name, company or e-mail" }), "nobody");
    expect(await screen.findByText("No contacts match the filter.")).toBeInTheDocument();
  });

  it("disables the box of a certain duplicate and links it to the existing person instead", async () => {
    const user = userEvent.setup();
    const { services, store, notified } = setup([anna(), eva()]);
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    expect(box("Anna Schmidt")).toBeDisabled();
    await user.click(
      within(row("Anna Schmidt")).getByRole("button", { name: "Link to existing contact person" }),
    );
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Same e-mail address")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Link to Anna Schmidt" }));
    expect(await screen.findByText("1 contact linked to the existing contact person")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("listitem", { name: "Anna Schmidt" })).toBeNull());
    expect(store.contact("o-anna")?.link?.crmId).toBe("cp-1");
    expect(store.contact("o-anna")?.link?.syncState).toContain('"cv"');
    expect(notified).toHaveBeenCalled();
  });

  it("lets a possible duplicate be ticked only after its matches were opened", async () => {
    const user = userEvent.setup();
    const { services } = setup([jean()]);
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    // Give it a partner first, so that only the review is missing.
    await user.type(screen.getByRole("combobox", { name: "Business partner for Jean Dupont" }), "Lumi");
    await user.click(await screen.findByRole("option", { name: /Lumière SA/ }));
    await waitFor(() =>
      expect(within(row("Jean Dupont")).getByText("Possible duplicate")).toBeInTheDocument(),
    );
    expect(box("Jean Dupont")).toBeDisabled();
    expect(within(row("Jean Dupont")).getByText(/Look at the matches/)).toBeInTheDocument();
    await user.click(within(row("Jean Dupont")).getByRole("button", { name: "Show 1 match" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Same first and last name")).toBeInTheDocument();
    expect(within(dialog).getByText("E-mail: jean.dupont@lumiere.fr")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(box("Jean Dupont")).toBeEnabled());
  });

  it("requires a business partner before a row can be ticked; pre-assigns an unambiguous one", async () => {
    const user = userEvent.setup();
    const { services } = setup([eva(), max()]);
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    expect(screen.getByRole("combobox", { name: "Business partner for Eva Meyer" })).toHaveValue(
      "Müller Bau GmbH",
    );
    expect(box("Eva Meyer")).toBeEnabled();
    expect(box("Max Neumann")).toBeDisabled();
    expect(
      within(row("Max Neumann")).getByText("Assign a business partner to import this contact."),
    ).toBeInTheDocument();
    await user.type(screen.getByRole("combobox", { name: "Business partner for Max Neumann" }), "Lumi");
    await user.click(await screen.findByRole("option", { name: /Lumière SA/ }));
    await waitFor(() => expect(box("Max Neumann")).toBeEnabled());
  });

  it("imports the ticked rows and reports 'N of M imported'", async () => {
    const user = userEvent.setup();
    const { services, crm, store, notified } = setup([eva(), max()]);
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    await user.type(screen.getByRole("combobox", { name: "Business partner for Max Neumann" }), "Lumi");
    await user.click(await screen.findByRole("option", { name: /Lumière SA/ }));
    await waitFor(() => expect(box("Max Neumann")).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "Select all" }));
    await user.click(screen.getByRole("button", { name: "Import 2 contacts" }));
    expect(await screen.findByText("2 of 2 imported")).toBeInTheDocument();
    const created = crm.allPersons().filter((p) => p.id.startsWith("cp-new"));
    expect(created.map((p) => [p.lastName, p.businessPartnerId]).sort()).toEqual([
      ["Meyer", "bp-1"],
      ["Neumann", "bp-2"],
    ]);
    expect(store.contact("o-eva")?.link?.crmId).toBe(created.find((p) => p.lastName === "Meyer")?.id);
    expect(store.contact("o-max")?.link?.crmId).toBe(created.find((p) => p.lastName === "Neumann")?.id);
    expect(notified).toHaveBeenCalled();
    expect(await screen.findByText(/No contacts to import/)).toBeInTheDocument();
  });

  it("shows progress while importing and stops at Cancel", async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 25 }, (_, i) =>
      outlook(`o-${i}`, {
        givenName: `Eva${i}`,
        surname: `Meyer${i}`,
        companyName: "Müller Bau GmbH",
        emailAddresses: [{ name: null, address: `eva${i}@mueller-bau.de` }],
      }),
    );
    const { services, crm } = setup(many);
    // Every create waits for the gate, so the test can press Cancel while the first round runs.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const create = crm.createContactPerson.bind(crm);
    crm.createContactPerson = async (...args) => {
      await gate;
      return create(...args);
    };
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    await user.click(screen.getByRole("button", { name: "Select all" }));
    await user.click(screen.getByRole("button", { name: "Import 25 contacts" }));
    expect(await screen.findByRole("progressbar")).toBeInTheDocument();
    expect(screen.getByText("Importing… 0 of 25")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    open();
    expect(await screen.findByText(/The import was cancelled/)).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).toBeNull();
    const imported = Number(
      /^(\d+) of 25/.exec(screen.getByText(/^\d+ of 25 imported$/).textContent ?? "")?.[1],
    );
    await waitFor(() => expect(screen.getAllByRole("listitem")).toHaveLength(25 - imported));
    expect(crm.allPersons().filter((p) => p.id.startsWith("cp-new"))).toHaveLength(imported);
  });

  it("reports failures with their reason and keeps the failed row", async () => {
    const user = userEvent.setup();
    const eva2 = outlook("o-eva2", {
      givenName: "Eva",
      surname: "Zweig",
      companyName: "Müller Bau GmbH",
      emailAddresses: [{ name: null, address: "eva.zweig@mueller-bau.de" }],
    });
    const { services, crm } = setup([eva(), eva2]);
    crm.failNext("createContactPerson", new AppError("server", "boom", { status: 503 }));
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    await user.click(screen.getByRole("button", { name: "Select all" }));
    await user.click(screen.getByRole("button", { name: "Import 2 contacts" }));
    expect(await screen.findByText("1 of 2 imported")).toBeInTheDocument();
    const details = screen.getByRole("list", { name: "Details" });
    expect(within(details).getByText(/not imported — The server reported an error/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByRole("listitem", { name: /^Eva / })).toHaveLength(1));
  });

  it("shows odd data safely as text and lets the user complete a missing last name in the row", async () => {
    const user = userEvent.setup();
    const script = outlook("o-script", {
      givenName: "<script>alert(1)</script>",
      surname: "Markup",
      companyName: "Müller Bau GmbH",
      emailAddresses: [{ name: null, address: "markup@mueller-bau.de" }],
    });
    const cher = outlook("o-cher", {
      givenName: "Cher",
      surname: null,
      companyName: "Müller Bau GmbH",
      emailAddresses: [{ name: null, address: "cher@mueller-bau.de" }],
    });
    const bad = outlook("o-bad", {
      givenName: "Ivan",
      surname: "Invalid",
      companyName: "Müller Bau GmbH",
      emailAddresses: [{ name: null, address: "ivan-at-nowhere" }],
    });
    const { services } = setup([script, cher, bad]);
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    expect(screen.getByText("<script>alert(1)</script> Markup")).toBeInTheDocument();
    expect(document.querySelector("script")).toBeNull();
    expect(
      within(row("<script>alert(1)</script> Markup")).getByText(/contains code-like text/),
    ).toBeInTheDocument();
    expect(box("<script>alert(1)</script> Markup")).toBeEnabled();
    expect(box("Ivan Invalid")).toBeDisabled();
    expect(within(row("Ivan Invalid")).getByText(/not a valid e-mail address/)).toBeInTheDocument();
    expect(box("Cher")).toBeDisabled();
    await user.type(screen.getByRole("textbox", { name: "Last name for Cher" }), "Sarkisian{Enter}");
    await waitFor(() => expect(box("Cher Sarkisian")).toBeEnabled());
  });

  it("finishes an import that an earlier run left unfinished: the row is not a duplicate of its own person", async () => {
    const user = userEvent.setup();
    const { services, crm, store } = setup([eva()]);
    // The earlier run created Eva in the CRM with her idempotency key; the pane closed before the link.
    const created = await crm.createContactPerson(
      crmInputFromOutlook(eva(), "bp-1"),
      importIdempotencyKey("o-eva"),
    );
    await renderView(services);
    await screen.findByRole("list", { name: "Outlook contacts to import" });
    expect(within(row("Eva Meyer")).getByText("Import not finished: will be linked")).toBeInTheDocument();
    expect(within(row("Eva Meyer")).queryByText("Certain duplicate")).toBeNull();
    expect(box("Eva Meyer")).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Import 1 contact" }));
    expect(
      await screen.findByText(
        "1 contact that an interrupted import had already created in the CRM is now linked.",
      ),
    ).toBeInTheDocument();
    expect(store.contact("o-eva")?.link?.crmId).toBe(created.id);
    expect(crm.allPersons().filter((p) => p.lastName === "Meyer")).toHaveLength(1);
  });
});
