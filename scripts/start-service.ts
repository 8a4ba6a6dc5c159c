/**
 * `npm start -- --service`: the sync service beside the embedded default. An embedded
 * PostgreSQL (throw-away, under the OS temp folder), the emulator's app-only token with the
 * demo mailbox reachable as /users/{id} (the same contacts the pane shows), the demo user
 * enrolled, one in-process worker with the API on a free port, and locally signed Entra-style
 * tokens (a user's and an admin's) to call it with.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { loadServiceConfig } from "../service/config";
import { enrollMailboxes } from "../service/db/mailboxes";
import { startSyncService, type SyncServiceHandle } from "../service/sync-service";
import { startEmbeddedPostgres } from "../test/support/embedded-pg";
import { insecureFetchOptions } from "../test/servers/graph/insecure-fetch";
import type { Stack } from "../test/support/stack";

export const DEMO_USER_OID = "5e7d0b6a-2c1f-4d8e-9a3b-0c4d5e6f7a8b";
const APP_TOKEN = "demo-app-only-token";
const ISSUER = "https://login.microsoftonline.com/embedded-default/v2.0";
const AUDIENCE = "api://crm-sync.localhost";

export interface EmbeddedService {
  lines: string[];
  close(): Promise<void>;
}

export async function startEmbeddedService(stack: Stack): Promise<EmbeddedService> {
  const pg = await startEmbeddedPostgres();
  const dir = mkdtempSync(join(tmpdir(), "crm-sync-jwks-"));
  let service: SyncServiceHandle | undefined;
  try {
    stack.graph.appOnly.addAppToken(APP_TOKEN);
    stack.graph.appOnly.addUser(DEMO_USER_OID, { upn: stack.crm.userId, delegatedToken: stack.graph.token });
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwksFile = join(dir, "jwks.json");
    writeFileSync(
      jwksFile,
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "local", alg: "RS256" }] }),
    );
    const sign = (claims: Record<string, unknown>): Promise<string> =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "local" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("12h")
        .sign(privateKey);
    const config = loadServiceConfig({
      DATABASE_URL: pg.url,
      ENTRA_TENANT_ID: "embedded-default",
      ENTRA_CLIENT_ID: "00000000-0000-4000-8000-00000000c0de",
      STATIC_GRAPH_TOKEN: APP_TOKEN,
      STATIC_CRM_TOKEN: stack.crm.token,
      GRAPH_BASE_URL: stack.graph.url,
      CRM_BASE_URL: stack.crm.url,
      SYNC_INTERVAL_MINUTES: process.env.SYNC_INTERVAL_MINUTES ?? "1",
      API_PORT: process.env.SERVICE_PORT ?? "0",
      API_ISSUER: ISSUER,
      API_AUDIENCE: AUDIENCE,
      API_JWKS: jwksFile,
    });
    service = await startSyncService(config, { graphFetchOptions: insecureFetchOptions() });
    await enrollMailboxes(
      service.pool,
      [{ mailboxId: DEMO_USER_OID, upn: stack.crm.userId }],
      "self",
      60_000,
    );
    const user = await sign({
      oid: DEMO_USER_OID,
      preferred_username: stack.crm.userId,
      scp: "Sync.ReadWrite",
    });
    const admin = await sign({
      oid: DEMO_USER_OID,
      preferred_username: stack.crm.userId,
      roles: ["Sync.Admin"],
    });
    const url = service.api?.url ?? "";
    const handle = service;
    return {
      lines: [
        `  Sync service:   ${url} (embedded PostgreSQL; the demo mailbox is enrolled, interval ${config.intervalMinutes} min)`,
        `    Health:       ${url}/health`,
        `    Admin view:   curl -H "Authorization: Bearer $ADMIN_TOKEN" ${url}/admin`,
        `    My mailbox:   curl -H "Authorization: Bearer $USER_TOKEN" ${url}/api/me`,
        `    USER_TOKEN=${user}`,
        `    ADMIN_TOKEN=${admin}`,
      ],
      async close() {
        await handle.stop();
        await pg.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await service?.stop().catch(() => undefined);
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
