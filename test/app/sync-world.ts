/**
 * Real parts for sync integration tests and the sync bench: the reference CRM server on a SQLite
 * file (so a test can mark persons deleted/inactive, which the API never does), the Graph emulator,
 * the real adapters, and helpers to export (link) persons through the real export runner.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../../src/adapters/crm/crm-client";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { createLocalSettingsStore } from "../../src/adapters/preview/local-settings-store";
import { runExport } from "../../src/app/export-runner";
import type { SyncDeps } from "../../src/app/sync-runner";
import { saveUserSettings } from "../../src/app/user-settings-service";
import { parseConfig, type AppConfig } from "../../src/core/config";
import type { FieldDirections } from "../../src/core/mapping";
import type { BusinessPartner, ConflictRule, ContactPerson } from "../../src/core/model";
import { planExport } from "../../src/core/plans/export-plan";
import type { ContactStore, CrmClient, SettingsStore } from "../../src/core/ports";
import { defaultUserSettings } from "../../src/core/user-settings";
import { startCrmServer, type CrmServerHandle } from "../servers/crm/server";
import { openStore } from "../servers/crm/store";
import type { DemoData } from "../servers/demo-data";
import {
  startGraphEmulator,
  type GraphEmulatorHandle,
  type GraphEmulatorOptions,
} from "../servers/graph/emulator";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";

/** A Web Storage in memory, so the real localStorage-backed settings store runs in Node. */
export class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, String(value));
  }
}

export interface World {
  crmServer: CrmServerHandle;
  graph: GraphEmulatorHandle;
  crm: CrmClient;
  config: AppConfig;
  dbFile: string;
  /** Marks persons deleted/inactive directly in the CRM's database (new version, like a CRM would). */
  setStatus(ids: string[], status: "deleted" | "inactive"): void;
  close(): Promise<void>;
}

export async function startWorld(
  options: { seed?: DemoData; graph?: GraphEmulatorOptions } = {},
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "sync-world-"));
  const dbFile = join(dir, "crm.sqlite");
  if (options.seed) {
    const store = openStore(dbFile);
    store.seed(options.seed);
    store.close();
  }
  const crmServer = await startCrmServer({ db: dbFile, seed: options.seed ? "none" : "demo" });
  const graph = await startGraphEmulator({ seed: "none", ...options.graph });
  const tokens = createStaticTokenProvider({ crm: crmServer.token, graph: graph.token });
  const crm = createCrmClient({ baseUrl: crmServer.url, tokens });
  const parsed = parseConfig({
    crmBaseUrl: crmServer.url,
    graphBaseUrl: graph.url,
    auth: { mode: "static", crmToken: crmServer.token, graphToken: graph.token },
    defaultPhoneRegion: "DE",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const db = new Database(dbFile);
  const update = db.prepare(
    "UPDATE contact_persons SET status = ?, rev = rev + 1, updated_at = ? WHERE id = ?",
  );
  return {
    crmServer,
    graph,
    crm,
    config: parsed.config,
    dbFile,
    setStatus(ids, status) {
      const now = new Date().toISOString();
      db.transaction(() => {
        for (const id of ids) update.run(status, now, id);
      })();
    },
    async close() {
      db.close();
      await graph.close();
      await crmServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Mailbox {
  token: string;
  contacts: ContactStore;
  settings: SettingsStore;
  localStore: SettingsStore;
  deps: SyncDeps;
}

let mailboxes = 0;

/** A fresh, empty mailbox of the emulator with its own adapter, settings and local store. */
export async function newMailbox(
  world: World,
  settings: { fieldDirections?: Partial<FieldDirections>; conflictRule?: ConflictRule } = {},
): Promise<Mailbox> {
  const token = `sync-mailbox-${++mailboxes}-${Date.now()}`;
  world.graph.addMailbox(token);
  const contacts = createGraphContactStore({
    toJpeg,
    baseUrl: world.graph.url,
    tokens: createStaticTokenProvider({ crm: world.crmServer.token, graph: token }),
    fetchOptions: insecureFetchOptions(), // the emulator's self-signed certificate
  });
  const storage = new MemoryStorage();
  const roaming = createLocalSettingsStore("settings:", storage);
  const localStore = createLocalSettingsStore("local:", storage);
  const defaults = defaultUserSettings(world.config);
  await saveUserSettings(roaming, {
    ...defaults,
    conflictRule: settings.conflictRule ?? defaults.conflictRule,
    fieldDirections: { ...defaults.fieldDirections, ...settings.fieldDirections },
  });
  return {
    token,
    contacts,
    settings: roaming,
    localStore,
    deps: { config: world.config, crm: world.crm, contacts, settings: roaming, localStore },
  };
}

/** Active persons without a photo, in id order (the demo CRM has 2,000 persons). */
export async function loadPersons(crm: CrmClient, count: number, skip = 0): Promise<ContactPerson[]> {
  const persons: ContactPerson[] = [];
  let cursor: string | undefined;
  do {
    const page = await crm.searchContactPersons({ cursor, limit: 200 });
    persons.push(...page.items.filter((p) => !p.hasPhoto && p.status === "active"));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && persons.length < skip + count);
  return persons.slice(skip, skip + count);
}

/** Links the persons into the mailbox through the real export runner (as a user would). */
export async function exportPersons(
  world: World,
  mailbox: Mailbox,
  persons: ContactPerson[],
  fieldDirections: Partial<FieldDirections> = {},
  folderName: string | null = null,
): Promise<void> {
  const partners = new Map<string, BusinessPartner>();
  for (const id of new Set(persons.map((p) => p.businessPartnerId)))
    partners.set(id, await world.crm.getBusinessPartner(id));
  const directions = { ...defaultUserSettings(world.config).fieldDirections, ...fieldDirections };
  const fresh: ContactPerson[] = [];
  for (let i = 0; i < persons.length; i += 500)
    fresh.push(...(await world.crm.batchGet(persons.slice(i, i + 500).map((p) => p.id))).items);
  const plan = planExport({
    selected: fresh.map((person) => ({ person, partner: partners.get(person.businessPartnerId) ?? null })),
    linked: await mailbox.contacts.listLinkedContacts(),
    deselectedExported: [],
    options: { withdrawDeselected: false, fieldDirections: directions },
    now: new Date().toISOString(),
  });
  const summary = await runExport(
    plan,
    { crm: world.crm, contacts: mailbox.contacts },
    {
      folderName,
      fieldDirections: directions,
    },
  );
  if (summary.failed.length > 0 || summary.created + summary.updated + summary.unchanged !== persons.length)
    throw new Error(`export failed: ${JSON.stringify(summary).slice(0, 500)}`);
}
