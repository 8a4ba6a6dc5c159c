import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createSampleMailbox } from "../../src/adapters/preview/sample-mailbox";
import { parseConfig } from "../../src/core/config";
import { AppError } from "../../src/core/errors";
import { App } from "../../src/taskpane/App";
import { createI18n } from "../../src/taskpane/i18n/i18n";
import { LinkEvents } from "../../src/taskpane/link-events";
import type { Services } from "../../src/taskpane/services";
import type { ViewId } from "../../src/taskpane/shell/views";
import {
  FakeContactStore,
  FakeCrm,
  MemorySettingsStore,
  StaticTokens,
  aPartner,
  aPerson,
  anOutlookContact,
} from "../support/fakes";

function services(overrides: Partial<Services> = {}): Services {
  const parsed = parseConfig({
    crmBaseUrl: "https://crm.example.com/api/v1",
    auth: { mode: "static", crmToken: "c", graphToken: "g" },
    defaultPhoneRegion: "DE",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  const partner = aPartner({ id: "bp-1" });
  return {
    config: parsed.config,
    crm: new FakeCrm({
      businessPartners: [partner],
      contactPersons: [
        aPerson({
          id: "cp-1",
          businessPartnerId: "bp-1",
          lastName: "Schmidt",
          responsibleEmployee: "demo.user",
        }),
        aPerson({
          id: "cp-2",
          businessPartnerId: "bp-1",
          lastName: "Weber",
          responsibleEmployee: "demo.user",
        }),
      ],
    }),
    contacts: new FakeContactStore({ contacts: [anOutlookContact({ id: "c-1" })] }),
    tokens: new StaticTokens(),
    settings: new MemorySettingsStore(),
    localStore: new MemorySettingsStore(),
    mailbox: createSampleMailbox(),
    linkEvents: new LinkEvents(),
    host: "preview",
    ...overrides,
  };
}

async function renderApp(options: { view?: ViewId; services?: Services; initialErrors?: AppError[] } = {}) {
  const i18n = await createI18n("en");
  const s = options.services ?? services();
  render(
    <App
      services={s}
      i18n={i18n}
      initialView={options.view ?? "export"}
      themeSource={{ current: "light" }}
      preview={{ mailbox: createSampleMailbox() }}
      initialErrors={options.initialErrors}
    />,
  );
  return { i18n, services: s };
}

describe("App shell", () => {
  it("opens on the view from ?view= and navigates between all views by tab", async () => {
    const user = userEvent.setup();
    await renderApp({ view: "import" });
    const nav = screen.getByRole("navigation", { name: "Views" });
    expect(within(nav).getByRole("tab", { name: "Import" })).toHaveAttribute("aria-selected", "true");
    for (const name of ["Export", "Contact replication", "Sync log", "Settings", "Import"]) {
      await user.click(within(nav).getByRole("tab", { name }));
      expect(within(nav).getByRole("tab", { name })).toHaveAttribute("aria-selected", "true");
      expect(screen.getByRole("tabpanel", { name })).toBeInTheDocument();
    }
  });

  it("shows that it is connected with the counts it sees", async () => {
    await renderApp();
    expect(
      await screen.findByText("Connected: 2 CRM contact persons, 1 Outlook contacts"),
    ).toBeInTheDocument();
  });

  it("shows a translated reason when a back end cannot be reached", async () => {
    const s = services();
    (s.crm as FakeCrm).failNext("searchContactPersons", new AppError("network", "ECONNREFUSED"));
    await renderApp({ services: s });
    expect(await screen.findByText(/Not connected: The server could not be reached/)).toBeInTheDocument();
  });

  it("switches the language from the preview bar and back", async () => {
    const user = userEvent.setup();
    await renderApp();
    expect(screen.getByText("Preview — not running inside Outlook")).toBeInTheDocument();
    await user.selectOptions(screen.getByRole("combobox", { name: "Language" }), "de");
    expect(await screen.findByRole("tab", { name: "Einstellungen" })).toBeInTheDocument();
    expect(screen.getByText("Vorschau – läuft nicht in Outlook")).toBeInTheDocument();
    await user.selectOptions(screen.getByRole("combobox", { name: "Sprache" }), "en");
    expect(await screen.findByRole("tab", { name: "Settings" })).toBeInTheDocument();
  });

  it("switches the theme from the preview bar", async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.selectOptions(screen.getByRole("combobox", { name: "Theme" }), "dark");
    await waitFor(() => expect(document.querySelector("[data-theme='dark']")).not.toBeNull());
  });

  it("shows start-up errors translated in the error area and dismisses them", async () => {
    const user = userEvent.setup();
    await renderApp({ initialErrors: [new AppError("office-unsupported", "NAA missing")] });
    const area = screen.getByRole("region", { name: "Messages" });
    expect(
      within(area).getByText("This version of Outlook does not support the add-in."),
    ).toBeInTheDocument();
    await user.click(within(area).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("region", { name: "Messages" })).toBeNull();
  });
});
