/**
 * State and actions of the "Export contact persons" wizard:
 * criteria -> assign -> options -> preview -> running -> summary. Only `startExport` writes to
 * Outlook (and saves the chosen options as the user's settings); Exit at any step before it
 * aborts reads in flight and writes nothing.
 *
 * @example
 *   const wizard = useExportWizard();
 *   await wizard.search();            // loads every page (up to SEARCH_CAP) + the mailbox's links
 *   wizard.moveRight(["cp-1"]); wizard.save(); await wizard.preview(); await wizard.startExport();
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { runExport, type ExportProgress, type ExportSummary } from "../../app/export-runner";
import { loadUserSettings, saveUserSettings } from "../../app/user-settings-service";
import { AppError } from "../../core/errors";
import type { BusinessPartner, ContactPerson } from "../../core/model";
import { planExport, type ExportPlan } from "../../core/plans/export-plan";
import type { UserSettings } from "../../core/user-settings";
import { useServices } from "../services";
import { syncControllerFor } from "../sync/sync-controller";
import { emptyCriteria, loadPartners, loadPersons, type Criteria } from "./export-search";

export type WizardStep = "criteria" | "assign" | "options" | "preview" | "running" | "summary";

export const WIZARD_STEPS: readonly WizardStep[] = [
  "criteria",
  "assign",
  "options",
  "preview",
  "running",
  "summary",
];

export interface ExportChoices {
  /** null = the default Contacts folder. */
  folderName: string | null;
  withdrawDeselected: boolean;
}

export function useExportWizard() {
  const services = useServices();
  const [step, setStep] = useState<WizardStep>("criteria");
  const [criteria, setCriteria] = useState<Criteria>(emptyCriteria);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [results, setResults] = useState<ContactPerson[]>([]);
  const [capped, setCapped] = useState(false);
  const [noPartner, setNoPartner] = useState(false);
  /** Inactive persons the search found and left out (they cannot be exported). */
  const [inactive, setInactive] = useState(0);
  const [partners, setPartners] = useState<ReadonlyMap<string, BusinessPartner>>(new Map());
  const [exported, setExported] = useState<ReadonlySet<string>>(new Set());
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [settings, setSettings] = useState<UserSettings | null>(null);
  const [choices, setChoices] = useState<ExportChoices>({ folderName: null, withdrawDeselected: true });
  const [plan, setPlan] = useState<ExportPlan | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [summary, setSummary] = useState<ExportSummary | null>(null);
  const controller = useRef<AbortController | null>(null);

  const freshSignal = useCallback(() => {
    controller.current?.abort();
    controller.current = new AbortController();
    return controller.current.signal;
  }, []);

  useEffect(() => () => controller.current?.abort(), []);

  /** Runs a read-only task with busy/error handling; a cancelled task is silent. */
  const guard = useCallback(
    async (task: (signal: AbortSignal) => Promise<void>) => {
      const signal = freshSignal();
      setBusy(true);
      setError(null);
      try {
        await task(signal);
      } catch (caught) {
        const appError = AppError.from(caught);
        if (appError.code !== "cancelled" && !signal.aborted) setError(appError);
      } finally {
        if (!signal.aborted) setBusy(false);
      }
    },
    [freshSignal],
  );

  const search = useCallback(
    () =>
      guard(async (signal) => {
        const [found, linked] = await Promise.all([
          loadPersons(services.crm, criteria, signal),
          services.contacts.listLinkedContacts({ signal }),
        ]);
        const partnerMap = await loadPartners(
          services.crm,
          found.persons.map((p) => p.businessPartnerId),
          signal,
        );
        if (signal.aborted) return;
        const linkedIds = new Set(linked.map((c) => c.link?.crmId).filter((id): id is string => Boolean(id)));
        const exportedHere = new Set(found.persons.filter((p) => linkedIds.has(p.id)).map((p) => p.id));
        setResults(found.persons);
        setCapped(found.capped);
        setNoPartner(found.noPartner);
        setInactive(found.inactive);
        setPartners(partnerMap);
        setExported(exportedHere);
        setSelectedIds(new Set(exportedHere));
        setStep("assign");
      }),
    [guard, services, criteria],
  );

  const left = useMemo(() => results.filter((p) => !selectedIds.has(p.id)), [results, selectedIds]);
  const right = useMemo(() => results.filter((p) => selectedIds.has(p.id)), [results, selectedIds]);

  const moveRight = useCallback((ids: Iterable<string>) => {
    setSelectedIds((current) => new Set([...current, ...ids]));
  }, []);
  const moveLeft = useCallback((ids: Iterable<string>) => {
    const remove = new Set(ids);
    setSelectedIds((current) => new Set([...current].filter((id) => !remove.has(id))));
  }, []);
  const moveAllRight = useCallback(() => setSelectedIds(new Set(results.map((p) => p.id))), [results]);
  const moveAllLeft = useCallback(() => setSelectedIds(new Set()), []);

  /** Previously exported persons the user moved back to the left. */
  const deselectedExported = useMemo(
    () => [...exported].filter((id) => !selectedIds.has(id)),
    [exported, selectedIds],
  );

  const save = useCallback(
    () =>
      guard(async () => {
        const loaded = settings ?? (await loadUserSettings(services.settings, services.config));
        setSettings(loaded);
        setChoices({ folderName: loaded.folderName, withdrawDeselected: loaded.withdrawDeselected });
        setStep("options");
      }),
    [guard, services, settings],
  );

  const preview = useCallback(
    () =>
      guard(async (signal) => {
        const loaded = settings ?? (await loadUserSettings(services.settings, services.config));
        const linked = await services.contacts.listLinkedContacts({ signal });
        if (signal.aborted) return;
        setPlan(
          planExport({
            selected: right.map((person) => ({
              person,
              partner: partners.get(person.businessPartnerId) ?? null,
            })),
            linked,
            deselectedExported,
            options: {
              withdrawDeselected: choices.withdrawDeselected,
              fieldDirections: loaded.fieldDirections,
            },
            now: new Date().toISOString(),
          }),
        );
        setStep("preview");
      }),
    [guard, services, settings, right, partners, deselectedExported, choices],
  );

  const startExport = useCallback(async () => {
    if (!plan || !settings) return;
    const signal = freshSignal();
    setStep("running");
    setError(null);
    setProgress({ phase: "prepare", done: 0, total: plan.steps.length });
    try {
      if (
        choices.folderName !== settings.folderName ||
        choices.withdrawDeselected !== settings.withdrawDeselected
      ) {
        const next = { ...settings, ...choices };
        await saveUserSettings(services.settings, next);
        setSettings(next);
      }
      const result = await runExport(
        plan,
        { crm: services.crm, contacts: services.contacts },
        {
          folderName: choices.folderName,
          fieldDirections: settings.fieldDirections,
          signal,
          onProgress: setProgress,
        },
      );
      setSummary(result);
      // Reconcile the other linked contacts too (DESIGN: sync runs after export and import).
      void syncControllerFor(services).run({ force: true, trigger: "after-export" });
    } catch (caught) {
      setError(AppError.from(caught));
    } finally {
      services.linkEvents.notify();
      setStep("summary");
    }
  }, [plan, settings, choices, freshSignal, services]);

  const cancel = useCallback(() => controller.current?.abort(), []);

  /** Back to step 1 with everything cleared; aborts what is in flight (before export: no writes). */
  const exit = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setBusy(false);
    setError(null);
    setResults([]);
    setSelectedIds(new Set());
    setExported(new Set());
    setPlan(null);
    setProgress(null);
    setSummary(null);
    setCapped(false);
    setNoPartner(false);
    setInactive(0);
    setCriteria(emptyCriteria);
    setStep("criteria");
  }, []);

  const back = useCallback(() => {
    controller.current?.abort();
    setBusy(false);
    setError(null);
    setStep((s) => (s === "preview" ? "options" : s === "options" ? "assign" : "criteria"));
  }, []);

  return {
    step,
    criteria,
    setCriteria,
    busy,
    error,
    results,
    capped,
    noPartner,
    inactive,
    partners,
    exported,
    left,
    right,
    deselectedExported,
    choices,
    setChoices,
    plan,
    progress,
    summary,
    search,
    moveRight,
    moveLeft,
    moveAllRight,
    moveAllLeft,
    save,
    preview,
    startExport,
    cancel,
    exit,
    back,
  };
}

export type ExportWizard = ReturnType<typeof useExportWizard>;
