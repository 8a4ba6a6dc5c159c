/**
 * State of the Contact replication view: the selected e-mail's people (reloaded when the item
 * changes), the search results, the replication state of every shown person (always re-read from
 * the mailbox, also whenever another view reports link changes), and the switch actions.
 *
 * @example
 *   const r = useContactReplication();
 *   r.turnOn(id);        // creates + links the Outlook contact, then notifies the other views
 *   r.requestOff(id);    // opens the confirmation; r.confirmOff() deletes, r.cancelOff() keeps it
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AppError } from "../../core/errors";
import type { MailPerson } from "../../core/model";
import { useServices } from "../services";
import {
  knownPartners,
  loadEmailPeople,
  personDisplayName,
  replicationSwitchFor,
  searchPersons,
  type PersonInfo,
} from "./contact-data";
import type { MailPersonMatch } from "./match-people";

export type LoadStatus = "loading" | "ready" | "error";

export interface Notice {
  intent: "success" | "warning";
  key: "done.on" | "done.off" | "done.photoSkipped" | "done.imported";
  name: string;
  reason?: string;
}

export interface SearchState {
  text: string;
  status: "idle" | "searching" | "ready" | "error";
  ids: string[];
}

export function useContactReplication() {
  const services = useServices();
  const replication = useMemo(() => replicationSwitchFor(services), [services]);
  const [status, setStatus] = useState<LoadStatus>("loading");
  const [matches, setMatches] = useState<MailPersonMatch[]>([]);
  const [persons, setPersons] = useState<Record<string, PersonInfo>>({});
  const [replicated, setReplicated] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [search, setSearch] = useState<SearchState>({ text: "", status: "idle", ids: [] });
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pendingOff, setPendingOff] = useState<string | null>(null);
  const [importTarget, setImportTarget] = useState<MailPerson | null>(null);
  const loadGeneration = useRef(0);
  const searchGeneration = useRef(0);
  const shown = useRef({ email: [] as string[], search: [] as string[] });
  const personsRef = useRef(persons);
  personsRef.current = persons;

  const readState = useCallback(
    async (ids: string[]) => {
      if (ids.length === 0) return;
      const state = await replication.state(ids);
      setReplicated((prev) => ({ ...prev, ...Object.fromEntries(state) }));
    },
    [replication],
  );

  const refreshShown = useCallback(() => {
    const ids = [...new Set([...shown.current.email, ...shown.current.search])];
    readState(ids).catch((e: unknown) => setError(AppError.from(e)));
  }, [readState]);

  const load = useCallback(async () => {
    const generation = ++loadGeneration.current;
    setStatus("loading");
    try {
      const result = await loadEmailPeople(services);
      if (generation !== loadGeneration.current) return;
      const ids = result.matches.flatMap((m) => m.personIds);
      shown.current.email = ids;
      const state = await replication.state(ids);
      if (generation !== loadGeneration.current) return;
      setPersons((prev) => ({ ...prev, ...result.infos }));
      setReplicated((prev) => ({ ...prev, ...Object.fromEntries(state) }));
      setMatches(result.matches);
      setStatus("ready");
    } catch (e) {
      if (generation !== loadGeneration.current) return;
      setError(AppError.from(e));
      setStatus("error");
    }
  }, [services, replication]);

  useEffect(() => {
    void load();
    return services.mailbox.onItemChanged(() => {
      setNotice(null);
      setError(null);
      setMatches([]); // another e-mail: never show the previous one's people meanwhile
      void load();
    });
  }, [load, services.mailbox]);

  useEffect(() => services.linkEvents.subscribe(refreshShown), [services.linkEvents, refreshShown]);

  const runSearch = useCallback(
    async (text: string) => {
      const generation = ++searchGeneration.current;
      const trimmed = text.trim();
      if (trimmed === "") {
        shown.current.search = [];
        setSearch({ text, status: "idle", ids: [] });
        return;
      }
      setSearch((prev) => ({ ...prev, text, status: "searching" }));
      try {
        const result = await searchPersons(services, trimmed, knownPartners(personsRef.current));
        const state = await replication.state(result.ids);
        if (generation !== searchGeneration.current) return;
        shown.current.search = result.ids;
        setPersons((prev) => ({ ...prev, ...result.infos }));
        setReplicated((prev) => ({ ...prev, ...Object.fromEntries(state) }));
        setSearch({ text, status: "ready", ids: result.ids });
      } catch (e) {
        if (generation !== searchGeneration.current) return;
        setError(AppError.from(e));
        setSearch({ text, status: "error", ids: [] });
      }
    },
    [services, replication],
  );

  const withBusy = useCallback(
    async (id: string, action: () => Promise<void>) => {
      setBusy((prev) => ({ ...prev, [id]: true }));
      setError(null);
      setNotice(null);
      try {
        await action();
      } catch (e) {
        setError(AppError.from(e));
        await readState([id]).catch((again: unknown) => setError(AppError.from(again)));
      } finally {
        setBusy((prev) => ({ ...prev, [id]: false }));
      }
    },
    [readState],
  );

  const turnOn = useCallback(
    (id: string) => {
      const info = personsRef.current[id];
      if (!info) return Promise.resolve();
      return withBusy(id, async () => {
        const result = await replication.switchOn(info.person, info.partner);
        setReplicated((prev) => ({ ...prev, [id]: true }));
        setNotice(
          result.photoError
            ? {
                intent: "warning",
                key: "done.photoSkipped",
                name: personDisplayName(info),
                reason: result.photoError.code,
              }
            : { intent: "success", key: "done.on", name: personDisplayName(info) },
        );
        services.linkEvents.notify();
      });
    },
    [replication, services.linkEvents, withBusy],
  );

  const confirmOff = useCallback(() => {
    const id = pendingOff;
    setPendingOff(null);
    const info = id ? personsRef.current[id] : undefined;
    if (!id || !info) return Promise.resolve();
    return withBusy(id, async () => {
      await replication.switchOff(id);
      setReplicated((prev) => ({ ...prev, [id]: false }));
      setNotice({ intent: "success", key: "done.off", name: personDisplayName(info) });
      services.linkEvents.notify();
    });
  }, [pendingOff, replication, services.linkEvents, withBusy]);

  const onImported = useCallback(
    (name: string) => {
      setImportTarget(null);
      setNotice({ intent: "success", key: "done.imported", name });
      services.linkEvents.notify();
      void load();
    },
    [load, services.linkEvents],
  );

  return {
    status,
    matches,
    persons,
    replicated,
    busy,
    search,
    error,
    notice,
    pendingOff: pendingOff ? (persons[pendingOff] ?? null) : null,
    importTarget,
    reload: load,
    runSearch,
    turnOn,
    requestOff: setPendingOff,
    confirmOff,
    cancelOff: () => setPendingOff(null),
    openImport: setImportTarget,
    closeImport: () => setImportTarget(null),
    onImported,
    dismissError: () => setError(null),
    dismissNotice: () => setNotice(null),
  };
}

export type ContactReplication = ReturnType<typeof useContactReplication>;
