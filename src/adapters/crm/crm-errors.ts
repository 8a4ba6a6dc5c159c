/**
 * Translates CRM HTTP answers (RFC 9457 problem+json) into `AppError`s.
 *
 * @example
 *   problemToAppError(412, { title: "Precondition failed" }, null).code; // "precondition-failed"
 *   problemToAppError(400, { errors: [{ field: "lastName" }] }, null).field; // "lastName"
 */
import { AppError, type AppErrorCode } from "../../core/errors";
import { problemSchema, type Problem } from "./crm-schemas";

function codeFor(status: number): AppErrorCode {
  if (status === 400) return "validation";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409 || status === 422) return "conflict";
  if (status === 412 || status === 428) return "precondition-failed";
  if (status === 413) return "payload-too-large";
  if (status === 415) return "photo-invalid";
  if (status === 429) return "throttled";
  if (status >= 500) return "server";
  return "unknown";
}

/**
 * Seconds from a Retry-After header (delta-seconds or an HTTP date); undefined when absent/invalid.
 * `now` is injectable for tests.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Parses a problem body leniently (anything not matching yields an empty problem). */
export function parseProblem(body: unknown): Problem {
  const result = problemSchema.safeParse(body);
  return result.success ? result.data : {};
}

export function problemToAppError(status: number, body: unknown, retryAfterHeader: string | null): AppError {
  const problem = parseProblem(body);
  const code = codeFor(status);
  const field = problem.errors?.find((e) => e.field !== undefined)?.field;
  const message = problem.detail ?? problem.title ?? `CRM answered HTTP ${status}`;
  const retryAfterSeconds = parseRetryAfter(retryAfterHeader);
  return new AppError(code, message, {
    status,
    ...(field === undefined ? {} : { field }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    details: {
      ...(problem.type === undefined ? {} : { problemType: problem.type }),
      ...(problem.title === undefined ? {} : { title: problem.title }),
      ...(problem.instance === undefined ? {} : { instance: problem.instance }),
      ...(problem.errors === undefined ? {} : { errors: problem.errors }),
    },
  });
}
