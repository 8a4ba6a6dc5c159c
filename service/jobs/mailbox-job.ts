/**
 * One job = one sync of one mailbox, with the same runner as the pane (`runSync` from src/app)
 * over the same ports: the Graph adapter on `/users/{id}` with an app-only token, the CRM client
 * with the service token, and the PostgreSQL stores for settings, cache and log.
 *
 * - Only one worker runs a mailbox at a time: a session-level advisory lock on its own
 *   connection. A worker killed mid-job drops its connection, so PostgreSQL frees the lock at
 *   once; pg-boss retries the job after its expiry on another worker. A job that finds the lock
 *   taken re-queues itself a little later.
 * - The run is aborted shortly before the job's expiry, so an overrunning job stops writing.
 * - Outcomes: done; token or permission failure (401/403) -> parked with its reason and retried
 *   slowly (parkRetryMinutes, doubling to 24 h); throttled -> next run after Retry-After;
 *   other failures (CRM/Graph down) -> thrown, so pg-boss retries with backoff.
 */
import type { Pool } from "pg";
import type { FetchOptions } from "@microsoft/microsoft-graph-client";
import { runSync } from "../../src/app/sync-runner";
import type { AppConfig } from "../../src/core/config";
import { AppError } from "../../src/core/errors";
import type { CrmClient, TokenProvider } from "../../src/core/ports";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { createPgSettingsStore } from "../db/pg-settings-store";
import { getMailbox, recordRunResult, type RunResult } from "../db/mailboxes";
import { createSharedLimiter } from "../graph/shared-limiter";
import type { ServiceConfig } from "../config";
import type { Logger } from "../logger";
import type { JobTrigger } from "./queue";
import { reconcileOutlookWishes } from "./outlook-wishes";

export interface MailboxJobDeps {
  pool: Pool;
  config: ServiceConfig;
  appConfig: AppConfig;
  crm: CrmClient;
  tokens: TokenProvider;
  log: Logger;
  worker: string;
  fetchOptions?: FetchOptions;
}

export type JobOutcome = RunResult["status"] | "busy" | "inactive";

const PARK_CODES = new Set(["unauthorized", "forbidden", "sign-in-failed", "interaction-required"]);
const MAX_PARK_MS = 24 * 60 * 60 * 1000;

/** The wait before a parked mailbox is tried again: parkRetryMinutes, doubling per failure, at most 24 h. */
export function parkDelayMs(config: ServiceConfig, consecutiveFailures: number): number {
  const base = config.parkRetryMinutes * 60_000;
  return Math.min(MAX_PARK_MS, base * 2 ** Math.min(16, Math.max(0, consecutiveFailures)));
}

/** Runs one mailbox; resolves with the outcome, rejects (-> pg-boss retry) on transient failures. */
export async function runMailboxJob(
  deps: MailboxJobDeps,
  mailboxId: string,
  trigger: JobTrigger,
  jobId: string | null,
  slot?: number,
): Promise<JobOutcome> {
  const { pool, log } = deps;
  const lock = await pool.connect();
  let locked = false;
  let runId: string | null = null;
  try {
    const got = await lock.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext('mailbox:' || $1)) AS ok",
      [mailboxId],
    );
    locked = got.rows[0]?.ok === true;
    if (!locked) return "busy";
    const mailbox = await getMailbox(pool, mailboxId);
    if (!mailbox || !mailbox.active) return "inactive";
    const started = await pool.query<{ id: string }>(
      `INSERT INTO sync_run (mailbox_id, job_id, worker, trigger, slot)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::bigint IS NULL THEN NULL ELSE to_timestamp($5::bigint / 1000.0) END) RETURNING id`,
      [mailboxId, jobId, deps.worker, trigger, slot ?? null],
    );
    runId = started.rows[0].id;
    await pool.query("UPDATE sync_mailbox SET last_started_at = now() WHERE mailbox_id = $1", [mailboxId]);

    const contacts = createGraphContactStore({
      toJpeg,
      baseUrl: deps.config.graphBaseUrl,
      tokens: deps.tokens,
      mailboxPath: `/users/${encodeURIComponent(mailboxId)}`,
      limiter: createSharedLimiter({
        pool,
        mailboxId,
        quota: deps.config.graphQuota,
        windowSeconds: deps.config.graphQuotaWindowSeconds,
      }),
      fetchOptions: deps.fetchOptions,
    });
    const settings = createPgSettingsStore(pool, mailboxId, "settings");
    const localStore = createPgSettingsStore(pool, mailboxId, "local");
    const signal = AbortSignal.timeout(Math.max(1000, deps.config.jobExpirySeconds * 1000 - 2000));

    const outcome = await runSync(
      { config: deps.appConfig, crm: deps.crm, contacts, settings, localStore },
      { force: true, trigger: "service", signal },
    );
    let result: RunResult;
    if (outcome.status === "done") {
      // The CRM-side switch: persons this user wants in (or out of) Outlook.
      const wishes = await reconcileOutlookWishes({
        crm: deps.crm,
        contacts,
        settings,
        appConfig: deps.appConfig,
        mailbox,
        signal,
      });
      const counts = { ...outcome.entry.counts, exported: wishes.exported, withdrawn: wishes.withdrawn };
      result = wishes.error ? { status: "failed", counts, error: wishes.error } : { status: "done", counts };
    } else if (outcome.status === "needs-confirmation") {
      result = {
        status: "needs-confirmation",
        error: {
          code: "mass-delete-guard",
          message: `${outcome.deletes.length} deletions wait for the user's confirmation in the pane.`,
        },
      };
    } else if (outcome.status === "failed") {
      const error = outcome.error;
      const summary = { code: error.code, message: error.message };
      if (PARK_CODES.has(error.code)) {
        result = {
          status: "parked",
          error: summary,
          parkedReason: `${error.code}${error.status ? ` (${error.status})` : ""}: ${error.message}`,
          notBefore: new Date(Date.now() + parkDelayMs(deps.config, mailbox.consecutiveFailures)),
        };
      } else if (error.code === "throttled") {
        const wait = (error.retryAfterSeconds ?? 60) * 1000;
        result = { status: "failed", error: summary, notBefore: new Date(Date.now() + wait) };
      } else {
        await recordRunResult(pool, mailboxId, { status: "failed", error: summary });
        await finishRun(pool, runId, "failed");
        runId = null;
        throw error; // transient: pg-boss retries with backoff
      }
    } else {
      result = { status: "done" };
    }
    await recordRunResult(pool, mailboxId, result);
    await finishRun(pool, runId, result.status);
    runId = null;
    log.info("mailbox run finished", {
      mailboxId,
      status: result.status,
      counts: result.counts,
      error: result.error,
    });
    return result.status;
  } catch (error) {
    const appError = AppError.from(error);
    if (runId !== null) await finishRun(pool, runId, "error").catch(() => undefined);
    log.warn("mailbox run failed", { mailboxId, code: appError.code, error: appError.message });
    throw appError;
  } finally {
    if (locked)
      await lock
        .query("SELECT pg_advisory_unlock(hashtext('mailbox:' || $1))", [mailboxId])
        .catch(() => undefined);
    lock.release();
  }
}

async function finishRun(pool: Pool, runId: string | null, status: string): Promise<void> {
  if (runId === null) return;
  await pool.query("UPDATE sync_run SET finished_at = clock_timestamp(), status = $2 WHERE id = $1", [
    runId,
    status,
  ]);
}
