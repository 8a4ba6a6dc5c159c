import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { parseConfig } from "../../../src/core/config";
import { defaultFieldDirections } from "../../../src/core/mapping";
import type { ContactPerson, OutlookContact } from "../../../src/core/model";
import { planExport } from "../../../src/core/plans/export-plan";
import { ExportView } from "../../../src/taskpane/export/ExportView";
import { SEARCH_CAP } from "../../../src/taskpane/export/export-search";
import { createI18n } from "../../../src/taskpane/i18n/i18n";
import { LinkEvents } from "../../../src/taskpane/link-events";
import { ServicesProvider, type Services } from "../../../src/taskpane/services";
import { blankOutlookFields } from "../../support/builders";
import {
  aPartner,
  aPerson,
  FakeContactStore,
  FakeCrm,
  FakeMailbox,
  MemorySettingsStore,
  StaticTokens,
} from "../../support/fakes";

// jsdom has no ResizeObserver; Fluent's MessageBar reflow needs one (no layout here anyway).
// Writable: Fluent's positioning (tooltips, in NODE_ENV=test) assigns its own stand-in to it.
beforeAll(() => {
  if (!("ResizeObserver" in window)) {
    class NoopResizeObserver {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    }
    Object.defineProperty(window, "ResizeObserver", {
      value: NoopResizeObserver,
      configurable: true,
      writable: true,
    });
  }
});

const partner = aPartner({ id: "bp-1", name: "Müller Bau GmbH" });
const persons: ContactPerson[] = ["Adler", "Becker", "Claus", "Dorn", "Engel"].map((lastName, i) =>
  aPerson({ id: `cp-${i + 1}`, businessPartnerId: "bp-1", firstName: "Eva", lastName }),
);

/** A contact exactly as an earlier export left it. */
function exportedContact(person: ContactPerson, id: string): OutlookContact {
  const plan = planExport({
    selected: [{ person, partner }],
    linked: [],
    deselectedExported: [],
    options: { withdrawDeselected: true, fieldDirections: defaultFieldDirections },
    now: "2026-01-01T00:00:00.000Z",
  });
  const step = plan.steps[0];
  if (step?.kind !== "create") throw new Error("expected create");
  const { link, ...fields } = step.write;
  return {
    id,
    changeKey: "ck",
    parentFolderId: FakeContactStore.DEFAULT_FOLDER_ID,
    displayName: `${person.firstName} ${person.lastName}`,
    lastModifiedDateTime: "2026-01-01T00:00:00.000Z",
    ...blankOutlookFields(),
    ...fields,
    link: link ?? null,
  };
}

function makeServices(options: { people?: ContactPerson[]; contacts?: OutlookContact[] } = {}) {
  const parsed = parseConfig({
    crmBaseUrl: "https://crm.example.com/api/v1",
    auth: { mode: "static", crmToken: "c", graphToken: "g" },
    defaultPhoneRegion: "DE",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  const crm = new FakeCrm({ businessPartners: [partner], contactPersons: options.people ?? persons });
  const contacts = new FakeContactStore({ contacts: options.contacts ?? [] });
  const settings = new MemorySettingsStore();
  const linkEvents = new LinkEvents();
  const services: Services = {
    config: parsed.config,
    crm,
    contacts,
    tokens: new StaticTokens(),
    settings,
    localStore: new MemorySettingsStore(),
    mailbox: new FakeMailbox(),
    linkEvents,
    host: "preview",
  };
  return { services, crm, contacts, settings, linkEvents };
}

async function renderView(services: Services, language: "en" | "de" = "en") {
  const i18n = await createI18n(language);
  render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme}>
        <ServicesProvider services={services}>
          <ExportView />
        </ServicesProvider>
      </FluentProvider>
    </I18nextProvider>,
  );
  return userEvent.setup();
}

const available = () => screen.getByRole("listbox", { name: /available/i });
const selected = () => screen.getByRole("listbox", { name: /selected for export/i });
const names = (listbox: HTMLElement) =>
  within(listbox)
    .queryAllByRole("option")
    .map((o) => o.textContent ?? "");

async function search(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: "Search" }));
  await screen.findByRole("listbox", { name: /available/i });
}

describe("ExportView", () => {
  it("moves rows with the mouse: click, Ctrl+click, Shift+click, move all both ways", async () => {
    const { services } = makeServices();
    const user = await renderView(services);
    await search(user);
    expect(screen.getByText("5 contact persons found")).toBeInTheDocument();
    expect(names(available())).toHaveLength(5);

    const options = within(available()).getAllByRole("option");
    await user.click(options[0] as HTMLElement);
    await user.keyboard("{Control>}");
    await user.click(options[2] as HTMLElement);
    await user.keyboard("{/Control}");
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    expect(options[1]).toHaveAttribute("aria-selected", "false");
    expect(options[2]).toHaveAttribute("aria-selected", "true");
    await user.click(screen.getByRole("button", { name: "Move selected to the export list" }));
    expect(names(selected()).map((n) => n.split(",")[0])).toEqual(["Adler", "Claus"]);

    const left = within(available()).getAllByRole("option");
    await user.click(left[0] as HTMLElement);
    await user.keyboard("{Shift>}");
    await user.click(left[2] as HTMLElement);
    await user.keyboard("{/Shift}");
    await user.click(screen.getByRole("button", { name: "Move selected to the export list" }));
    expect(names(available())).toHaveLength(0);
    expect(names(selected())).toHaveLength(5);

    await user.click(screen.getByRole("button", { name: "Move all back to the available list" }));
    expect(names(selected())).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Move all to the export list" }));
    expect(names(selected())).toHaveLength(5);
  });

  it("selects with the keyboard: arrows, Shift+arrows, Space, Ctrl+A, Enter moves", async () => {
    const { services } = makeServices();
    const user = await renderView(services);
    await search(user);
    available().focus();
    await user.keyboard("{ArrowDown}"); // active 1 (Becker), selected
    await user.keyboard("{Shift>}{ArrowDown}{ArrowDown}{/Shift}"); // Becker..Dorn
    const sel = () =>
      within(available())
        .getAllByRole("option")
        .filter((o) => o.getAttribute("aria-selected") === "true")
        .map((o) => (o.textContent ?? "").split(",")[0]);
    expect(sel()).toEqual(["Becker", "Claus", "Dorn"]);
    expect(available()).toHaveAttribute("aria-activedescendant", "export-available-option-cp-4");
    await user.keyboard(" "); // toggles Dorn off
    expect(sel()).toEqual(["Becker", "Claus"]);
    await user.keyboard("{Enter}");
    expect(names(selected()).map((n) => n.split(",")[0])).toEqual(["Becker", "Claus"]);

    available().focus();
    await user.keyboard("{Control>}a{/Control}");
    expect(sel()).toEqual(["Adler", "Dorn", "Engel"]);
    await user.keyboard("{Enter}");
    expect(names(available())).toHaveLength(0);
  });

  it("puts persons exported earlier on the right, marked as exported", async () => {
    const { services } = makeServices({ contacts: [exportedContact(persons[1] as ContactPerson, "oc-1")] });
    const user = await renderView(services);
    await search(user);
    const right = within(selected()).getAllByRole("option");
    expect(right).toHaveLength(1);
    expect(right[0]).toHaveTextContent("Becker, Eva");
    expect(within(right[0] as HTMLElement).getByText("exported")).toBeInTheDocument();
    expect(names(available())).toHaveLength(4);
  });

  it("Exit at the preview writes nothing and starts over", async () => {
    const { services, contacts, settings } = makeServices({
      contacts: [exportedContact(persons[1] as ContactPerson, "oc-1")],
    });
    const user = await renderView(services);
    await search(user);
    await user.click(screen.getByRole("button", { name: "Move all to the export list" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    await user.click(await screen.findByRole("radio", { name: "A contact folder of its own" }));
    await user.type(screen.getByRole("textbox", { name: /folder name/i }), "CRM");
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("4 new contacts")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Exit" }));
    expect(screen.getByRole("button", { name: "Search" })).toBeInTheDocument();
    for (const method of [
      "createContacts",
      "updateContacts",
      "deleteContacts",
      "putPhoto",
      "ensureFolder",
    ] as const)
      expect(contacts.calls[method]).toBe(0);
    expect(settings.calls.write).toBe(0);
    expect(contacts.allContacts()).toHaveLength(1);
  });

  it("exports and shows the summary counts; the next run finds everything up to date", async () => {
    const { services, contacts, linkEvents } = makeServices({
      contacts: [
        exportedContact(persons[1] as ContactPerson, "oc-1"),
        exportedContact(persons[4] as ContactPerson, "oc-5"),
      ],
    });
    const notified = jest.fn();
    linkEvents.subscribe(notified);
    const user = await renderView(services);
    await search(user);
    // Move Engel (exported) back left, and Adler + Claus right.
    const right = within(selected()).getAllByRole("option");
    await user.click(right[1] as HTMLElement);
    await user.click(screen.getByRole("button", { name: "Move selected back to the available list" }));
    const left = within(available()).getAllByRole("option");
    await user.click(left[0] as HTMLElement);
    await user.keyboard("{Control>}");
    await user.click(left[1] as HTMLElement); // Adler, Claus (Becker is right)
    await user.keyboard("{/Control}");
    await user.click(screen.getByRole("button", { name: "Move selected to the export list" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(
      await screen.findByRole("checkbox", { name: /withdraw the 1 previously exported/i }),
    ).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("2 new contacts")).toBeInTheDocument();
    expect(screen.getByText("1 contact already up to date")).toBeInTheDocument();
    expect(screen.getByText("1 contact to withdraw")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Export" }));

    const table = await screen.findByRole("table", { name: "Export summary" });
    const row = (label: string) => within(table).getByText(label).closest("tr") as HTMLElement;
    expect(row("Created")).toHaveTextContent("2");
    expect(row("Unchanged")).toHaveTextContent("1");
    expect(row("Withdrawn")).toHaveTextContent("1");
    expect(row("Failed")).toHaveTextContent("0");
    expect(notified).toHaveBeenCalled();
    const linkedIds = contacts
      .allContacts()
      .map((c) => c.link?.crmId)
      .sort();
    expect(linkedIds).toEqual(["cp-1", "cp-2", "cp-3"]);
    expect(contacts.deleted.map((c) => c.id)).toEqual(["oc-5"]);

    await user.click(screen.getByRole("button", { name: "New export" }));
    await search(user);
    expect(names(selected())).toHaveLength(3);
    await user.click(screen.getByRole("button", { name: "Save" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(await screen.findByText("3 contacts already up to date")).toBeInTheDocument();
    expect(
      screen.getByText("Everything is up to date; the export will not change anything."),
    ).toBeInTheDocument();
  });

  it("shows translated reasons for failed contacts", async () => {
    const { services, contacts } = makeServices({ people: persons.slice(0, 2) });
    const user = await renderView(services);
    await search(user);
    await user.click(screen.getByRole("button", { name: "Move all to the export list" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await screen.findByText("2 new contacts");
    contacts.failNext(
      "listLinkedContacts",
      new (await import("../../../src/core/errors")).AppError("throttled", "429"),
    );
    await user.click(screen.getByRole("button", { name: "Export" }));
    const failures = await screen.findByRole("region", { name: "Not exported" });
    expect(within(failures).getAllByRole("listitem")[0]).toHaveTextContent(
      "Eva Adler: Too many requests right now. Please wait a moment and try again.",
    );
  });

  it("exports a person whose photo is over 4 MB without the photo, and says why", async () => {
    const big = { contentType: "image/jpeg" as const, data: new Uint8Array(4 * 1024 * 1024 + 1) };
    const small = { contentType: "image/png" as const, data: new Uint8Array([137, 80, 78, 71]) };
    const people = [
      {
        ...aPerson({ id: "cp-big", businessPartnerId: "bp-1", firstName: "Gro", lastName: "Big" }),
        photo: big,
      },
      {
        ...aPerson({ id: "cp-small", businessPartnerId: "bp-1", firstName: "Kai", lastName: "Small" }),
        photo: small,
      },
    ];
    const { services, contacts } = makeServices({ people });
    const user = await renderView(services);
    await search(user);
    await user.click(screen.getByRole("button", { name: "Move all to the export list" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Export" }));
    const table = await screen.findByRole("table", { name: "Export summary" });
    expect(within(table).getByText("Created").closest("tr")).toHaveTextContent("2");
    const photos = screen.getByRole("region", { name: "Exported without photo" });
    expect(within(photos).getByRole("listitem")).toHaveTextContent(
      "Gro Big: The photo is larger than 4 MB and was skipped.",
    );
    const byCrmId = new Map(contacts.allContacts().map((c) => [c.link?.crmId, c.id]));
    expect(contacts.photoOf(byCrmId.get("cp-small") ?? "")).toBeDefined();
    expect(contacts.photoOf(byCrmId.get("cp-big") ?? "")).toBeUndefined();
  });

  it("Cancel during the export stops it; the summary says how many were not processed", async () => {
    const { services, contacts } = makeServices();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const create = contacts.createContacts.bind(contacts);
    // The first batch of creates waits until the test has pressed Cancel.
    contacts.createContacts = async (items, options) => {
      await gate;
      return create(items, options);
    };
    const user = await renderView(services);
    await search(user);
    await user.click(screen.getByRole("button", { name: "Move all to the export list" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Export" }));
    expect(await screen.findByRole("progressbar")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    release();
    expect(
      await screen.findByText(/The export was cancelled; 5 contacts were not processed/),
    ).toBeInTheDocument();
    expect(contacts.allContacts()).toHaveLength(0);
  });

  it("keeps 10,000+ rows fast: the search is capped and says so, only visible rows are rendered", async () => {
    const many = Array.from({ length: SEARCH_CAP + 5 }, (_, i) =>
      aPerson({ id: `cp-m${i}`, businessPartnerId: "bp-1", lastName: `Name${String(i).padStart(5, "0")}` }),
    );
    const { services } = makeServices({ people: many });
    const user = await renderView(services);
    await search(user);
    expect(screen.getByText("10000 contact persons found")).toBeInTheDocument();
    expect(screen.getByText(/Only the first 10,000 contact persons are shown/)).toBeInTheDocument();
    expect(within(available()).getAllByRole("option").length).toBeLessThan(40);
    await user.click(screen.getByRole("button", { name: "Move all to the export list" }));
    await waitFor(() =>
      expect(within(selected()).getAllByRole("option")[0]).toHaveAttribute("aria-setsize", "10000"),
    );
  }, 30_000);

  it("says in German, with German digit grouping, that the search was capped", async () => {
    const many = Array.from({ length: SEARCH_CAP + 1 }, (_, i) =>
      aPerson({ id: `cp-m${i}`, businessPartnerId: "bp-1", lastName: `Name${String(i).padStart(5, "0")}` }),
    );
    const { services } = makeServices({ people: many });
    const user = await renderView(services, "de");
    await user.click(screen.getByRole("button", { name: "Suchen" }));
    await screen.findByRole("listbox", { name: /verfügbar/i });
    expect(screen.getByText(/Nur die ersten 10\.000 Ansprechpartner werden angezeigt/)).toBeInTheDocument();
  }, 30_000);
});
