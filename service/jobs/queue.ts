/**
 * The job queue on pg-boss: one queue `mailbox-sync`, policy "short" (at most one queued job per
 * mailbox: a second "Sync now" or a round while one waits is dropped, not doubled), retries with
 * exponential backoff, and an expiry after which an active job whose worker died is retried by
 * another worker. That only one worker runs a mailbox at a time is ensured by the mailbox lock
 * (mailbox-job.ts), since pg-boss's "short" policy limits queued jobs, not active ones.
 *
 * @example
 *   const boss = await startQueue(config, log);
 *   await queueMailbox(boss, "3f2c…", "manual");
 */
import PgBossModule from "pg-boss";
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

export async function startQueue(config: ServiceConfig, log: Logger): Promise<Boss> {
  const boss = new PgBoss({
    connectionString: config.databaseUrl,
    schema: "pgboss",
    max: 4,
    maintenanceIntervalSeconds: config.maintenanceSeconds,
    monitorStateIntervalSeconds: Math.max(10, config.maintenanceSeconds),
    application_name: "crm-sync-queue",
  });
  boss.on("error", (error: Error) => log.error("queue error", { error: error.message }));
  await boss.start();
  await boss.createQueue(QUEUE, {
    name: QUEUE,
    policy: "short",
    retryLimit: 5,
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: config.jobExpirySeconds,
  });
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
