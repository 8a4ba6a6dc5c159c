/**
 * The service API (fastify): every endpoint except /health needs an Entra access token
 * (api/auth.ts). Users (delegated scope) see and steer only their own mailbox; the admin
 * endpoints and the admin view need the app role.
 *
 *   GET    /health                        JSON for monitoring (no token; counts only)
 *   GET    /api/me                        my enrollment: last and next run, result
 *   POST   /api/me/enrollment             "Keep my contacts in sync in the background"
 *   DELETE /api/me/enrollment             stop it
 *   GET    /api/me/sync-log               the service's sync log of my mailbox (last 50 runs)
 *   POST   /api/me/sync                   "Sync now": queue a run
 *   GET    /api/mailboxes/:id             one mailbox (own, or admin)
 *   GET    /api/admin/mailboxes           every enrolled mailbox            (admin)
 *   POST   /api/admin/enrollments         enroll a list { users: [{ id, upn? }] } (admin)
 *   POST   /api/admin/mailboxes/:id/sync  queue a run (also un-parks on success) (admin)
 *   GET    /admin                         the admin view (HTML)             (admin)
 */
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import type { Pool } from "pg";
import { z } from "zod";
import { readSyncLog } from "../../src/app/sync-log";
import type { ServiceConfig } from "../config";
import type { Logger } from "../logger";
import { AppError } from "../../src/core/errors";
import { enrollGroup, listGroups, unenrollGroup, type ReadGroupMembers } from "../db/groups";
import { enrollMailboxes, getMailbox, listMailboxes, unenrollMailbox } from "../db/mailboxes";
import { createPgSettingsStore } from "../db/pg-settings-store";
import { queueMailbox, QUEUE, type Boss } from "../jobs/queue";
import { createServiceTokenVerifier, type Caller } from "./auth";
import { languageOf, renderAdminPage } from "./admin-page";

export interface ApiHandle {
  url: string;
  close(): Promise<void>;
}

export interface ApiDeps {
  config: ServiceConfig;
  pool: Pool;
  boss: Boss;
  log: Logger;
  intervalMs: number;
  /** The members of an Entra group (Graph, app-only). */
  readGroup: ReadGroupMembers;
}

/** An admin enrolls a list of users, or an Entra group (kept in step with its members). */
const enrollListSchema = z.union([
  z
    .object({
      users: z
        .array(
          z.object({ id: z.string().min(1).max(128), upn: z.string().min(3).max(254).optional() }).strict(),
        )
        .min(1)
        .max(5000),
    })
    .strict(),
  z.object({ groupId: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, "an Entra group object id") }).strict(),
]);

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
}

function problem(reply: FastifyReply, status: number, title: string, detail: string): FastifyReply {
  return reply.code(status).type("application/problem+json").send({ status, title, detail });
}

export async function startApi(deps: ApiDeps): Promise<ApiHandle> {
  const { config, pool, boss, log } = deps;
  const verify = createServiceTokenVerifier({
    issuer: (config.apiIssuer ?? "").split(",").map((s) => s.trim()),
    audience: config.apiAudience ?? "",
    jwks: config.apiJwks ?? "",
    scope: config.apiScope,
    adminRole: config.adminRole,
  });
  // No request logging by fastify: our logger never sees headers, so no token reaches a log.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

  const authenticate = async (
    request: FastifyRequest,
    reply: FastifyReply,
    need: "user" | "admin",
  ): Promise<boolean> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
    const caller = m ? await verify(m[1]) : null;
    if (!caller) {
      void reply.header("WWW-Authenticate", `Bearer error="invalid_token"`);
      void problem(reply, 401, "Unauthorized", "A valid Entra ID access token for this service is required.");
      return false;
    }
    if (need === "admin" ? !caller.isAdmin : !(caller.hasScope || caller.isAdmin)) {
      void problem(
        reply,
        403,
        "Forbidden",
        need === "admin"
          ? `The app role ${config.adminRole} is required.`
          : `The scope ${config.apiScope} is required.`,
      );
      return false;
    }
    request.caller = caller;
    return true;
  };
  const user = (need: "user" | "admin") => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await authenticate(request, reply, need))) return reply;
    return undefined;
  };

  app.get("/health", async (_request, reply) => {
    try {
      const { rows } = await pool.query<{
        enrolled: number;
        parked: number;
        failing: number;
        overdue: number;
      }>(
        `SELECT count(*) FILTER (WHERE active)::int AS enrolled,
                count(*) FILTER (WHERE active AND parked_reason IS NOT NULL)::int AS parked,
                count(*) FILTER (WHERE active AND consecutive_failures > 0)::int AS failing,
                count(*) FILTER (WHERE active AND next_run_at < now() - make_interval(secs => $1))::int AS overdue
         FROM sync_mailbox`,
        [Math.round((deps.intervalMs * 2) / 1000)],
      );
      const queue = await boss.getQueueSize(QUEUE);
      const m = rows[0];
      return reply.send({
        status: m.overdue > 0 ? "degraded" : "ok",
        database: "ok",
        queued: queue,
        mailboxes: m,
      });
    } catch (error) {
      log.error("health check failed", { error: (error as Error).message });
      return reply.code(503).send({ status: "down", database: "unreachable" });
    }
  });

  app.get("/api/me", { preHandler: user("user") }, async (request, reply) => {
    const row = await getMailbox(pool, (request.caller as Caller).oid);
    if (!row || !row.active) return reply.send({ enrolled: false });
    return reply.send({ enrolled: true, mailbox: row });
  });
  app.post("/api/me/enrollment", { preHandler: user("user") }, async (request, reply) => {
    const caller = request.caller as Caller;
    await enrollMailboxes(pool, [{ mailboxId: caller.oid, upn: caller.upn }], "self", deps.intervalMs);
    await queueMailbox(boss, caller.oid, "enrolled");
    return reply.code(201).send({ enrolled: true, mailbox: await getMailbox(pool, caller.oid) });
  });
  app.delete("/api/me/enrollment", { preHandler: user("user") }, async (request, reply) => {
    await unenrollMailbox(pool, (request.caller as Caller).oid);
    return reply.code(204).send();
  });
  app.get("/api/me/sync-log", { preHandler: user("user") }, async (request, reply) => {
    const store = createPgSettingsStore(pool, (request.caller as Caller).oid, "local");
    return reply.send({ runs: await readSyncLog(store) });
  });
  app.post("/api/me/sync", { preHandler: user("user") }, async (request, reply) => {
    const caller = request.caller as Caller;
    const row = await getMailbox(pool, caller.oid);
    if (!row || !row.active) return problem(reply, 404, "Not enrolled", "Enroll the mailbox first.");
    const jobId = await queueMailbox(boss, caller.oid, "manual");
    return reply.code(202).send({ queued: true, alreadyQueued: jobId === null });
  });
  app.get<{ Params: { id: string } }>(
    "/api/mailboxes/:id",
    { preHandler: user("user") },
    async (request, reply) => {
      const caller = request.caller as Caller;
      if (request.params.id !== caller.oid && !caller.isAdmin)
        return problem(reply, 403, "Forbidden", "Only your own mailbox.");
      const row = await getMailbox(pool, request.params.id);
      return row ? reply.send(row) : problem(reply, 404, "Not found", "No such mailbox is enrolled.");
    },
  );

  app.get("/api/admin/mailboxes", { preHandler: user("admin") }, async (_request, reply) =>
    reply.send({ mailboxes: await listMailboxes(pool) }),
  );
  app.post("/api/admin/enrollments", { preHandler: user("admin") }, async (request, reply) => {
    const parsed = enrollListSchema.safeParse(request.body);
    if (!parsed.success)
      return problem(
        reply,
        400,
        "Invalid enrollment",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      );
    const admin = (request.caller as Caller).upn ?? (request.caller as Caller).oid;
    if ("groupId" in parsed.data) {
      try {
        const r = await enrollGroup(
          pool,
          deps.readGroup,
          parsed.data.groupId,
          `admin:${admin}`,
          deps.intervalMs,
        );
        return reply
          .code(201)
          .send({ groupId: parsed.data.groupId, members: r.members, enrolled: r.enrolled });
      } catch (error) {
        const e = AppError.from(error);
        if (e.code === "not-found")
          return problem(reply, 404, "Unknown group", "The directory has no such group.");
        if (e.code === "forbidden" || e.code === "unauthorized")
          return problem(
            reply,
            502,
            "Group not readable",
            "The service may not read the group's members: grant its app registration the application permission GroupMember.Read.All.",
          );
        log.warn("reading a group failed", { error: e.message });
        return problem(
          reply,
          502,
          "Group not readable",
          `Graph did not answer the group's members (${e.code}).`,
        );
      }
    }
    const n = await enrollMailboxes(
      pool,
      parsed.data.users.map((u) => ({ mailboxId: u.id, upn: u.upn ?? null })),
      `admin:${admin}`,
      deps.intervalMs,
    );
    return reply.code(201).send({ enrolled: n });
  });
  app.get("/api/admin/groups", { preHandler: user("admin") }, async (_request, reply) =>
    reply.send({ groups: await listGroups(pool) }),
  );
  app.delete<{ Params: { id: string } }>(
    "/api/admin/groups/:id",
    { preHandler: user("admin") },
    async (request, reply) =>
      (await unenrollGroup(pool, request.params.id))
        ? reply.code(204).send()
        : problem(reply, 404, "Not found", "No such group is enrolled."),
  );
  app.post<{ Params: { id: string } }>(
    "/api/admin/mailboxes/:id/sync",
    { preHandler: user("admin") },
    async (request, reply) => {
      const row = await getMailbox(pool, request.params.id);
      if (!row) return problem(reply, 404, "Not found", "No such mailbox is enrolled.");
      await queueMailbox(boss, request.params.id, "manual");
      return reply.code(202).send({ queued: true });
    },
  );
  app.get("/admin", { preHandler: user("admin") }, async (request, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
      .send(renderAdminPage(await listMailboxes(pool), languageOf(request.headers["accept-language"]))),
  );

  const address = await app.listen({ port: config.apiPort ?? 0, host: config.apiHost });
  return { url: address, close: () => app.close() };
}
