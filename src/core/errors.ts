/**
 * The one error type of the add-in. Adapters translate HTTP, SDK and Office failures into an
 * `AppError` with a code from `AppErrorCode`; the UI shows a translated message per code
 * (`errors.<code>` in the locale files). Never throw strings or bare `Error`s across layers.
 *
 * @example
 *   throw new AppError("precondition-failed", "Contact person changed meanwhile", { status: 412 });
 */
export type AppErrorCode =
  | "network" // no connection, DNS, reset
  | "timeout"
  | "cancelled" // AbortSignal fired / user pressed Cancel
  | "unauthorized" // 401
  | "forbidden" // 403
  | "not-found" // 404
  | "conflict" // 409 (e.g. idempotency key reused with another body)
  | "precondition-failed" // 412 stale If-Match
  | "validation" // 400/422, `field` names the offending field when known
  | "payload-too-large" // 413
  | "throttled" // 429 after retries were exhausted
  | "server" // 5xx after retries were exhausted
  | "bad-response" // a response that does not match the expected schema
  | "resync-required" // Graph delta token expired (410)
  | "config-invalid" // deployment config missing/invalid
  | "office-unsupported" // requirement set missing
  | "interaction-required" // sign-in needs the user
  | "popup-blocked"
  | "sign-in-failed"
  | "sign-in-cancelled" // the user closed the sign-in window: not a failure, offer to sign in again
  | "photo-too-large"
  | "photo-invalid"
  | "certain-duplicate" // import refused: a certain duplicate exists
  | "already-linked" // link refused: the CRM person already has a linked Outlook contact
  | "mass-delete-guard" // run stopped until the user confirms deletes
  | "unknown";

export interface AppErrorOptions {
  /** HTTP status when the error came from an HTTP response. */
  status?: number;
  /** The offending input field for validation errors (e.g. "lastName"). */
  field?: string;
  /** Whether retrying the same request may succeed (throttling, 5xx, network). */
  retryable?: boolean;
  /** Seconds to wait before retrying, from Retry-After. */
  retryAfterSeconds?: number;
  /** Extra, non-secret details for logs and the error area (never tokens). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  "network",
  "timeout",
  "throttled",
  "server",
]);

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number | undefined;
  readonly field: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = options.status;
    this.field = options.field;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  static is(value: unknown, code?: AppErrorCode): value is AppError {
    return value instanceof AppError && (code === undefined || value.code === code);
  }

  /** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
  static from(value: unknown, fallback: AppErrorCode = "unknown"): AppError {
    if (value instanceof AppError) return value;
    if (value instanceof Error) {
      if (value.name === "AbortError") return new AppError("cancelled", value.message, { cause: value });
      return new AppError(fallback, value.message, { cause: value });
    }
    return new AppError(fallback, String(value));
  }
}

/** Outcome of one item of a bulk operation: bulk calls never throw for a single item. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };
