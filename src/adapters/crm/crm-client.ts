/**
 * The `CrmClient` port over HTTP (contract v1, openapi/crm-v1.json) with the platform's `fetch`
 * (browser and Node 20; axios was dropped: README "Start-up and bundle size").
 *
 * - Token per call from `tokens.getToken("crm")`; after a 401 or 403 whose WWW-Authenticate
 *   carries `claims` (CAE, Conditional Access auth context), one more try with a token fetched
 *   through MSAL for those claims. Tokens are never logged nor
 *   attached to errors (fetch errors are not kept as causes).
 * - Every response body is checked with zod; anything unexpected is `AppError("bad-response")`.
 * - problem+json answers become `AppError`s (see crm-errors.ts).
 * - Retries with exponential backoff + jitter (Retry-After honoured) only for reads (GET,
 *   lookup, batch-get) and for creates (they carry an Idempotency-Key); PATCH/PUT are retried only
 *   when the connection failed before anything was sent.
 * - `timeoutMs` per attempt; `options.signal` cancels (-> "cancelled").
 * - lookup/batchGet/batchGetBusinessPartners split inputs above the server's 1000-per-list limit
 *   into several calls.
 *
 * @example
 *   const crm = createCrmClient({ baseUrl: "https://crm.contoso.com/api/v1", tokens });
 *   const page = await crm.searchContactPersons({ search: "Schmidt", limit: 20 });
 */
import type { z } from "zod";
import { AppError } from "../../core/errors";
import { claimsFromChallenge } from "../auth/claims-challenge";
import {
  contactPersonFieldNames,
  type BusinessPartner,
  type ContactPerson,
  type ContactPersonInput,
  type ContactPersonPatch,
  type Photo,
} from "../../core/model";
import type {
  CallOptions,
  ContactPersonQuery,
  CreatedPerson,
  CrmClient,
  LookupKeys,
  Page,
  PageQuery,
  TokenProvider,
} from "../../core/ports";
import { problemToAppError } from "./crm-errors";
import {
  batchGetResponseSchema,
  businessPartnerSchema,
  contactPersonSchema,
  lookupResponseSchema,
  pageSchema,
  partnerBatchGetResponseSchema,
} from "./crm-schemas";

/** The server's limit per list in lookup and batch-get. */
export const CRM_MAX_KEYS_PER_CALL = 1000;

export interface CrmRequestEvent {
  method: string;
  /** Path below the base URL with query, e.g. "/contact-persons?limit=50". */
  path: string;
  /** 0 for the first try, 1.. for retries. */
  attempt: number;
}

export interface CrmClientOptions {
  /** Base URL including the base path, e.g. "https://crm.contoso.com/api/v1". */
  baseUrl: string;
  tokens: TokenProvider;
  /** Per attempt; default 15,000 ms. */
  timeoutMs?: number;
  /** Retries after the first try for retryable failures; default 3. */
  retries?: number;
  /** First backoff delay; doubles per retry, with jitter; default 300 ms. */
  retryBaseDelayMs?: number;
  /** Longest wait honoured from Retry-After; a longer one ends retrying; default 60 s. */
  maxRetryAfterSeconds?: number;
  /** Called before every HTTP attempt (for logs/metrics; carries no token). */
  onRequest?: (event: CrmRequestEvent) => void;
}

type RetryPolicy = "always" | "before-send";

interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "PUT";
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  raw?: { contentType: string; data: Uint8Array };
  headers?: Record<string, string>;
  retry: RetryPolicy;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Copies only the writable fields that are present (so a full ContactPerson can be passed). */
function writable(input: ContactPersonPatch): ContactPersonPatch {
  const out: Record<string, unknown> = {};
  for (const key of contactPersonFieldNames) {
    if (input[key] !== undefined) out[key] = input[key];
  }
  return out as ContactPersonPatch;
}

/** Connection errors that prove nothing reached the server (Node's fetch names them in `cause`). */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Largest response body accepted (photos are at most 4 MB). */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

const encode = encodeURIComponent;

function headerMap(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name.toLowerCase()] = value));
  return out;
}

/** The system error code behind a failed fetch (Node: `cause.code`; browsers give none). */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  const own = (error as { code?: unknown } | null)?.code;
  return typeof own === "string" ? own : "";
}

function parseJson(body: Uint8Array): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

const unquoteEtag = (etag: string): string =>
  etag
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError("cancelled", "Cancelled"));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AppError("cancelled", "Cancelled"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Creates the CRM client (see the file header for behaviour). */
export function createCrmClient(options: CrmClientOptions): CrmClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retries = Math.max(0, options.retries ?? 3);
  const baseDelay = options.retryBaseDelayMs ?? 300;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 60;

  const pathWithQuery = (spec: RequestSpec): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return qs === "" ? spec.path : `${spec.path}?${qs}`;
  };

  /** One HTTP attempt; network-level failures become AppErrors with `details.sent`. */
  const attemptOnce = async (
    spec: RequestSpec,
    path: string,
    token: string,
    signal?: AbortSignal,
  ): Promise<RawResponse> => {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept:
        spec.raw === undefined && spec.path.endsWith("/photo")
          ? "image/jpeg, image/png, application/problem+json"
          : "application/json, application/problem+json",
      ...spec.headers,
    };
    let body: BodyInit | undefined;
    if (spec.raw !== undefined) {
      headers["Content-Type"] = spec.raw.contentType;
      body = spec.raw.data as Uint8Array<ArrayBuffer>;
    } else if (spec.json !== undefined) {
      headers["Content-Type"] = spec.method === "PATCH" ? "application/merge-patch+json" : "application/json";
      body = JSON.stringify(spec.json);
    }
    // One controller per attempt: the caller's signal and the per-attempt timeout both abort it.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        method: spec.method,
        headers,
        body,
        signal: controller.signal,
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength > MAX_BODY_BYTES) {
        throw new AppError("bad-response", `The CRM sent more than ${MAX_BODY_BYTES} bytes`, {
          status: response.status,
          retryable: false,
        });
      }
      return { status: response.status, headers: headerMap(response.headers), body: bytes };
    } catch (error) {
      if (error instanceof AppError) throw error;
      // Never keep the fetch error as cause (nothing of the request belongs in logs).
      if (signal?.aborted) {
        throw new AppError("cancelled", "The CRM request was cancelled", { details: { sent: false } });
      }
      if (timedOut) {
        throw new AppError("timeout", `The CRM did not answer within ${timeoutMs} ms`, {
          details: { sent: true },
        });
      }
      const code = networkCode(error);
      throw new AppError("network", `The CRM is not reachable (${code || "network error"})`, {
        details: { sent: !NOT_SENT_CODES.has(code), code },
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  };

  /** Runs a request with token handling, retries and problem mapping; resolves for 2xx only. */
  const send = async (spec: RequestSpec, callOptions?: CallOptions): Promise<RawResponse> => {
    const signal = callOptions?.signal;
    const path = pathWithQuery(spec);
    let claims: string | undefined;
    let claimsTried = false;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AppError("cancelled", "The CRM request was cancelled");
      let failure: AppError;
      let retryAfter: number | undefined;
      try {
        const token = await options.tokens.getToken("crm", {
          ...(claims === undefined ? {} : { claims }),
          ...(signal === undefined ? {} : { signal }),
        });
        options.onRequest?.({ method: spec.method, path, attempt });
        const response = await attemptOnce(spec, path, token, signal);
        if (response.status >= 200 && response.status < 300) return response;
        const challenge = claimsFromChallenge(response.headers["www-authenticate"]);
        if ((response.status === 401 || response.status === 403) && challenge !== undefined && !claimsTried) {
          claimsTried = true;
          claims = challenge;
          attempt--; // a claims challenge is not a retry
          continue;
        }
        failure = problemToAppError(
          response.status,
          parseJson(response.body),
          response.headers["retry-after"] ?? null,
        );
        retryAfter = failure.retryAfterSeconds;
        const transient =
          response.status === 429 ||
          response.status === 502 ||
          response.status === 503 ||
          response.status === 504 ||
          response.status === 500;
        if (!transient || spec.retry !== "always") throw failure;
      } catch (error) {
        failure = AppError.from(error);
        if (failure.code === "cancelled") throw failure;
        const transient =
          failure.code === "network" ||
          failure.code === "timeout" ||
          failure.code === "throttled" ||
          failure.code === "server";
        const sent = failure.details?.sent !== false;
        const allowed =
          spec.retry === "always" || (spec.retry === "before-send" && !sent && failure.code === "network");
        if (!transient || !allowed) throw failure;
        retryAfter = failure.retryAfterSeconds;
      }
      if (attempt >= retries) throw failure;
      if (retryAfter !== undefined && retryAfter > maxRetryAfter) throw failure;
      const backoff = baseDelay * 2 ** attempt;
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      await sleep(Math.max(jittered, (retryAfter ?? 0) * 1000), signal);
    }
  };

  const parseBody = <T>(response: RawResponse, schema: z.ZodType<T>, what: string): T => {
    const json = parseJson(response.body);
    const result = schema.safeParse(json);
    if (!result.success) {
      throw new AppError("bad-response", `The CRM sent an unexpected ${what}`, {
        status: response.status,
        retryable: false,
        details: { issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) },
      });
    }
    return result.data;
  };

  const getJson = async <T>(
    spec: RequestSpec,
    schema: z.ZodType<T>,
    what: string,
    o?: CallOptions,
  ): Promise<T> => parseBody(await send(spec, o), schema, what);

  const partnerPage = pageSchema(businessPartnerSchema);
  const personPage = pageSchema(contactPersonSchema);

  return {
    searchBusinessPartners: (
      query: PageQuery & { search?: string },
      o?: CallOptions,
    ): Promise<Page<BusinessPartner>> =>
      getJson(
        {
          method: "GET",
          path: "/business-partners",
          query: { search: query.search, cursor: query.cursor, limit: query.limit },
          retry: "always",
        },
        partnerPage,
        "business partner page",
        o,
      ),

    getBusinessPartner: (id, o) =>
      getJson(
        { method: "GET", path: `/business-partners/${encode(id)}`, retry: "always" },
        businessPartnerSchema,
        "business partner",
        o,
      ),

    batchGetBusinessPartners: async (ids: string[], o?: CallOptions) => {
      const items: BusinessPartner[] = [];
      const missing: string[] = [];
      for (const part of chunk([...new Set(ids)], CRM_MAX_KEYS_PER_CALL)) {
        const result = await getJson(
          { method: "POST", path: "/business-partners/batch-get", json: { ids: part }, retry: "always" },
          partnerBatchGetResponseSchema,
          "business partner batch-get result",
          o,
        );
        items.push(...result.items);
        missing.push(...result.missing);
      }
      return { items, missing };
    },

    searchContactPersons: (query: ContactPersonQuery, o?: CallOptions): Promise<Page<ContactPerson>> =>
      getJson(
        {
          method: "GET",
          path: "/contact-persons",
          query: {
            search: query.search,
            businessPartnerId: query.businessPartnerId,
            businessPartnerSearch: query.businessPartnerSearch,
            city: query.city,
            responsible: query.responsibleMe === true ? "me" : undefined,
            outlookUser: query.outlookUser,
            cursor: query.cursor,
            limit: query.limit,
          },
          retry: "always",
        },
        personPage,
        "contact person page",
        o,
      ),

    getContactPerson: (id, o) =>
      getJson(
        { method: "GET", path: `/contact-persons/${encode(id)}`, retry: "always" },
        contactPersonSchema,
        "contact person",
        o,
      ),

    createContactPerson: async (input: ContactPersonInput, idempotencyKey: string, o?: CallOptions) => {
      // An HTTP header carries visible ASCII only (fetch refuses anything else outright).
      if (!/^[\x20-\x7e]{1,255}$/.test(idempotencyKey) || idempotencyKey.trim() === "") {
        throw new AppError("validation", "The Idempotency-Key must be 1-255 visible ASCII characters", {
          retryable: false,
          field: "Idempotency-Key",
        });
      }
      return getJson(
        {
          method: "POST",
          path: "/contact-persons",
          json: writable(input),
          headers: { "Idempotency-Key": idempotencyKey },
          retry: "always",
        },
        contactPersonSchema,
        "contact person",
        o,
      );
    },

    updateContactPerson: (id: string, patch: ContactPersonPatch, ifMatch: string, o?: CallOptions) =>
      getJson(
        {
          method: "PATCH",
          path: `/contact-persons/${encode(id)}`,
          json: writable(patch),
          headers: { "If-Match": `"${unquoteEtag(ifMatch)}"` },
          retry: "before-send",
        },
        contactPersonSchema,
        "contact person",
        o,
      ),

    getPhoto: async (id: string, o?: CallOptions): Promise<Photo | null> => {
      let response: RawResponse;
      try {
        response = await send(
          { method: "GET", path: `/contact-persons/${encode(id)}/photo`, retry: "always" },
          o,
        );
      } catch (error) {
        if (AppError.is(error, "not-found")) return null;
        throw error;
      }
      const contentType = (response.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
      if (contentType !== "image/jpeg" && contentType !== "image/png") {
        throw new AppError("bad-response", `The CRM sent a photo of type ${contentType || "(none)"}`, {
          status: response.status,
          retryable: false,
        });
      }
      return { contentType, data: response.body };
    },

    putPhoto: async (id: string, photo: Photo, o?: CallOptions): Promise<string> => {
      const response = await send(
        {
          method: "PUT",
          path: `/contact-persons/${encode(id)}/photo`,
          raw: { contentType: photo.contentType, data: photo.data },
          retry: "before-send",
        },
        o,
      );
      const etag = response.headers["etag"];
      if (etag === undefined || unquoteEtag(etag) === "") {
        throw new AppError(
          "bad-response",
          "The CRM did not return the new version (ETag) of the photo upload",
          {
            status: response.status,
            retryable: false,
          },
        );
      }
      return unquoteEtag(etag);
    },

    lookup: async (keys: LookupKeys, o?: CallOptions): Promise<ContactPerson[]> => {
      const emails = chunk(keys.emails, CRM_MAX_KEYS_PER_CALL);
      const phones = chunk(keys.phones, CRM_MAX_KEYS_PER_CALL);
      const lastNames = chunk(keys.lastNames, CRM_MAX_KEYS_PER_CALL);
      const calls = Math.max(emails.length, phones.length, lastNames.length);
      const byId = new Map<string, ContactPerson>();
      for (let i = 0; i < calls; i++) {
        const result = await getJson(
          {
            method: "POST",
            path: "/contact-persons/lookup",
            json: { emails: emails[i] ?? [], phones: phones[i] ?? [], lastNames: lastNames[i] ?? [] },
            retry: "always",
          },
          lookupResponseSchema,
          "lookup result",
          o,
        );
        for (const person of result.items) byId.set(person.id, person);
      }
      return [...byId.values()];
    },

    findCreated: async (idempotencyKeys: string[], o?: CallOptions): Promise<CreatedPerson[]> => {
      const found: CreatedPerson[] = [];
      for (const part of chunk([...new Set(idempotencyKeys)], CRM_MAX_KEYS_PER_CALL)) {
        const json = { idempotencyKeys: part };
        const result = await getJson(
          { method: "POST", path: "/contact-persons/lookup", json, retry: "always" },
          lookupResponseSchema,
          "lookup result",
          o,
        ).catch((error: unknown) => {
          // A v1.0 CRM refuses the optional field: it cannot tell, so nothing is recognised.
          if (AppError.is(error, "validation") && error.field?.startsWith("idempotencyKeys")) return null;
          throw error;
        });
        if (result === null) return [];
        const byId = new Map(result.items.map((person) => [person.id, person]));
        for (const { idempotencyKey, id } of result.createdWith ?? []) {
          const person = byId.get(id);
          if (person) found.push({ idempotencyKey, person });
        }
      }
      return found;
    },

    batchGet: async (ids: string[], o?: CallOptions) => {
      const items: ContactPerson[] = [];
      const missing: string[] = [];
      for (const part of chunk([...new Set(ids)], CRM_MAX_KEYS_PER_CALL)) {
        const result = await getJson(
          { method: "POST", path: "/contact-persons/batch-get", json: { ids: part }, retry: "always" },
          batchGetResponseSchema,
          "batch-get result",
          o,
        );
        items.push(...result.items);
        missing.push(...result.missing);
      }
      return { items, missing };
    },
  };
}
