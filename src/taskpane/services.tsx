/**
 * The services the UI reaches I/O through. Built once by the composition root (index.tsx) and
 * handed down by context; components use them only through hooks (`useServices`).
 */
import { createContext, useContext, type ReactNode } from "react";
import type { AppConfig } from "../core/config";
import { AppError } from "../core/errors";
import type { ContactStore, CrmClient, Mailbox, SettingsStore, TokenProvider } from "../core/ports";
import type { LinkEvents } from "./link-events";

export interface Services {
  config: AppConfig;
  crm: CrmClient;
  contacts: ContactStore;
  tokens: TokenProvider;
  /** Per-user choices that roam (Office roaming settings; preview: browser storage). */
  settings: SettingsStore;
  /** Device-local data too big to roam, e.g. the sync log (browser storage). */
  localStore: SettingsStore;
  /** False when browser storage is blocked and localStore keeps data only in memory (default true). */
  storagePersistent?: boolean;
  mailbox: Mailbox;
  /** Notified whenever links change (export, import, switch, sync); views re-read on it. */
  linkEvents: LinkEvents;
  /** "office" inside Outlook, "preview" in a plain browser. */
  host: "office" | "preview";
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new AppError("unknown", "useServices outside <ServicesProvider>");
  return services;
}
