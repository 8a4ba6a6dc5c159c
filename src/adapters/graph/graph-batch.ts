/**
 * The `$batch` engine of the Graph contact store: runs single-request ops in batches of up to 20
 * through the mailbox limiter, re-sends members answered 429/503/504 after their own Retry-After,
 * resolves ops whose outcome is unknown before sending them again, and adapts the batch size to
 * tenants that throttle members 5-20 of a batch (FIDELITY 15). See graph-contact-store.ts.
 *
 * @example
 *   const runOps = createBatchRunner({ client, limiter, batchSize: 20, maxAttempts: 10 });
 *   const [r] = await runOps([{ index: 0, attempts: 0, notBefore: 0, uncertain: false, member, onSuccess }]);
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { AppError, type Result } from "../../core/errors";
import type { BulkOptions } from "../../core/ports";
import {
  appErrorFromStatus,
  IMMUTABLE_ID_PREFER,
  noRetry,
  parseRetryAfter,
  toAppError,
  type Limiter,
} from "./graph-client";

const batchReplySchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

const errorBodySchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
});

export interface Member {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

type Outcome<T> =
  | { kind: "done"; result: Result<T> }
  | { kind: "retry"; afterSeconds: number; error: AppError }
  | { kind: "unknown"; error: AppError };

export interface Op<T> {
  index: number;
  attempts: number;
  notBefore: number;
  /** A previous attempt's outcome is unknown (it may have been executed). */
  uncertain: boolean;
  member: Member;
  onSuccess(status: number, body: unknown): Result<T>;
  /** Whether this failed status means "maybe executed" (re-check before re-sending). */
  unknownOn?: (status: number) => boolean;
  /** Resolves an uncertain op before re-sending: a final result, or null to send again. */
  resolveUnknown?: () => Promise<Result<T> | null>;
  /** A final result for a failure status (e.g. 404 of a delete that may have succeeded). */
  onFailure?: (status: number, uncertain: boolean) => Result<T> | null;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function memberError(status: number, body: unknown, headers: Record<string, string> | undefined): AppError {
  const parsed = errorBodySchema.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  const message = parsed.success ? parsed.data.error.message : undefined;
  return appErrorFromStatus(status, code, message, parseRetryAfter(header(headers, "Retry-After")));
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(error: AppError): Result<T> {
  return { ok: false, error };
}

export interface BatchRunnerOptions {
  client: Client;
  limiter: Limiter;
  /** Members per `$batch` (at most 20). */
  batchSize: number;
  /** Attempts per item before it fails. */
  maxAttempts: number;
}

export type RunOps = <T>(ops: Op<T>[], opts?: BulkOptions, progress?: boolean) => Promise<Result<T>[]>;

/** The batch runner of one store (one limiter = one mailbox). */
export function createBatchRunner({ client, limiter, batchSize, maxAttempts }: BatchRunnerOptions): RunOps {
  /** Runs single-request ops in `$batch`es; see the file header for the retry rules. */
  return async function runOps<T>(ops: Op<T>[], opts?: BulkOptions, progress = true): Promise<Result<T>[]> {
    const results: (Result<T> | undefined)[] = new Array<Result<T> | undefined>(ops.length);
    let done = 0;
    const finish = (op: Op<T>, r: Result<T>): void => {
      results[op.index] = r;
      done++;
      if (progress) opts?.onProgress?.(done, ops.length);
    };
    let queue = [...ops];
    /**
     * Members per batch: shrinks to what the mailbox ran when it throttled the rest of a batch
     * (older tenants answer members 5-20 with 429, FIDELITY 15) and grows back after clean batches.
     */
    let limit = batchSize;
    let cleanBatches = 0;
    const requeue = (op: Op<T>, afterSeconds: number, error: AppError, counts = true): void => {
      if (counts) op.attempts++;
      if (op.attempts >= maxAttempts) finish(op, fail(error));
      else {
        op.notBefore = Date.now() + afterSeconds * 1000;
        queue.push(op);
      }
    };
    const apply = (op: Op<T>, outcome: Outcome<T>, counts = true): void => {
      if (outcome.kind === "done") finish(op, outcome.result);
      else if (outcome.kind === "retry") requeue(op, outcome.afterSeconds, outcome.error, counts);
      else {
        op.uncertain = true;
        requeue(op, 0.2, outcome.error);
      }
    };
    while (queue.length > 0) {
      if (opts?.signal?.aborted) {
        for (const op of queue) finish(op, fail(new AppError("cancelled", "The operation was cancelled.")));
        break;
      }
      const now = Date.now();
      const ready = queue.filter((o) => o.notBefore <= now).slice(0, limit);
      if (ready.length === 0) {
        await sleep(Math.min(...queue.map((o) => o.notBefore)) - now);
        continue;
      }
      queue = queue.filter((o) => !ready.includes(o));
      // Uncertain ops: look them up before sending them again.
      const toSend: Op<T>[] = [];
      for (const op of ready) {
        if (!op.uncertain || !op.resolveUnknown) {
          toSend.push(op);
          continue;
        }
        try {
          const r = await op.resolveUnknown();
          if (r) finish(op, r);
          else {
            op.uncertain = false;
            toSend.push(op);
          }
        } catch (e) {
          const err = toAppError(e);
          requeue(op, err.retryAfterSeconds ?? 0.5, err);
        }
      }
      if (toSend.length === 0) continue;
      const requests = toSend.map((op, i) => ({
        id: String(i + 1),
        ...op.member,
        headers: { ...op.member.headers, Prefer: IMMUTABLE_ID_PREFER },
      }));
      let reply: unknown;
      try {
        reply = await limiter.run(
          requests.length,
          () => client.api("/$batch").middlewareOptions(noRetry()).post({ requests }) as Promise<unknown>,
        );
      } catch (e) {
        const err = toAppError(e);
        for (const op of toSend) {
          if (err.status === 429 || err.status === 503)
            apply(op, { kind: "retry", afterSeconds: err.retryAfterSeconds ?? 1, error: err });
          else if (err.code === "network" || err.code === "server")
            apply(op, { kind: "unknown", error: err });
          else finish(op, fail(err));
        }
        continue;
      }
      const parsed = batchReplySchema.safeParse(reply);
      if (!parsed.success) {
        const err = new AppError("bad-response", "Unexpected $batch reply.", { cause: parsed.error });
        for (const op of toSend) apply(op, { kind: "unknown", error: err });
        continue;
      }
      const answered = new Set<Op<T>>();
      // Members the mailbox ran (not throttled): while it runs some, a throttled member is not an
      // attempt against the retry cap (no item fails at the cap while the mailbox answers).
      const ran = parsed.data.responses.filter((r) => r.status !== 429).length;
      const throttled = parsed.data.responses.length - ran;
      if (throttled > 0 && ran > 0) {
        limit = Math.max(1, Math.min(limit, ran));
        cleanBatches = 0;
      } else if (throttled === 0 && limit < batchSize && ++cleanBatches >= 5) {
        limit = Math.min(batchSize, limit * 2);
        cleanBatches = 0;
      }
      for (const r of parsed.data.responses) {
        const op = toSend[Number(r.id) - 1];
        if (!op || answered.has(op)) continue;
        answered.add(op);
        if (r.status >= 200 && r.status < 300) {
          try {
            finish(op, op.onSuccess(r.status, r.body ?? null));
          } catch (e) {
            finish(op, fail(toAppError(e)));
          }
          continue;
        }
        const err = memberError(r.status, r.body, r.headers);
        const final = op.onFailure?.(r.status, op.uncertain);
        if (final) finish(op, final);
        else if (op.unknownOn?.(r.status)) apply(op, { kind: "unknown", error: err });
        else if (r.status === 429 || r.status === 503 || r.status === 504)
          apply(
            op,
            { kind: "retry", afterSeconds: err.retryAfterSeconds ?? 1, error: err },
            !(r.status === 429 && ran > 0),
          );
        else finish(op, fail(err));
      }
      for (const op of toSend) {
        if (!answered.has(op))
          apply(op, {
            kind: "unknown",
            error: new AppError("bad-response", "The $batch reply lacks a response."),
          });
      }
    }
    return results.map((r) => r ?? fail(new AppError("unknown", "No result.")));
  };
}
