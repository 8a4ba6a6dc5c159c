/**
 * State of the Import contact persons view: loads the unlinked Outlook contacts, their duplicate
 * status (bulk lookups, then local re-classification) and pre-assigned partners; keeps the user's
 * choices per row; runs the import / link-to-existing with progress and Cancel. Re-reads the
 * mailbox whenever links change (`linkEvents`), keeping the choices of rows that are still there.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { computeDuplicates, DuplicateIndex } from "../../app/duplicate-index";
import {
  loadImportCandidates,
  PartnerSearchCache,
  preassignPartners,
  runImport,
  type ImportProgress,
  type ImportSummary,
} from "../../app/import-runner";
import { loadUserSettings } from "../../app/user-settings-service";
import { AppError } from "../../core/errors";
import { activeFields, type MappedField } from "../../core/mapping";
import type { BusinessPartner } from "../../core/model";
import { applyImportEdits, type ImportField, type SkipReason } from "../../core/plans/import-plan";
import { useServices } from "../services";
import { syncControllerFor } from "../sync/sync-controller";
import { deriveRow, planFromRows, skippedChoices, type ImportRow, type RowChoice } from "./import-rows";

export type ImportPhase = "loading" | "ready" | "error" | "running";

export interface ImportResult extends ImportSummary {
  kind: "import" | "link";
  /** Ticked rows the plan skipped anyway, with the reason. */
  skipped: { name: string; reason: SkipReason }[];
}

export function useImport() {
  const services = useServices();
  const { crm, contacts, settings, config, linkEvents } = services;
  const [phase, setPhase] = useState<ImportPhase>("loading");
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [runError, setRunError] = useState<AppError | null>(null);
  const [choices, setChoices] = useState<Record<string, RowChoice>>({});
  const [order, setOrder] = useState<string[]>([]);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [region, setRegion] = useState(config.defaultPhoneRegion);
  const fieldsRef = useRef<MappedField[] | undefined>(undefined);
  const indexRef = useRef<DuplicateIndex | null>(null);
  const cacheRef = useRef(new PartnerSearchCache(crm));
  const choicesRef = useRef(choices);
  choicesRef.current = choices;
  const abortRef = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    try {
      const userSettings = await loadUserSettings(settings, config);
      fieldsRef.current = activeFields(userSettings.fieldDirections);
      const defaultRegion = userSettings.defaultPhoneRegion;
      setRegion(defaultRegion);
      const candidates = await loadImportCandidates(contacts);
      const previous = choicesRef.current;
      if (indexRef.current?.defaultRegion !== defaultRegion)
        indexRef.current = new DuplicateIndex(crm, defaultRegion);
      const index = indexRef.current;
      const contactsNow = candidates.map((c) => applyImportEdits(c, previous[c.id]?.edits).contact);
      const assignments = Object.fromEntries(
        candidates.map((c) => [c.id, previous[c.id]?.partner?.id ?? null]),
      );
      const { results } = await computeDuplicates(crm, contactsNow, assignments, defaultRegion, { index });
      const fresh = candidates.filter((c) => !previous[c.id] && results[c.id]?.status !== "certain");
      const preassigned = await preassignPartners(cacheRef.current, fresh);
      // Merged into the choices as they are now: the user may have changed rows meanwhile.
      setChoices((current) => {
        const next: Record<string, RowChoice> = {};
        for (const contact of candidates) {
          const before = current[contact.id];
          const partner = before ? before.partner : (preassigned[contact.id] ?? null);
          const edits = before?.edits ?? {};
          const duplicate = index.classify(applyImportEdits(contact, edits).contact, partner?.id);
          next[contact.id] = {
            contact,
            edits,
            partner,
            partnerSource: before ? before.partnerSource : partner ? "preassigned" : null,
            duplicate,
            reviewed: before?.reviewed ?? false,
            // An import an earlier run left unfinished starts ticked: "Import" finishes it.
            selected: before?.selected ?? duplicate.resumeId !== undefined,
          };
        }
        return next;
      });
      setOrder(candidates.map((c) => c.id));
      setLoadError(null);
      setPhase((p) => (p === "running" ? p : "ready"));
    } catch (error) {
      setLoadError(AppError.from(error));
      setPhase((p) => (p === "running" ? p : "error"));
    }
  }, [contacts, crm, settings, config]);

  useEffect(() => {
    void load();
    return linkEvents.subscribe(() => void load());
  }, [load, linkEvents]);

  // Leaving the view cancels a running import (persons created in the current round are still linked).
  useEffect(() => () => abortRef.current?.abort(), []);

  // Derived rows are cached per choice object: a change to one row re-derives only that row, so
  // lists of thousands stay fast (validation parses phone numbers).
  const derived = useMemo(() => ({ region, cache: new WeakMap<RowChoice, ImportRow>() }), [region]);
  const rows: ImportRow[] = useMemo(
    () =>
      order.flatMap((id) => {
        const choice = choices[id];
        if (!choice) return [];
        let row = derived.cache.get(choice);
        if (!row) {
          row = deriveRow(choice, derived.region);
          derived.cache.set(choice, row);
        }
        return [row];
      }),
    [order, choices, derived],
  );

  const update = useCallback((id: string, patch: Partial<RowChoice>) => {
    setChoices((all) => {
      const current = all[id];
      return current ? { ...all, [id]: { ...current, ...patch } } : all;
    });
  }, []);

  /** Re-classifies one row locally after its partner or data changed (fetching what is new). */
  const reclassify = useCallback(
    async (id: string, partner: BusinessPartner | null, edits: RowChoice["edits"]) => {
      const index = indexRef.current;
      const choice = choicesRef.current[id];
      if (!index || !choice) return;
      update(id, { duplicate: undefined });
      try {
        const edited = applyImportEdits(choice.contact, edits).contact;
        await index.ensure([edited]);
        if (partner) await index.ensurePartner(partner.id);
        update(id, { duplicate: index.classify(edited, partner?.id) });
      } catch (error) {
        update(id, { duplicate: choice.duplicate });
        setLoadError(AppError.from(error));
      }
    },
    [update],
  );

  const setPartner = useCallback(
    (id: string, partner: BusinessPartner | null) => {
      const choice = choicesRef.current[id];
      update(id, { partner, partnerSource: partner ? "user" : null });
      void reclassify(id, partner, choice?.edits ?? {});
    },
    [update, reclassify],
  );

  const setEdit = useCallback(
    (id: string, field: ImportField, value: string) => {
      const choice = choicesRef.current[id];
      if (!choice) return;
      const edits = { ...choice.edits, [field]: value };
      update(id, { edits });
      void reclassify(id, choice.partner, edits);
    },
    [update, reclassify],
  );

  const markReviewed = useCallback((id: string) => update(id, { reviewed: true }), [update]);
  const toggle = useCallback((id: string, selected: boolean) => update(id, { selected }), [update]);

  const selectMany = useCallback((ids: readonly string[], selected: boolean) => {
    setChoices((all) => {
      const next = { ...all };
      for (const id of ids) {
        const current = next[id];
        if (current) next[id] = { ...current, selected };
      }
      return next;
    });
  }, []);

  const run = useCallback(
    async (kind: ImportResult["kind"], links: Record<string, string>) => {
      const plan = planFromRows(rows, region, kind === "import", links);
      const partners = new Map(rows.flatMap((r) => (r.partner ? [[r.partner.id, r.partner] as const] : [])));
      const controller = new AbortController();
      abortRef.current = controller;
      setPhase("running");
      setResult(null);
      setRunError(null);
      setProgress({ done: 0, total: plan.counts.import + plan.counts.link });
      try {
        const summary = await runImport(
          plan,
          { crm, contacts, partners, ...(fieldsRef.current ? { fields: fieldsRef.current } : {}) },
          { signal: controller.signal, onProgress: setProgress },
        );
        const done = new Set(Object.keys(summary.crmIds));
        setOrder((ids) => ids.filter((id) => !done.has(id)));
        setResult({ ...summary, kind, skipped: skippedChoices(plan, rows, links) });
        // The CRM changed (new persons, maybe some not linked back): the next check asks afresh,
        // so a contact whose write-back failed is recognised as created by this run.
        indexRef.current = null;
        if (done.size === 0 && summary.failed.length > 0) void load();
        if (done.size > 0) {
          linkEvents.notify();
          // Reconcile the other linked contacts too (DESIGN: sync runs after export and import).
          void syncControllerFor(services).run({ force: true, trigger: "after-import" });
        }
      } catch (error) {
        setRunError(AppError.from(error)); // runImport reports per contact; this is the unexpected rest
      } finally {
        setProgress(null);
        setPhase("ready");
        abortRef.current = null;
      }
    },
    [rows, region, crm, contacts, linkEvents, services, load],
  );

  const importSelected = useCallback(() => run("import", {}), [run]);
  const linkExisting = useCallback((id: string, crmId: string) => run("link", { [id]: crmId }), [run]);
  const cancel = useCallback(() => abortRef.current?.abort(), []);
  const dismissResult = useCallback(() => setResult(null), []);

  return {
    phase,
    loadError,
    runError,
    rows,
    progress,
    result,
    index: indexRef.current,
    reload: load,
    setPartner,
    setEdit,
    markReviewed,
    toggle,
    selectMany,
    importSelected,
    linkExisting,
    cancel,
    dismissResult,
  };
}

export type ImportState = ReturnType<typeof useImport>;
