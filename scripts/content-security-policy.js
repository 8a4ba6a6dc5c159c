// The Content-Security-Policy of every production page (taskpane.html, dialog.html, support.html).
// CommonJS without imports so webpack.config.js and the build tests share one definition.
// Why each host is admitted: docs/security.md ("Content-Security-Policy"). The build test
// test/build/csp.test.ts scans Outlook's office.js host scripts in @microsoft/office-js and fails
// when a host they load is not admitted here.

/** Microsoft's office.js CDNs: the classic one and the unified domain the docs name since 2026. */
const OFFICE_CDN_ORIGINS = [
  "https://appsforoffice.microsoft.com",
  "https://officeapis.public.onecdn.static.microsoft",
];

/**
 * Scripts the Outlook host scripts load from elsewhere: MicrosoftAjax.js (outlook-*-16.*.js set
 * `requiresMsAjax` and load `//ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js` when `Sys` is missing).
 */
const OFFICE_SCRIPT_ORIGINS = ["https://ajax.aspnetcdn.com"];

/** Frames office.js opens: its telemetry proxy (o15apptofilemappingtable.js). */
const OFFICE_FRAME_ORIGINS = ["https://telemetryservice.firstpartyapps.oaspapps.com"];

/** Where office.js' telemetry (telemetry/oteljs_agave.js, ariatelemetry/) posts its events. */
const OFFICE_CONNECT_ORIGINS = ["https://*.pipe.aria.microsoft.com"];

/** Entra ID (MSAL: authority metadata, token endpoint; the dialog's redirect sign-in). */
const ENTRA_ORIGIN = "https://login.microsoftonline.com";

/**
 * The policy as one string. `localOffice`: office.js is served from the add-in's own origin (the
 * e2e build), so the CDN origins are not needed for it; the host-script origins stay.
 *
 * @example
 *   contentSecurityPolicy({ crmOrigin: "https://crm.contoso.com", localOffice: false })
 *   // "default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com ..."
 */
function contentSecurityPolicy({ crmOrigin, localOffice }) {
  const cdn = localOffice ? [] : OFFICE_CDN_ORIGINS;
  const list = (...items) => items.flat().join(" ");
  return [
    "default-src 'self'",
    // No 'unsafe-eval': office.js evaluates no strings; zod's JIT probe is switched off (jitless).
    `script-src ${list("'self'", cdn, OFFICE_SCRIPT_ORIGINS)}`,
    `connect-src ${list("'self'", ENTRA_ORIGIN, "https://graph.microsoft.com", crmOrigin, OFFICE_CONNECT_ORIGINS)}`,
    "img-src 'self' data: blob:",
    // Fluent UI (Griffel) injects its CSS at run time.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    `frame-src ${list("'self'", ENTRA_ORIGIN, OFFICE_FRAME_ORIGINS, cdn)}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${list("'self'", ENTRA_ORIGIN)}`,
  ].join("; ");
}

/** The `<meta>` element carrying the policy (for pages copied rather than templated). */
function cspMetaTag(policy) {
  return `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
}

module.exports = {
  OFFICE_CDN_ORIGINS,
  OFFICE_SCRIPT_ORIGINS,
  OFFICE_FRAME_ORIGINS,
  OFFICE_CONNECT_ORIGINS,
  contentSecurityPolicy,
  cspMetaTag,
};
