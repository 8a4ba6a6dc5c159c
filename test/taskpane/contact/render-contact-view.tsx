/**
 * Renders the Contact replication view over the in-memory port fakes (unit tests only), with
 * the real i18n (English) and Fluent provider.
 */
import { FluentProvider, Tab, TabList, webLightTheme } from "@fluentui/react-components";
import { render } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { parseConfig, type AppConfig } from "../../../src/core/config";
import type { BusinessPartner, ContactPerson, MailPerson, OutlookContact } from "../../../src/core/model";
import { ContactView } from "../../../src/taskpane/contact/ContactView";
import { createI18n } from "../../../src/taskpane/i18n/i18n";
import { LinkEvents } from "../../../src/taskpane/link-events";
import { ServicesProvider, type Services } from "../../../src/taskpane/services";
import {
  FakeContactStore,
  FakeCrm,
  FakeMailbox,
  MemorySettingsStore,
  StaticTokens,
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

// jsdom layout stand-ins for tabster (offsetParent, <body> size): see test/support/setup-ui.ts.

export function testConfig(): AppConfig {
  const parsed = parseConfig({
    crmBaseUrl: "https://crm.example.com/api/v1",
    auth: { mode: "static", crmToken: "crm", graphToken: "graph" },
    defaultPhoneRegion: "DE",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.config;
}

export interface ContactViewSetup {
  partners?: BusinessPartner[];
  persons?: ContactPerson[];
  contacts?: OutlookContact[];
  people?: MailPerson[];
  /** The UI language; English unless given. */
  language?: "en" | "de";
}

export async function renderContactView(setup: ContactViewSetup = {}) {
  const crm = new FakeCrm({ businessPartners: setup.partners ?? [], contactPersons: setup.persons ?? [] });
  const contacts = new FakeContactStore({ contacts: setup.contacts ?? [] });
  const mailbox = new FakeMailbox(setup.people ?? []);
  const linkEvents = new LinkEvents();
  const notified = jest.spyOn(linkEvents, "notify");
  const services: Services = {
    config: testConfig(),
    crm,
    contacts,
    tokens: new StaticTokens(),
    settings: new MemorySettingsStore(),
    localStore: new MemorySettingsStore(),
    mailbox,
    linkEvents,
    host: "preview",
  };
  const i18n = await createI18n(setup.language ?? "en");
  const view = render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme}>
        <ServicesProvider services={services}>
          {/* As in the shell: its navigation keeps Fluent's focus manager (tabster) alive for the
              pane's lifetime. Without any long-lived user, tabster is disposed when the last row
              and a dialog unmount together and leaves the dialog's aria-hidden on the page
              (microsoft/tabster#530), which the real pane never hits. */}
          <TabList selectedValue="contact">
            <Tab value="contact">Contact replication</Tab>
          </TabList>
          <ContactView />
        </ServicesProvider>
      </FluentProvider>
    </I18nextProvider>,
  );
  return { ...view, crm, contacts, mailbox, linkEvents, notified, services };
}
