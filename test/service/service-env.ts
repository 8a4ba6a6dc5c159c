/**
 * The service configuration the in-process service tests share: the embedded PostgreSQL, static
 * tokens for the stand-ins (the service refuses them off localhost), and the API's token rules.
 *
 * @example
 *   const config = loadServiceConfig(serviceTestEnv(pg.url, { API_PORT: "0", API_JWKS: file }));
 */
export const TEST_ISSUER = "https://login.microsoftonline.com/contoso-tenant/v2.0";
export const TEST_AUDIENCE = "api://crm-sync.contoso.example";

export function serviceTestEnv(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ENTRA_TENANT_ID: "contoso-tenant",
    ENTRA_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
    STATIC_GRAPH_TOKEN: "graph-secret-token",
    STATIC_CRM_TOKEN: "crm-secret-token",
    GRAPH_BASE_URL: "https://localhost:1/v1.0",
    CRM_BASE_URL: "http://127.0.0.1:1/api/v1",
    API_ISSUER: TEST_ISSUER,
    API_AUDIENCE: TEST_AUDIENCE,
    ...extra,
  };
}
