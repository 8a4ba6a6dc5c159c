/** The service's one config: env or file, validated, with problems that name the key and never a secret. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadServiceConfig } from "../../service/config";
import { AppError } from "../../src/core/errors";

const base = {
  DATABASE_URL: "postgres://sync:pw@db.contoso.example:5432/sync",
  ENTRA_TENANT_ID: "contoso.onmicrosoft.com",
  ENTRA_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
  ENTRA_CERTIFICATE_PATH: "/etc/crm-sync/app.pem",
  CRM_BASE_URL: "https://crm.contoso.example/api/v1",
  CRM_SCOPE: "api://crm.contoso.example/.default",
};

function problems(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return ((error as AppError).details?.problems as string[]) ?? [];
  }
  return [];
}

test("a production config from env: defaults for interval, workers, expiry and the Graph URL", () => {
  const c = loadServiceConfig(base);
  expect(c).toMatchObject({
    intervalMinutes: 5,
    jobsPerWorker: 4,
    graphBaseUrl: "https://graph.microsoft.com/v1.0",
    graphQuota: 10_000,
    graphQuotaWindowSeconds: 600,
  });
  expect(c.apiPort).toBeUndefined();
});

test.each([
  ["no database", { DATABASE_URL: "" }, "databaseUrl"],
  ["a non-postgres URL", { DATABASE_URL: "mysql://x" }, "databaseUrl"],
  ["http to a remote CRM", { CRM_BASE_URL: "http://crm.contoso.example/api/v1" }, "crmBaseUrl"],
  ["no certificate", { ENTRA_CERTIFICATE_PATH: "" }, "certificatePath"],
  ["static tokens off localhost", { STATIC_GRAPH_TOKEN: "t" }, "staticGraphToken"],
  ["an interval of 0", { SYNC_INTERVAL_MINUTES: "0" }, "intervalMinutes"],
  ["an API without token validation", { API_PORT: "8450" }, "apiAudience"],
])("%s is refused, naming the key", (_name, change, key) => {
  const env: Record<string, string> = { ...base, ...change };
  for (const [k, v] of Object.entries(change)) if (v === "") delete env[k];
  const list = problems(env);
  expect(list.some((p) => p.startsWith(`${key}:`))).toBe(true);
  expect(list.join("\n")).not.toContain("pw@"); // never echoes the database password
});

test("a JSON file (SERVICE_CONFIG_FILE) with env overriding it", () => {
  const dir = mkdtempSync(join(tmpdir(), "svc-config-"));
  try {
    const file = join(dir, "service.json");
    writeFileSync(
      file,
      JSON.stringify({
        ...Object.fromEntries([]),
        databaseUrl: base.DATABASE_URL,
        tenantId: "t",
        clientId: "c",
        certificatePath: "/x.pem",
        crmBaseUrl: base.CRM_BASE_URL,
        crmScope: "s",
        intervalMinutes: 10,
      }),
    );
    const c = loadServiceConfig({ SERVICE_CONFIG_FILE: file, JOBS_PER_WORKER: "8" });
    expect(c.intervalMinutes).toBe(10);
    expect(c.jobsPerWorker).toBe(8);
    writeFileSync(file, "{ not json");
    expect(() => loadServiceConfig({ SERVICE_CONFIG_FILE: file })).toThrow(/could not be read as JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
