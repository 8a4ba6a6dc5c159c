/**
 * The sync service's one config, validated with zod at start-up: from environment variables, or
 * from a JSON file named by `SERVICE_CONFIG_FILE` (same keys in camelCase; env wins). A bad config
 * stops the service with one line per problem, naming the key, never echoing a secret.
 *
 * @example
 *   const config = loadServiceConfig(process.env); // throws AppError("config-invalid") with the problems
 *   config.intervalMinutes; // 5
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { AppConfig } from "../src/core/config";
import { AppError } from "../src/core/errors";

const isLocal = (value: string): boolean => {
  try {
    const host = new URL(value).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  } catch {
    return false;
  }
};

const httpsUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || (url.protocol === "http:" && isLocal(value));
    } catch {
      return false;
    }
  },
  { message: "must be an absolute https URL (http only for localhost)" },
);

const num = (schema: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === "string" && v !== "" ? Number(v) : v), schema);

export const serviceConfigSchema = z
  .object({
    /** postgres://user:password@host:5432/db (PostgreSQL 14+). */
    databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection URL"),
    /** Entra tenant id (GUID) or domain; the authority is login.microsoftonline.com/<tenant>. */
    tenantId: z.string().min(1),
    /** The service's app registration (client) id. */
    clientId: z.string().min(1),
    /** PEM file with the app's certificate and its private key (client credentials; MSAL Node). */
    certificatePath: z.string().min(1).optional(),
    /** Local use only (stand-ins on localhost): fixed app-only Graph and CRM tokens instead of MSAL. */
    staticGraphToken: z.string().min(1).optional(),
    staticCrmToken: z.string().min(1).optional(),
    graphBaseUrl: httpsUrl.default("https://graph.microsoft.com/v1.0"),
    crmBaseUrl: httpsUrl,
    /** The CRM API's app-only scope, e.g. api://crm.contoso.com/.default (service credentials). */
    crmScope: z.string().min(1).optional(),
    /** Minutes between two runs of one mailbox (runs are staggered over this interval). */
    intervalMinutes: num(z.number().min(0.05).max(1440)).default(5),
    /** Mailbox jobs one worker process runs at once. */
    jobsPerWorker: num(z.number().int().min(1).max(64)).default(4),
    /** An active job not finished after this long is taken as lost (its worker died) and retried. */
    jobExpirySeconds: num(z.number().int().min(2).max(86_400)).default(900),
    /** First retry delay of a failed job (pg-boss, doubling per attempt; 5 attempts). */
    retryDelaySeconds: num(z.number().int().min(1).max(3600)).default(30),
    /** First wait before a parked mailbox (token/permission failure) is tried again; doubles to 24 h. */
    parkRetryMinutes: num(z.number().min(0.01).max(1440)).default(60),
    /** Minutes between two reads of an enrolled group's members (new members in, leavers out). */
    groupRefreshMinutes: num(z.number().min(0.01).max(1440)).default(60),
    /** Outlook requests per mailbox and window across all workers (Graph: 10,000 per 10 minutes). */
    graphQuota: num(z.number().int().min(1)).default(10_000),
    graphQuotaWindowSeconds: num(z.number().int().min(1)).default(600),
    /** pg-boss maintenance (expiry detection) interval. */
    maintenanceSeconds: num(z.number().int().min(1).max(600)).default(30),
    /** The API (service endpoints, admin view): unset = none in this process; 0 = any free port. */
    apiPort: num(z.number().int().min(0).max(65535)).optional(),
    apiHost: z.string().default("127.0.0.1"),
    /** Accepted token issuers, comma-separated (Entra: https://login.microsoftonline.com/<tenant>/v2.0). */
    apiIssuer: z.string().min(1).optional(),
    /** The service API's audience (its application id URI or client id). */
    apiAudience: z.string().min(1).optional(),
    /** JWKS: https URL (Entra: .../discovery/v2.0/keys) or a local JSON file. */
    apiJwks: z.string().min(1).optional(),
    /** Delegated scope a user token needs. */
    apiScope: z.string().default("Sync.ReadWrite"),
    /** App role (`roles` claim) the admin endpoints need. */
    adminRole: z.string().default("Sync.Admin"),
    defaultPhoneRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be a two-letter region like DE")
      .default("DE"),
    /** A name for this worker in logs and the run table (default host:pid). */
    workerName: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const local = isLocal(c.graphBaseUrl) && isLocal(c.crmBaseUrl);
    if ((c.staticGraphToken || c.staticCrmToken) && !local)
      ctx.addIssue({
        code: "custom",
        path: ["staticGraphToken"],
        message: "static tokens are for localhost stand-ins only",
      });
    if (!c.staticGraphToken && !c.certificatePath)
      ctx.addIssue({
        code: "custom",
        path: ["certificatePath"],
        message: "required (the app's certificate)",
      });
    if (!c.staticCrmToken && !(c.certificatePath && c.crmScope))
      ctx.addIssue({
        code: "custom",
        path: ["crmScope"],
        message: "required with certificatePath (CRM service credentials)",
      });
    if (c.apiPort !== undefined && !(c.apiIssuer && c.apiAudience && c.apiJwks))
      ctx.addIssue({
        code: "custom",
        path: ["apiAudience"],
        message: "apiIssuer, apiAudience and apiJwks are required when apiPort is set",
      });
  });

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

const ENV_KEYS: Record<string, keyof ServiceConfig> = {
  DATABASE_URL: "databaseUrl",
  ENTRA_TENANT_ID: "tenantId",
  ENTRA_CLIENT_ID: "clientId",
  ENTRA_CERTIFICATE_PATH: "certificatePath",
  STATIC_GRAPH_TOKEN: "staticGraphToken",
  STATIC_CRM_TOKEN: "staticCrmToken",
  GRAPH_BASE_URL: "graphBaseUrl",
  CRM_BASE_URL: "crmBaseUrl",
  CRM_SCOPE: "crmScope",
  SYNC_INTERVAL_MINUTES: "intervalMinutes",
  JOBS_PER_WORKER: "jobsPerWorker",
  JOB_EXPIRY_SECONDS: "jobExpirySeconds",
  PARK_RETRY_MINUTES: "parkRetryMinutes",
  GROUP_REFRESH_MINUTES: "groupRefreshMinutes",
  RETRY_DELAY_SECONDS: "retryDelaySeconds",
  GRAPH_QUOTA: "graphQuota",
  GRAPH_QUOTA_WINDOW_SECONDS: "graphQuotaWindowSeconds",
  MAINTENANCE_SECONDS: "maintenanceSeconds",
  API_PORT: "apiPort",
  API_HOST: "apiHost",
  API_ISSUER: "apiIssuer",
  API_AUDIENCE: "apiAudience",
  API_JWKS: "apiJwks",
  API_SCOPE: "apiScope",
  ADMIN_ROLE: "adminRole",
  DEFAULT_PHONE_REGION: "defaultPhoneRegion",
  WORKER_NAME: "workerName",
};

/** Env (and the optional JSON file) -> a validated config, or AppError("config-invalid") listing the problems. */
export function loadServiceConfig(env: Record<string, string | undefined>): ServiceConfig {
  let raw: Record<string, unknown> = {};
  const file = env.SERVICE_CONFIG_FILE;
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new AppError("config-invalid", `SERVICE_CONFIG_FILE ${file} could not be read as JSON.`, {
        cause: error,
      });
    }
  }
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const parsed = serviceConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new AppError("config-invalid", `Invalid service config:\n${problems.join("\n")}`, {
      details: { problems },
    });
  }
  return parsed.data;
}

/** The add-in config the shared runners read (defaults for user settings, the phone region). */
export function appConfigFor(config: ServiceConfig): AppConfig {
  return {
    crmBaseUrl: config.crmBaseUrl,
    graphBaseUrl: config.graphBaseUrl,
    auth: {
      mode: "entra",
      clientId: "00000000-0000-0000-0000-000000000000",
      authority: `https://login.microsoftonline.com/${config.tenantId}`,
      crmScope: config.crmScope ?? "unused",
    },
    defaultPhoneRegion: config.defaultPhoneRegion,
    defaults: {
      folderName: null,
      withdrawDeselected: true,
      conflictRule: "crm-wins",
      fieldDirections: {},
      syncOnOpen: true,
    },
  };
}
