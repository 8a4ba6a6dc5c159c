/**
 * Builds the adapters for the pane from the validated config and the host (Outlook or the
 * preview host). The only place that knows which adapter implements which port.
 *
 * @example
 *   const { services, startupErrors } = buildServices(config, { kind: "preview", mailbox: createSampleMailbox() }, paneLocalStorage());
 */
import type { GuardedStorage } from "../adapters/browser/guarded-storage";
import { createStaticTokenProvider } from "../adapters/auth/static-token-provider";
import { createCrmClient } from "../adapters/crm/crm-client";
import { canvasToJpeg } from "../adapters/browser/canvas-jpeg";
import { createGraphContactStore } from "../adapters/graph/graph-contact-store";
import { createOfficeMailbox } from "../adapters/office/office-mailbox";
import { createRoamingSettingsStore } from "../adapters/office/roaming-settings-store";
import { createLocalSettingsStore } from "../adapters/preview/local-settings-store";
import type { SampleMailbox } from "../adapters/preview/sample-mailbox";
import type { AppConfig } from "../core/config";
import { AppError } from "../core/errors";
import type { TokenProvider } from "../core/ports";
import { LinkEvents } from "./link-events";
import type { Services } from "./services";

export type Host = { kind: "office" } | { kind: "preview"; mailbox: SampleMailbox };

const SETTINGS_NS = "crm-addin:settings:";
const LOCAL_NS = "crm-addin:local:";

/**
 * A TokenProvider whose implementation is loaded on the first call (its own chunk): MSAL is
 * fetched only in `auth.mode: "entra"`, and not before the first token is needed. A failed load
 * is a `network` error and is retried by the next call.
 */
export function deferredTokenProvider(load: () => Promise<TokenProvider>): TokenProvider {
  let loading: Promise<TokenProvider> | null = null;
  return {
    async getToken(resource, options) {
      loading ??= load().catch((error: unknown) => {
        loading = null;
        throw new AppError("network", "The sign-in code could not be loaded", { cause: error });
      });
      return (await loading).getToken(resource, options);
    },
  };
}

/** `storage`: the pane's guarded local storage (blocked storage falls back to memory). */
export function buildServices(
  config: AppConfig,
  host: Host,
  storage: GuardedStorage,
): { services: Services; startupErrors: AppError[] } {
  const startupErrors: AppError[] = [];
  let tokens: TokenProvider;
  if (config.auth.mode === "static") {
    tokens = createStaticTokenProvider({ crm: config.auth.crmToken, graph: config.auth.graphToken });
  } else {
    const auth = config.auth;
    const paneUrl = window.location.href;
    const persistent = storage.persistent;
    tokens = deferredTokenProvider(() =>
      import(/* webpackChunkName: "entra-auth" */ "./entra-auth").then((m) =>
        m.createEntraTokenProvider(auth, paneUrl, persistent),
      ),
    );
  }
  const services: Services = {
    config,
    tokens,
    crm: createCrmClient({ baseUrl: config.crmBaseUrl, tokens }),
    contacts: createGraphContactStore({ baseUrl: config.graphBaseUrl, tokens, toJpeg: canvasToJpeg }),
    settings:
      host.kind === "office"
        ? createRoamingSettingsStore(Office.context.roamingSettings)
        : createLocalSettingsStore(SETTINGS_NS, storage),
    localStore: createLocalSettingsStore(LOCAL_NS, storage),
    storagePersistent: storage.persistent,
    mailbox: host.kind === "office" ? createOfficeMailbox(Office.context.mailbox) : host.mailbox,
    linkEvents: new LinkEvents(),
    host: host.kind,
  };
  return { services, startupErrors };
}
