/**
 * One worker process of the sync service: the pool, the migrations, the queue, the scheduler
 * tick, `jobsPerWorker` job loops and (when `apiPort` is set) the API with the admin view.
 * Any number of these share one database; adding one adds capacity as adding a machine would.
 *
 * @example
 *   const service = await startSyncService(loadServiceConfig(process.env));
 *   await service.stop();
 */
import { hostname } from "node:os";
import pg from "pg";
import type { FetchOptions } from "@microsoft/microsoft-graph-client";
import { createCrmClient } from "../src/adapters/crm/crm-client";
import { AppError } from "../src/core/errors";
import type { CrmClient } from "../src/core/ports";
import { appConfigFor, type ServiceConfig } from "./config";
import { migrate } from "./db/migrations";
import { createAppTokenProvider } from "./auth/app-token-provider";
import { createLogger, type Logger } from "./logger";
import { refreshDueGroups, type ReadGroupMembers } from "./db/groups";
import { listGroupUsers } from "./graph/group-members";
import { runMailboxJob } from "./jobs/mailbox-job";
import { queueMailbox, QUEUE, startQueue, type Boss, type MailboxJobData } from "./jobs/queue";
import { pruneOldRows, scheduleDue } from "./jobs/scheduler";
import { startApi, type ApiHandle } from "./api/server";

export interface SyncServiceOptions {
  /** Extra fetch options for Graph (tests: a dispatcher trusting the emulator's certificate). */
  graphFetchOptions?: FetchOptions;
  /** Run the scheduler tick and job loops (default true; false = API only). */
  work?: boolean;
  log?: Logger;
  /** Counts CRM requests (bench). */
  onCrmRequest?: () => void;
}

export interface SyncServiceHandle {
  pool: pg.Pool;
  boss: Boss;
  worker: string;
  api: ApiHandle | null;
  crm: CrmClient;
  stop(): Promise<void>;
}

export async function startSyncService(
  config: ServiceConfig,
  options: SyncServiceOptions = {},
): Promise<SyncServiceHandle> {
  const worker = config.workerName ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? createLogger(worker);
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: config.jobsPerWorker * 2 + 4,
    application_name: `crm-sync ${worker}`,
  });
  pool.on("error", (error) => log.error("database connection lost", { error: error.message }));
  await migrate(pool);
  const boss = await startQueue(config, log, pool);
  const tokens = createAppTokenProvider(config);
  const crm = createCrmClient({
    baseUrl: config.crmBaseUrl,
    tokens,
    onRequest: options.onCrmRequest ? () => options.onCrmRequest?.() : undefined,
  });
  const appConfig = appConfigFor(config);
  const intervalMs = config.intervalMinutes * 60_000;
  const deps = { pool, config, appConfig, crm, tokens, log, worker, fetchOptions: options.graphFetchOptions };
  const readGroup: ReadGroupMembers = (groupId) =>
    listGroupUsers(
      { baseUrl: config.graphBaseUrl, tokens, fetchOptions: options.graphFetchOptions },
      groupId,
    );

  const timers: NodeJS.Timeout[] = [];
  let stopping = false;
  if (options.work !== false) {
    const tickMs = Math.min(10_000, Math.max(250, intervalMs / 20));
    let ticking = false;
    const tick = async (): Promise<void> => {
      if (ticking || stopping) return;
      ticking = true;
      try {
        await refreshDueGroups(pool, readGroup, intervalMs, config.groupRefreshMinutes * 60_000);
        await scheduleDue(pool, boss, intervalMs);
      } catch (error) {
        log.error("scheduler tick failed", { error: AppError.from(error).message });
      } finally {
        ticking = false;
      }
    };
    timers.push(setInterval(() => void tick(), tickMs));
    const prune = (): void =>
      void pruneOldRows(pool, config.graphQuotaWindowSeconds).catch((error: unknown) =>
        log.warn("pruning old rows failed", { error: AppError.from(error).message }),
      );
    timers.push(setInterval(prune, 10 * 60_000));
    void tick();
    for (let i = 0; i < config.jobsPerWorker; i++) {
      await boss.work<MailboxJobData>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (!job) return null;
        const outcome = await runMailboxJob(
          deps,
          job.data.mailboxId,
          job.data.trigger,
          job.id,
          job.data.slot,
        );
        if (outcome === "busy")
          await queueMailbox(boss, job.data.mailboxId, "retry", {
            startAfterSeconds: 5,
            slot: job.data.slot,
          });
        return { outcome, worker };
      });
    }
  }
  const api =
    config.apiPort !== undefined ? await startApi({ config, pool, boss, log, intervalMs, readGroup }) : null;
  log.info("sync service started", { jobsPerWorker: config.jobsPerWorker, api: api?.url ?? null });

  return {
    pool,
    boss,
    worker,
    api,
    crm,
    async stop() {
      stopping = true;
      for (const t of timers) clearInterval(t);
      await api?.close();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await pool.end();
    },
  };
}
