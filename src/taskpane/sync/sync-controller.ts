/**
 * One sync controller per pane (per device-local store): runs `runSync`, keeps the state the
 * views show (running, progress, a plan waiting for the user's confirmation, the log), and lets
 * the "sync on open" hook and the Sync log view share one run. Views subscribe with
 * `useSyncController()` (useSyncExternalStore).
 *
 * @example
 *   const controller = syncControllerFor(services);
 *   await controller.run({ force: true }); // "Sync now"
 *   controller.confirmDeletes();           // after the user confirmed the dialog
 */
import { AppError } from "../../core/errors";
import type { SettingsStore } from "../../core/ports";
import { readSyncLog, type SyncLogEntry, type SyncTrigger } from "../../app/sync-log";
import { runSync, type SyncDeps, type SyncOutcome, type SyncProgress } from "../../app/sync-runner";
import type { SyncDeleteStep } from "../../core/plans/sync-plan";

export interface SyncConfirmation {
  /** Unique per question (a new dialog each time). */
  id: number;
  deletes: SyncDeleteStep[];
  linkedCount: number;
  trigger: SyncTrigger;
}

export interface SyncViewState {
  running: boolean;
  progress: SyncProgress | null;
  /** A run stopped at the mass-delete guard and waits for Confirm/Cancel. */
  confirmation: SyncConfirmation | null;
  /** The last run's failure as a whole (shown in the view). */
  error: AppError | null;
  log: SyncLogEntry[];
  logLoaded: boolean;
}

export interface SyncControllerDeps extends SyncDeps {
  /** Notified after a run that changed links (deletes, unlinks). */
  linkEvents: { notify(): void };
}

export class SyncController {
  private state: SyncViewState = {
    running: false,
    progress: null,
    confirmation: null,
    error: null,
    log: [],
    logLoaded: false,
  };
  private readonly listeners = new Set<() => void>();
  private abort: AbortController | null = null;
  private questions = 0;

  constructor(private readonly deps: SyncControllerDeps) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getState = (): SyncViewState => this.state;

  private set(patch: Partial<SyncViewState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  async reloadLog(): Promise<void> {
    try {
      this.set({ log: await readSyncLog(this.deps.localStore), logLoaded: true });
    } catch (error) {
      this.set({ logLoaded: true, error: AppError.from(error) });
    }
  }

  /** Runs a sync unless one is running. `force` ignores the "once per few minutes" rule. */
  async run(
    options: {
      force?: boolean;
      confirmDeletes?: boolean;
      confirmedContactIds?: string[];
      trigger?: SyncTrigger;
    } = {},
  ): Promise<SyncOutcome | null> {
    if (this.state.running) return null;
    const abort = new AbortController();
    this.abort = abort;
    this.set({ running: true, progress: null, error: null, confirmation: null });
    let outcome: SyncOutcome | null = null;
    let confirmation: SyncConfirmation | null = null;
    const trigger = options.trigger ?? (options.force ? "manual" : "open");
    try {
      outcome = await runSync(this.deps, {
        force: options.force,
        confirmDeletes: options.confirmDeletes,
        confirmedContactIds: options.confirmedContactIds,
        trigger,
        signal: abort.signal,
        onProgress: (progress) => this.set({ progress }),
      });
      if (outcome.status === "needs-confirmation") {
        confirmation = {
          id: ++this.questions,
          deletes: outcome.deletes,
          linkedCount: outcome.linkedCount,
          trigger,
        };
      } else if (outcome.status === "failed") {
        this.set({ error: outcome.error });
      } else if (outcome.status === "done" && outcome.linksChanged) {
        this.deps.linkEvents.notify();
      }
    } catch (error) {
      const appError = AppError.from(error);
      if (appError.code !== "cancelled") this.set({ error: appError });
    } finally {
      this.abort = null;
      await this.reloadLog();
      // One update: the progress goes and the question (if any) comes together.
      this.set({ running: false, progress: null, confirmation });
    }
    return outcome;
  }

  /** Cancels the running sync: no new requests start; what was done is logged. */
  cancel(): void {
    this.abort?.abort();
  }

  /** The user confirmed the deletes of the waiting plan: run again, applying them. */
  async confirmDeletes(): Promise<void> {
    const pending = this.state.confirmation;
    if (!pending) return;
    this.set({ confirmation: null });
    await this.run({
      force: true,
      confirmDeletes: true,
      confirmedContactIds: pending.deletes.map((step) => step.contactId),
      trigger: pending.trigger,
    });
  }

  /** The user declined: nothing is applied (the next run asks again). */
  dismissConfirmation(): void {
    this.set({ confirmation: null });
  }
}

const controllers = new WeakMap<SettingsStore, SyncController>();

/** The pane's controller for these services (one per device-local store). */
export function syncControllerFor(deps: SyncControllerDeps): SyncController {
  let controller = controllers.get(deps.localStore);
  if (!controller) {
    controller = new SyncController(deps);
    controllers.set(deps.localStore, controller);
  }
  return controller;
}
