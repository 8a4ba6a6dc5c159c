/**
 * The job queue on pg-boss: one queue `mailbox-sync`, policy "short" (at most one queued job per
 * mailbox: a second "Sync now" or a round while one waits is dropped, not doubled), retries with
 * exponential backoff, and an expiry after which an active job whose worker died is retried by
 * another worker. That only one worker runs a mailbox at a time is ensured by the mailbox lock
 * (mailbox-job.ts), since pg-boss's "short" policy limits queued jobs, not active ones.
 *
 * @example
 *   const boss = await startQueue(config, log, pool);
 *   await queueMailbox(boss, "3f2c…", "manual");
 */
import PgBossModule from "pg-boss";
import type { Pool } from "pg";
import type { ServiceConfig } from "../config";
import type { Logger } from "../logger";

// pg-boss 10 is CommonJS; its class is the module itself and also its `PgBoss` property.
const PgBoss = ((PgBossModule as unknown as { PgBoss?: typeof PgBossModule }).PgBoss ??
  PgBossModule) as typeof PgBossModule;
export type Boss = InstanceType<typeof PgBossModule>;

export const QUEUE = "mailbox-sync";

export type JobTrigger = "schedule" | "manual" | "enrolled" | "retry";

export interface MailboxJobData {
  mailboxId: string;
  trigger: JobTrigger;
  /** Scheduled runs: the slot (ms since epoch) this run is for. */
  slot?: number;
}

/**
 * Starts pg-boss and declares the queue. Workers starting at the same moment on a fresh database
 * deadlocked in pg-boss's schema and queue creation ("deadlock detected", 40P01; the same race as
 * timgit/pg-boss#133 and supabase/storage#703): one worker died at start and the other did all the
 * work. So set-up runs under a cluster-wide advisory lock, one process after the other, and the
 * queue is created only when missing (else its policy is updated to this config's).
 */
export async function startQueue(config: ServiceConfig, log: Logger, pool: Pool): Promise<Boss> {
  const boss = new PgBoss({
    connectionString: config.databaseUrl,
    schema: "pgboss",
    max: 4,
    maintenanceIntervalSeconds: config.maintenanceSeconds,
    monitorStateIntervalSeconds: Math.max(10, config.maintenanceSeconds),
    application_name: "crm-sync-queue",
  });
  boss.on("error", (error: Error) => log.error("queue error", { error: error.message }));
  const policy = {
    policy: "short" as const,
    retryLimit: 5,
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: config.jobExpirySeconds,
  };
  const lock = await pool.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('crm-sync-queue-setup'))");
    await boss.start();
    if (await boss.getQueue(QUEUE)) await boss.updateQueue(QUEUE, { name: QUEUE, ...policy });
    else await boss.createQueue(QUEUE, { name: QUEUE, ...policy });
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('crm-sync-queue-setup'))").catch(() => undefined);
    lock.release();
  }
  return boss;
}

/** Queues one run of a mailbox (dropped when one is already queued). Returns the job id or null. */
export function queueMailbox(
  boss: Boss,
  mailboxId: string,
  trigger: JobTrigger,
  options: {
    startAfterSeconds?: number;
    slot?: number;
    db?: { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
  } = {},
): Promise<string | null> {
  const data: MailboxJobData = {
    mailboxId,
    trigger,
    ...(options.slot === undefined ? {} : { slot: options.slot }),
  };
  return boss.send(QUEUE, data, {
    singletonKey: mailboxId,
    priority: trigger === "manual" || trigger === "enrolled" ? 10 : 0,
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    // pg-boss's Db type takes any[] values; ours is the same function.
    ...(options.db ? { db: options.db as never } : {}),
  });
}
