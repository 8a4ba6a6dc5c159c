/**
 * The deployment config: one JSON file (`config.json`) served with the add-in, validated at
 * start-up. A bad file yields a list of readable problems instead of a blank pane.
 *
 * @example
 *   const r = parseConfig(JSON.parse(text));
 *   if (!r.ok) showProblems(r.problems); // ["crmBaseUrl: must be an https URL (http only for localhost)"]
 */
import { z } from "zod";

const isLocalhost = (url: URL): boolean =>
  url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";

/** https everywhere; http only for localhost. */
const serviceUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || (url.protocol === "http:" && isLocalhost(url));
    } catch {
      return false;
    }
  },
  { message: "must be an absolute https URL (http only for localhost)" },
);

const fieldDirection = z.enum(["crm-to-outlook", "two-way", "none"]);

export const fieldGroups = [
  "name",
  "organisation",
  "email",
  "phones",
  "address",
  "birthday",
  "notes",
] as const;
export type FieldGroup = (typeof fieldGroups)[number];

export const configSchema = z
  .object({
    /** Base URL of the CRM REST contract v1, e.g. https://crm.example.com/api/v1 */
    crmBaseUrl: serviceUrl,
    /** Graph base URL incl. version, e.g. https://graph.microsoft.com/v1.0 */
    graphBaseUrl: serviceUrl.default("https://graph.microsoft.com/v1.0"),
    auth: z.discriminatedUnion("mode", [
      z
        .object({
          mode: z.literal("entra"),
          /** Entra ID application (client) id, a GUID. */
          clientId: z.string().uuid(),
          /** Authority, default the multi-tenant "organizations" endpoint. */
          authority: serviceUrl.default("https://login.microsoftonline.com/organizations"),
          /** The CRM API scope, e.g. api://crm.example.com/Contacts.ReadWrite */
          crmScope: z.string().min(1),
        })
        .strict(),
      z
        .object({
          mode: z.literal("static"),
          /** Local use only (embedded default): fixed bearer tokens. Never in production. */
          crmToken: z.string().min(1),
          graphToken: z.string().min(1),
        })
        .strict(),
    ]),
    /** ISO 3166 region used to parse phone numbers without a country code, e.g. "DE". */
    defaultPhoneRegion: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter region like DE"),
    defaults: z
      .object({
        /** Target folder name; null = the default Contacts folder. */
        folderName: z.string().min(1).max(255).nullable().default(null),
        withdrawDeselected: z.boolean().default(true),
        conflictRule: z.enum(["crm-wins", "outlook-wins", "newest-wins"]).default("crm-wins"),
        fieldDirections: z.partialRecord(z.enum(fieldGroups), fieldDirection).default({}),
        syncOnOpen: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    supportUrl: serviceUrl.optional(),
  })
  .strict();

export type AppConfig = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

export function parseConfig(raw: unknown): ConfigResult {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
  };
}

/**
 * Static tokens exist for the embedded default on one machine only: a pane served from any other
 * host refuses them, so a test config can never end up in production by mistake.
 *
 * @example
 *   staticAuthAllowedOn("localhost")        // true
 *   staticAuthAllowedOn("addin.contoso.com") // false
 */
export function staticAuthAllowedOn(pageHostname: string): boolean {
  return ["localhost", "127.0.0.1", "[::1]", "::1"].includes(pageHostname.toLowerCase());
}
