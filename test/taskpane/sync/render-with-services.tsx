/**
 * Renders a sync/settings view over the in-memory port fakes with linked contacts already
 * synchronised (unit tests only), real i18n and the Fluent provider.
 */
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { I18nextProvider } from "react-i18next";
import { parseConfig, type AppConfig } from "../../../src/core/config";
import {
  activeFields,
  defaultFieldDirections,
  outlookWriteFromRecord,
  pickFields,
  recordFromCrm,
} from "../../../src/core/mapping";
import type { ContactPerson } from "../../../src/core/model";
import { encodeSyncState } from "../../../src/core/sync-state";
import { createI18n, type Language } from "../../../src/taskpane/i18n/i18n";
import { LinkEvents } from "../../../src/taskpane/link-events";
import { ServicesProvider, type Services } from "../../../src/taskpane/services";
import {
  FakeContactStore,
  FakeCrm,
  FakeMailbox,
  MemorySettingsStore,
  StaticTokens,
  aPartner,
  aPerson,
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

export function testConfig(): AppConfig {
  const parsed = parseConfig({
    crmBaseUrl: "https://crm.example.com/api/v1",
    auth: { mode: "static", crmToken: "crm", graphToken: "graph" },
    defaultPhoneRegion: "DE",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.config;
}

export interface Setup {
  /** Number of linked persons (exported, in step). */
  linked?: number;
  storedSettings?: Record<string, unknown>;
  /** Initial content of the device-local store (e.g. a stored sync log). */
  localData?: Record<string, unknown>;
  language?: Language;
  /** Runs before the first render (e.g. CRM edits a sync on open should see). */
  prepare?: (fakes: { crm: FakeCrm; contacts: FakeContactStore; contactIds: string[] }) => void;
}

export async function renderWithServices(ui: ReactElement, setup: Setup = {}) {
  const partner = aPartner({ id: "bp-1" });
  const persons: ContactPerson[] = Array.from({ length: setup.linked ?? 0 }, (_, i) =>
    aPerson({ id: `cp-${i}`, businessPartnerId: "bp-1", firstName: "Erika", lastName: `Muster${i}` }),
  );
  const crm = new FakeCrm({ businessPartners: [partner], contactPersons: persons });
  const contacts = new FakeContactStore();
  const fields = activeFields(defaultFieldDirections);
  const created = await contacts.createContacts(
    persons.map((person) => {
      const record = recordFromCrm(person, partner);
      const syncState = encodeSyncState({
        v: 1,
        crmVersion: person.version,
        syncedAt: "2026-01-01T00:00:00.000Z",
        record: pickFields(record, fields),
        fields,
        photoHash: null,
      });
      return {
        folderId: null,
        contact: { ...outlookWriteFromRecord(record), link: { crmId: person.id, syncState } },
      };
    }),
  );
  const contactIds = created.map((result) => (result.ok ? result.value.id : ""));
  contacts.resetCalls();
  setup.prepare?.({ crm, contacts, contactIds });
  const linkEvents = new LinkEvents();
  const notified = jest.spyOn(linkEvents, "notify");
  const settings = new MemorySettingsStore(setup.storedSettings ?? {});
  const localStore = new MemorySettingsStore(setup.localData ?? {});
  const services: Services = {
    config: testConfig(),
    crm,
    contacts,
    tokens: new StaticTokens(),
    settings,
    localStore,
    mailbox: new FakeMailbox(),
    linkEvents,
    host: "preview",
  };
  const i18n = await createI18n(setup.language ?? "en");
  const view = render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme}>
        <ServicesProvider services={services}>{ui}</ServicesProvider>
      </FluentProvider>
    </I18nextProvider>,
  );
  return { ...view, crm, contacts, contactIds, settings, localStore, services, notified };
}
