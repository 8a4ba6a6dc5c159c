/**
 * Start-up that is never blank: the deadline for office.js (fake timers, the real default), the
 * translated start-up messages, the preview-host rule, the cancelled sign-in notice with its
 * "Sign in again" button, and the note when browser storage is blocked.
 */
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import {
  DEFAULT_STARTUP_TIMEOUT_MS,
  hostInfoLocale,
  openedByOutlook,
  previewAllowed,
  startupTimeoutMs,
  waitForOffice,
  type OfficeStart,
} from "../../../src/adapters/office/office-start";
import { AppError } from "../../../src/core/errors";
import { createI18n, type Language } from "../../../src/taskpane/i18n/i18n";
import { ErrorArea } from "../../../src/taskpane/shell/ErrorArea";
import { ErrorReporterProvider } from "../../../src/taskpane/shell/error-reporter";
import { StartupMessage, type StartupState } from "../../../src/taskpane/shell/StartupMessage";
import { StorageNote } from "../../../src/taskpane/shell/StorageNote";
import { ServicesProvider } from "../../../src/taskpane/services";
import { renderWithServices } from "../sync/render-with-services";

const SUPPORT = "https://addin.contoso.example/support.html";

async function showStartup(state: StartupState, language: Language = "en") {
  const i18n = await createI18n(language);
  render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme}>
        <StartupMessage state={state} supportUrl={SUPPORT} />
      </FluentProvider>
    </I18nextProvider>,
  );
}

describe("waiting for office.js", () => {
  afterEach(() => jest.useRealTimers());

  it("gives up after the default ~15 s when Office.onReady never resolves (message within 20 s)", async () => {
    jest.useFakeTimers();
    expect(DEFAULT_STARTUP_TIMEOUT_MS).toBeLessThanOrEqual(20_000);
    expect(startupTimeoutMs()).toBe(DEFAULT_STARTUP_TIMEOUT_MS);
    let outcome: OfficeStart | undefined;
    const never = { onReady: () => new Promise<{ host: unknown }>(() => undefined) };
    void waitForOffice(startupTimeoutMs(), never).then((start) => (outcome = start));
    await jest.advanceTimersByTimeAsync(DEFAULT_STARTUP_TIMEOUT_MS - 1);
    expect(outcome).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual({ kind: "timeout" });
  });

  it.each<[string, { host: unknown } | Error | undefined, OfficeStart]>([
    ["no office.js", undefined, { kind: "outside" }],
    ["office.js outside Office", { host: null }, { kind: "outside" }],
    ["Outlook", { host: "Outlook" }, { kind: "outlook", displayLanguage: "de-AT" }],
    ["office.js failing", new Error("MicrosoftAjax.js is not loaded successfully."), { kind: "timeout" }],
  ])("%s", async (_name, ready, expected) => {
    const office =
      ready === undefined
        ? undefined
        : {
            onReady: () => (ready instanceof Error ? Promise.reject(ready) : Promise.resolve(ready)),
            context: { displayLanguage: "de-AT" },
          };
    await expect(waitForOffice(1000, office, () => false)).resolves.toEqual(expected);
  });

  it("reports office.js missing inside Outlook (a _host_Info on the URL) as Outlook not starting it", async () => {
    expect(openedByOutlook("?_host_Info=Outlook$Web$16.01$en-US$$$$0", "")).toBe(true);
    expect(openedByOutlook("?view=contact", "")).toBe(false);
    await expect(waitForOffice(1000, undefined, () => true)).resolves.toEqual({ kind: "timeout" });
  });

  // The pane draws itself in Outlook's language before office.js is ready (onReady confirms it).
  it.each([
    ["?_host_Info=Outlook$Web$16.01$de-DE$$$$0", "de-DE"],
    ["?_host_Info=Outlook%24Win32%2416.02%24en-US%24%24%24%240&et=", "en-US"],
    ["?_host_Info=Outlook$Mac$16.00$$$$$0", undefined],
    ["?_host_Info=Outlook$Web$16.01$<script>$$$$0", undefined],
    ["?view=contact", undefined],
  ])("hostInfoLocale(%s) = %s", (search, expected) => {
    expect(hostInfoLocale(search)).toBe(expected);
  });

  it("takes a shortened deadline from the page's test hook", () => {
    (globalThis as { crmAddinStartupTimeoutMs?: number }).crmAddinStartupTimeoutMs = 500;
    expect(startupTimeoutMs()).toBe(500);
    delete (globalThis as { crmAddinStartupTimeoutMs?: number }).crmAddinStartupTimeoutMs;
  });

  it.each([
    ["addin.contoso.com", false, false],
    ["addin.contoso.com", true, true],
    ["localhost", false, true],
    ["127.0.0.1", false, true],
  ])("preview host on %s (development build: %s): %s", (hostname, development, allowed) => {
    expect(previewAllowed(hostname, development)).toBe(allowed);
  });
});

describe("start-up messages", () => {
  it("shows the product name and a spinner while starting", async () => {
    await showStartup("starting");
    expect(screen.getByRole("heading", { name: "CRM Contact Replication" })).toBeInTheDocument();
    expect(screen.getByText("Starting…")).toBeInTheDocument();
  });

  it.each<[Language, string, string]>([
    ["en", "Outlook did not start the add-in", "Help and support"],
    ["de", "Outlook hat das Add-in nicht gestartet", "Hilfe und Support"],
  ])(
    "says in %s that Outlook did not start the add-in, what to try and where to get help",
    async (language, title, link) => {
      await showStartup("office-timeout", language);
      expect(screen.getByText(title)).toBeInTheDocument();
      expect(screen.getAllByRole("listitem").length).toBeGreaterThanOrEqual(3);
      expect(screen.getByRole("link", { name: link })).toHaveAttribute("href", SUPPORT);
    },
  );

  it("asks to open a production build from Outlook instead of showing sample data", async () => {
    await showStartup("open-from-outlook");
    expect(screen.getByText("Open this add-in from Outlook")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Help and support" })).toHaveAttribute("href", SUPPORT);
    expect(screen.queryByText(/Preview/)).toBeNull();
  });
});

describe("cancelled sign-in", () => {
  it("shows the cancel notice (not an error) and signs in again on request", async () => {
    const cancelled = new AppError("sign-in-cancelled", "Sign-in was cancelled");
    const { services, notified } = await renderWithServices(
      <ErrorReporterProvider initial={[cancelled]}>
        <ErrorArea />
      </ErrorReporterProvider>,
    );
    expect(screen.getByText("Sign-in cancelled")).toBeInTheDocument();
    expect(screen.getByText("Sign-in was cancelled. Nothing was changed.")).toBeInTheDocument();
    expect(screen.queryByText("Something went wrong")).toBeNull();
    const getToken = jest.spyOn(services.tokens, "getToken");
    await userEvent.click(screen.getByRole("button", { name: "Sign in again" }));
    expect(getToken.mock.calls.map(([resource]) => resource)).toEqual(["crm", "graph"]);
    await waitFor(() => expect(notified).toHaveBeenCalled());
    expect(screen.queryByText("Sign-in cancelled")).toBeNull();
  });
});

describe("storage note", () => {
  it("says discreetly that the sync log will not persist when storage is blocked", async () => {
    const { services, unmount } = await renderWithServices(<StorageNote />);
    expect(screen.queryByRole("note")).toBeNull();
    unmount();
    const i18n = await createI18n("en");
    render(
      <I18nextProvider i18n={i18n}>
        <ServicesProvider services={{ ...services, storagePersistent: false }}>
          <StorageNote />
        </ServicesProvider>
      </I18nextProvider>,
    );
    expect(screen.getByRole("note")).toHaveTextContent(
      "the sync log and cache are kept only until the pane closes",
    );
  });
});
