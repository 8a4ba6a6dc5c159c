/**
 * The reference CRM server: implements the CRM REST contract v1 (openapi/crm-v1.json) with
 * fastify + better-sqlite3. Used by the integration/e2e tests, the contract suite and the
 * embedded demo (`npm run serve:crm`). See docs/crm-server.md.
 *
 * @example
 *   const crm = await startCrmServer({ port: 0, seed: "demo" });
 *   await fetch(`${crm.url}/me`, { headers: { authorization: `Bearer ${crm.token}` } }); // {"userId":"demo.user"}
 *   await crm.close();
 */
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import type { ContactPersonFields, Photo } from "../../../src/core/model";
import { demoData } from "../demo-data";
import { createJwtVerifier, type JwtVerifierOptions } from "./jwt-verifier";
import { bearerToken, DEMO_USER_ID, staticTokenVerifier, type TokenVerifier } from "./auth";
import { canonicalHash, InvalidCursorError, openStore } from "./store";
import {
  batchGetBodySchema,
  createBodySchema,
  idParamsSchema,
  issuesToErrors,
  lookupBodySchema,
  partnerQuerySchema,
  patchBodySchema,
  personQuerySchema,
  type FieldError,
} from "./validation";

export const BASE_PATH = "/api/v1";
export const MAX_PHOTO_BYTES = 4 * 1024 * 1024;
const PROBLEM_BASE = "https://crm.example/problems/";

export interface CrmServerOptions {
  port?: number;
  host?: string;
  /** SQLite file or ":memory:" (default). */
  db?: string;
  seed?: "demo" | "none";
  /** Static bearer token (user "demo.user"); a random one when omitted. */
  token?: string;
  /** Replaces the static-token check (e.g. an Entra ID JWT verifier); `token` is then only reported. */
  verifyToken?: TokenVerifier;
  /**
   * Also accept Entra-style JWTs (issuer, audience, JWKS signature, expiry) besides the static demo
   * token, so the real sign-in path is testable here with locally signed tokens.
   */
  jwt?: JwtVerifierOptions;
}

export interface CrmServerHandle {
  /** Base URL including the base path, e.g. http://127.0.0.1:PORT/api/v1 */
  url: string;
  token: string;
  userId: string;
  requestCount(): number;
  resetRequestCount(): void;
  close(): Promise<void>;
}

declare module "fastify" {
  interface FastifyRequest {
    userId: string;
  }
}

class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problemType: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ProblemError";
  }
}

const validationProblem = (errors: FieldError[]): ProblemError =>
  new ProblemError(
    400,
    "validation",
    "Invalid request",
    errors.map((e) => `${e.field}: ${e.message}`).join("; "),
    errors,
  );

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(issuesToErrors(result.error.issues));
  return result.data;
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemError): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) void reply.header(name, value);
  return reply
    .code(problem.status)
    .type("application/problem+json")
    .send({
      type: `${PROBLEM_BASE}${problem.problemType}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: request.url,
      ...(problem.errors === undefined ? {} : { errors: problem.errors }),
    });
}

/** Decodes a JSON body strictly: invalid UTF-8 is refused, never replaced by U+FFFD. */
const utf8 = new TextDecoder("utf-8", { fatal: true });
function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw validationProblem([{ field: "body", message: "The body is not valid UTF-8" }]);
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProblemError(400, "validation", "Invalid request", (error as Error).message, [
      { field: "body", message: `Malformed JSON: ${(error as Error).message}` },
    ]);
  }
}

/** The request's JSON body; 415 when a body of another media type was sent. */
function jsonBody(request: FastifyRequest, types: readonly string[] = ["application/json"]): unknown {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (request.body !== undefined && !types.includes(type)) {
    throw new ProblemError(
      415,
      "unsupported-media-type",
      "Unsupported media type",
      `Send ${types.join(" or ")}, not ${type || "a body without Content-Type"}.`,
    );
  }
  return request.body;
}

const corsHeaders = (reply: FastifyReply, origin: string | undefined): void => {
  void reply.header("access-control-allow-origin", origin ?? "*");
  void reply.header("vary", "Origin");
  void reply.header(
    "access-control-expose-headers",
    "ETag, Retry-After, Location, WWW-Authenticate, Idempotent-Replayed",
  );
};

/** Strong ETag value of a version: "v3" -> "\"v3\"". */
const etag = (version: string): string => `"${version}"`;

/** Accepts `"v3"`, `v3` and `W/"v3"` (the latter for clients/proxies that weaken ETags). */
function parseIfMatch(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === "") return undefined;
  return trimmed.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

function sniffImage(data: Buffer): Photo["contentType"] | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length >= 8 && png.every((b, i) => data[i] === b)) return "image/png";
  return null;
}

function loadOpenApi(): unknown {
  const file = path.resolve(__dirname, "../../../openapi/crm-v1.json");
  return JSON.parse(readFileSync(file, "utf8"));
}

const nullFields = {
  salutation: null,
  title: null,
  firstName: null,
  jobTitle: null,
  department: null,
  email: null,
  phone: null,
  mobile: null,
  fax: null,
  birthday: null,
  notes: null,
};

/** Starts the server; resolves once it listens. */
export async function startCrmServer(opts: CrmServerOptions = {}): Promise<CrmServerHandle> {
  const token = opts.token ?? randomBytes(18).toString("base64url");
  const staticOrCustom = opts.verifyToken ?? staticTokenVerifier(token, DEMO_USER_ID);
  const jwtVerify = opts.jwt ? createJwtVerifier(opts.jwt) : null;
  const verify: TokenVerifier = jwtVerify
    ? async (candidate) => (await staticOrCustom(candidate)) ?? (await jwtVerify(candidate))
    : staticOrCustom;
  const store = openStore(opts.db ?? ":memory:");
  if ((opts.seed ?? "demo") === "demo" && store.isEmpty()) store.seed(demoData());
  const openApi = loadOpenApi();
  let requests = 0;

  const app = Fastify({
    logger: false,
    bodyLimit: 2 * 1024 * 1024,
    // Ids up to this length reach the id check (400 naming `id`); longer ones are framework errors.
    routerOptions: { maxParamLength: 2000 },
    // The router's own errors (bad percent-encoding, over-long parameter) as problem+json too.
    frameworkErrors: (error, request, reply) => {
      corsHeaders(reply, request.headers.origin);
      const message =
        error.code === "FST_ERR_MAX_PARAM_LENGTH" ? "id is too long" : "id is not validly percent-encoded";
      return sendProblem(reply, request, validationProblem([{ field: "id", message }]));
    },
  });
  app.decorateRequest("userId", "");

  // JSON bodies are decoded strictly (invalid UTF-8 is a 400); only JSON types are parsed as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ["application/json", "application/merge-patch+json"],
    { parseAs: "buffer" },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  app.addContentTypeParser(
    ["image/jpeg", "image/png"],
    { parseAs: "buffer", bodyLimit: MAX_PHOTO_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.addHook("onRequest", async (request, reply) => {
    requests++;
    corsHeaders(reply, request.headers.origin);
    if (request.method === "OPTIONS") {
      void reply.header("access-control-allow-methods", "GET, POST, PATCH, PUT, OPTIONS");
      void reply.header(
        "access-control-allow-headers",
        "Authorization, Content-Type, If-Match, Idempotency-Key",
      );
      void reply.header("access-control-max-age", "600");
      return reply.code(204).send();
    }
    if (request.url.split("?")[0] === `${BASE_PATH}/openapi.json`) return undefined;
    const bearer = bearerToken(request.headers.authorization);
    const identity = bearer === null ? null : await verify(bearer);
    if (identity === null) {
      return sendProblem(
        reply,
        request,
        new ProblemError(
          401,
          "unauthorized",
          "Unauthorized",
          bearer === null ? "A bearer token is required." : "The bearer token is not valid.",
          undefined,
          {
            "www-authenticate":
              bearer === null ? 'Bearer realm="crm"' : 'Bearer realm="crm", error="invalid_token"',
          },
        ),
      );
    }
    request.userId = identity.userId;
    return undefined;
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, request, error);
    if (error instanceof InvalidCursorError) {
      return sendProblem(reply, request, validationProblem([{ field: "cursor", message: error.message }]));
    }
    const fastifyError = error as { code?: string; statusCode?: number; message: string };
    switch (fastifyError.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return sendProblem(
          reply,
          request,
          new ProblemError(413, "payload-too-large", "Payload too large", fastifyError.message),
        );
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return sendProblem(
          reply,
          request,
          new ProblemError(415, "unsupported-media-type", "Unsupported media type", fastifyError.message),
        );
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return sendProblem(
          reply,
          request,
          new ProblemError(400, "validation", "Invalid request", fastifyError.message, [
            { field: "body", message: fastifyError.message },
          ]),
        );
      default:
        break;
    }
    if (
      fastifyError.statusCode !== undefined &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      return sendProblem(
        reply,
        request,
        new ProblemError(fastifyError.statusCode, "bad-request", "Bad request", fastifyError.message),
      );
    }
    process.stderr.write(`CRM server error on ${request.method} ${request.url}: ${fastifyError.message}\n`);
    return sendProblem(
      reply,
      request,
      new ProblemError(500, "server", "Internal server error", "Unexpected error."),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new ProblemError(404, "not-found", "Not found", `No route ${request.method} ${request.url}`),
    ),
  );

  const notFound = (what: string, id: string): ProblemError =>
    new ProblemError(404, "not-found", "Not found", `${what} ${id} does not exist.`);

  const partnerMustExist = (id: string): void => {
    if (store.getPartner(id) === null) {
      throw validationProblem([
        { field: "businessPartnerId", message: `Business partner ${id} does not exist` },
      ]);
    }
  };

  app.get(`${BASE_PATH}/openapi.json`, async () => openApi);

  app.get(`${BASE_PATH}/me`, async (request) => ({ userId: request.userId }));

  app.get(`${BASE_PATH}/business-partners`, async (request) => {
    const q = parse(partnerQuerySchema, request.query);
    return store.searchPartners(q);
  });

  app.post(`${BASE_PATH}/business-partners/batch-get`, async (request) => {
    const { ids } = parse(batchGetBodySchema, request.body ?? {});
    return store.batchGetPartners(ids);
  });

  app.get<{ Params: { id: string } }>(`${BASE_PATH}/business-partners/:id`, async (request) => {
    const { id } = parse(idParamsSchema, request.params);
    const partner = store.getPartner(id);
    if (partner === null) throw notFound("Business partner", id);
    return partner;
  });

  app.get(`${BASE_PATH}/contact-persons`, async (request) => {
    const q = parse(personQuerySchema, request.query);
    return store.searchPersons(
      {
        search: q.search,
        businessPartnerId: q.businessPartnerId,
        businessPartnerSearch: q.businessPartnerSearch,
        city: q.city,
        responsibleMe: q.responsible === "me",
        outlookUser: q.outlookUser,
        cursor: q.cursor,
        limit: q.limit,
      },
      request.userId,
    );
  });

  app.get<{ Params: { id: string } }>(`${BASE_PATH}/contact-persons/:id`, async (request, reply) => {
    const { id } = parse(idParamsSchema, request.params);
    const person = store.getPerson(id);
    if (person === null) throw notFound("Contact person", id);
    void reply.header("etag", etag(person.version));
    return person;
  });

  app.post(`${BASE_PATH}/contact-persons`, async (request, reply) => {
    const rawKey = request.headers["idempotency-key"];
    const key = typeof rawKey === "string" ? rawKey.trim() : "";
    if (key === "" || key.length > 255) {
      throw validationProblem([
        { field: "Idempotency-Key", message: "The Idempotency-Key header is required (1-255 characters)" },
      ]);
    }
    const body = parse(createBodySchema, jsonBody(request) ?? {});
    partnerMustExist(body.businessPartnerId);
    const fields: ContactPersonFields = { ...nullFields, ...body };
    const outcome = store.create(fields, key, canonicalHash(request.body), request.userId);
    if (outcome.kind === "key-reused") {
      throw new ProblemError(
        422,
        "idempotency-key-reused",
        "Idempotency key reused",
        "This Idempotency-Key was already used with a different request body.",
      );
    }
    void reply.header("etag", etag(outcome.person.version));
    void reply.header("location", `${BASE_PATH}/contact-persons/${outcome.person.id}`);
    if (outcome.kind === "replayed") void reply.header("idempotent-replayed", "true");
    return reply.code(201).send(outcome.person);
  });

  app.patch<{ Params: { id: string } }>(`${BASE_PATH}/contact-persons/:id`, async (request, reply) => {
    const { id } = parse(idParamsSchema, request.params);
    const ifMatch = parseIfMatch(request.headers["if-match"]);
    if (ifMatch === undefined) {
      throw new ProblemError(
        428,
        "precondition-required",
        "Precondition required",
        "The If-Match header is required.",
      );
    }
    // An empty or `null` merge patch changes nothing (the store then writes no new version).
    const changes = parse(
      patchBodySchema,
      jsonBody(request, ["application/merge-patch+json", "application/json"]) ?? {},
    );
    if (changes.businessPartnerId !== undefined) partnerMustExist(changes.businessPartnerId);
    const outcome = store.patch(id, changes, ifMatch);
    if (outcome.kind === "not-found") throw notFound("Contact person", id);
    if (outcome.kind === "stale") {
      throw new ProblemError(
        412,
        "precondition-failed",
        "Precondition failed",
        `The contact person changed meanwhile (current version ${outcome.current}).`,
        undefined,
        { etag: etag(outcome.current) },
      );
    }
    void reply.header("etag", etag(outcome.person.version));
    return outcome.person;
  });

  app.get<{ Params: { id: string } }>(`${BASE_PATH}/contact-persons/:id/photo`, async (request, reply) => {
    const { id } = parse(idParamsSchema, request.params);
    if (store.getPerson(id) === null) throw notFound("Contact person", id);
    const photo = store.getPhoto(id);
    if (photo === null)
      throw new ProblemError(404, "not-found", "Not found", `Contact person ${id} has no photo.`);
    void reply.header("etag", etag(photo.version));
    return reply.type(photo.contentType).send(Buffer.from(photo.data));
  });

  app.put<{ Params: { id: string } }>(`${BASE_PATH}/contact-persons/:id/photo`, async (request, reply) => {
    const { id } = parse(idParamsSchema, request.params);
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    const data = request.body;
    if (!Buffer.isBuffer(data) || (contentType !== "image/jpeg" && contentType !== "image/png")) {
      throw new ProblemError(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        "Send image/jpeg or image/png.",
      );
    }
    if (sniffImage(data) !== contentType) {
      throw new ProblemError(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        `The body is not a ${contentType} image.`,
      );
    }
    const outcome = store.putPhoto(
      id,
      { contentType, data: new Uint8Array(data) },
      parseIfMatch(request.headers["if-match"]),
    );
    if (outcome.kind === "not-found") throw notFound("Contact person", id);
    if (outcome.kind === "stale") {
      throw new ProblemError(
        412,
        "precondition-failed",
        "Precondition failed",
        "The contact person changed meanwhile.",
      );
    }
    void reply.header("etag", etag(outcome.person.version));
    return reply.code(204).send();
  });

  app.post(`${BASE_PATH}/contact-persons/lookup`, async (request) => {
    const keys = parse(lookupBodySchema, jsonBody(request) ?? {});
    const items = store.lookup(keys);
    if (keys.idempotencyKeys === undefined) return { items };
    // Persons this user created with one of the keys (an import interrupted before its write-back).
    const created = store.createdWith(request.userId, keys.idempotencyKeys).filter((c) => c.active);
    const known = new Set(items.map((p) => p.id));
    const extra = created.filter((c) => !known.has(c.id)).map((c) => c.id);
    if (extra.length > 0) items.push(...store.batchGet(extra).items);
    return { items, createdWith: created.map(({ idempotencyKey, id }) => ({ idempotencyKey, id })) };
  });

  app.post(`${BASE_PATH}/contact-persons/batch-get`, async (request) => {
    const { ids } = parse(batchGetBodySchema, jsonBody(request) ?? {});
    return store.batchGet(ids);
  });

  const address = await app.listen({ port: opts.port ?? 0, host: opts.host ?? "127.0.0.1" });
  const url = new URL(address);
  const host = url.hostname === "::" || url.hostname === "0.0.0.0" ? "127.0.0.1" : url.hostname;
  let closed = false;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${url.port}${BASE_PATH}`,
    token,
    userId: DEMO_USER_ID,
    requestCount: () => requests,
    resetRequestCount: () => {
      requests = 0;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      store.close();
    },
  };
}
