/**
 * The one Microsoft Graph client factory of the add-in (auth + retry middleware on
 * @microsoft/microsoft-graph-client), the per-mailbox request limiter, and the mapping of every
 * Graph failure to an `AppError`.
 *
 * @example
 *   const { client, relative } = createGraphClient({ baseUrl: "https://graph.microsoft.com/v1.0", tokens });
 *   await client.api("/me/contactFolders").get();
 */
import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type AuthenticationProvider,
  type Context,
  type FetchOptions,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { AppError, type AppErrorCode } from "../../core/errors";
import { ClaimsChallengeHandler } from "./claims-challenge-handler";
import type { TokenProvider } from "../../core/ports";

export interface GraphClientOptions {
  /** Graph root incl. version, e.g. "https://graph.microsoft.com/v1.0" or "https://localhost:8443/graph/v1.0". */
  baseUrl: string;
  tokens: TokenProvider;
  /** Retries of the RetryHandler for 429/503/504 (default 5). */
  maxRetries?: number;
  /** Extra fetch options for every request (e.g. a Node `dispatcher` in tests). */
  fetchOptions?: FetchOptions;
}

export interface GraphClient {
  client: Client;
  /** The base URL without a trailing slash. */
  root: string;
  /** Turns an absolute `@odata.nextLink`/`deltaLink` into a path the client accepts. */
  relative(link: string): string;
}

/**
 * Creates the Graph client: AuthenticationHandler (token from the TokenProvider, attached only to
 * Graph and to the host of `baseUrl` via `customHosts`), RetryHandler (429/503/504 honouring
 * Retry-After), HTTPMessageHandler (fetch).
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const root = options.baseUrl.replace(/\/+$/, "");
  const url = new URL(root);
  if (url.protocol !== "https:") throw new AppError("config-invalid", "The Graph base URL must use https.");
  const segments = url.pathname.split("/").filter((s) => s.length > 0);
  const version = segments.pop() ?? "v1.0";
  const host = `${url.origin}${segments.length > 0 ? `/${segments.join("/")}` : ""}/`;
  const claimsChallenge = new ClaimsChallengeHandler();
  const authProvider: AuthenticationProvider = {
    getAccessToken: () => {
      const claims = claimsChallenge.claimsForNextToken();
      return options.tokens.getToken("graph", claims === undefined ? undefined : { claims });
    },
  };
  const client = Client.initWithMiddleware({
    baseUrl: host,
    defaultVersion: version,
    customHosts: new Set([url.hostname]),
    fetchOptions: options.fetchOptions,
    middleware: [
      new ImmutableIdHandler(),
      claimsChallenge,
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions(1, options.maxRetries ?? 5)),
      new HTTPMessageHandler(),
    ],
  });
  const relative = (link: string): string => {
    if (link.startsWith(root)) return link.slice(root.length);
    const u = new URL(link);
    const marker = `/${version}/`;
    const i = u.pathname.indexOf(marker);
    return `${i >= 0 ? u.pathname.slice(i + marker.length - 1) : u.pathname}${u.search}`;
  };
  return { client, root, relative };
}

/**
 * `Prefer: IdType="ImmutableId"`: item ids stay the same when a contact is moved to another folder
 * (doc: outlook-immutable-id; FIDELITY 3). Sent on every request; batch members carry it too.
 */
export const IMMUTABLE_ID_PREFER = 'IdType="ImmutableId"';

/** Middleware adding {@link IMMUTABLE_ID_PREFER} to the Prefer header of every request. */
class ImmutableIdHandler implements Middleware {
  private next: Middleware | undefined;

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as HeadersInit | undefined);
    const prefer = headers.get("Prefer");
    if (!prefer?.includes("IdType="))
      headers.set("Prefer", prefer ? `${prefer}, ${IMMUTABLE_ID_PREFER}` : IMMUTABLE_ID_PREFER);
    options.headers = Object.fromEntries(headers.entries());
    await this.next?.execute(context);
  }
}

/** Per-request middleware options that turn the RetryHandler off (the caller retries itself). */
export function noRetry(): RetryHandlerOptions[] {
  return [new RetryHandlerOptions(0, 0)];
}

/** Seconds from a Retry-After header value (seconds or HTTP date); undefined when absent. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isNaN(n)) return Math.max(0, n);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.round((t - Date.now()) / 1000));
}

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: "validation",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  410: "resync-required",
  412: "precondition-failed",
  413: "payload-too-large",
  422: "validation",
  429: "throttled",
};

/** Maps an HTTP status (0/-1 = no response) and Graph's error code to an AppError. */
export function appErrorFromStatus(
  status: number,
  graphCode: string | undefined,
  message: string | undefined,
  retryAfterSeconds?: number,
  cause?: unknown,
): AppError {
  let code: AppErrorCode;
  if (status <= 0) code = "network";
  else if (status >= 500) code = "server";
  else code = CODE_BY_STATUS[status] ?? "unknown";
  return new AppError(code, message || graphCode || `Graph request failed (${status})`, {
    status: status > 0 ? status : undefined,
    retryAfterSeconds,
    details: graphCode ? { graphCode } : undefined,
    cause,
  });
}

/** Any failure of a Graph client call -> AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof GraphError) {
    const retryAfter = parseRetryAfter(e.headers?.get("Retry-After"));
    if (e.statusCode <= 0 && e.code === "AbortError")
      return new AppError("cancelled", e.message, { cause: e });
    return appErrorFromStatus(e.statusCode, e.code ?? undefined, e.message, retryAfter, e);
  }
  if (e instanceof Error && e.name === "AbortError")
    return new AppError("cancelled", e.message, { cause: e });
  if (e instanceof Error && e.name === "ZodError")
    return new AppError("bad-response", e.message, { cause: e });
  return AppError.from(e, "network");
}

/**
 * A weighted FIFO semaphore: at most `max` Outlook requests in flight per mailbox. A batch takes
 * one permit per member, capped at `max` (Graph executes a batch's members a few at a time).
 */
export interface Limiter {
  run<T>(weight: number, fn: () => Promise<T>): Promise<T>;
}

export function createLimiter(max: number): Limiter {
  let free = max;
  const queue: { weight: number; wake: () => void }[] = [];
  const pump = (): void => {
    while (queue.length > 0 && queue[0].weight <= free) {
      const next = queue.shift() as { weight: number; wake: () => void };
      free -= next.weight;
      next.wake();
    }
  };
  return {
    async run<T>(weight: number, fn: () => Promise<T>): Promise<T> {
      const w = Math.max(1, Math.min(max, weight));
      await new Promise<void>((wake) => {
        queue.push({ weight: w, wake });
        pump();
      });
      try {
        return await fn();
      } finally {
        free += w;
        pump();
      }
    },
  };
}
