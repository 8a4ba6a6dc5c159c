/**
 * The admin view: one server-rendered page listing every enrolled mailbox (last run, result,
 * counts, failures, parked reason, next run), in English or German by Accept-Language. Plain
 * HTML with a table (headers scoped for screen readers), no script, every value escaped.
 */
import type { MailboxRow } from "../db/mailboxes";

const TEXT = {
  en: {
    title: "Background sync: mailboxes",
    mailbox: "Mailbox",
    enrolled: "Enrolled",
    lastRun: "Last run",
    result: "Result",
    counts: "Changes",
    failures: "Failures in a row",
    parked: "Parked reason",
    nextRun: "Next run",
    none: "No mailbox is enrolled.",
    summary: "{n} mailboxes, {p} parked, {f} failing",
    never: "never",
  },
  de: {
    title: "Hintergrund-Synchronisierung: Postfächer",
    mailbox: "Postfach",
    enrolled: "Angemeldet",
    lastRun: "Letzter Lauf",
    result: "Ergebnis",
    counts: "Änderungen",
    failures: "Fehler in Folge",
    parked: "Grund der Zurückstellung",
    nextRun: "Nächster Lauf",
    none: "Kein Postfach ist angemeldet.",
    summary: "{n} Postfächer, {p} zurückgestellt, {f} mit Fehlern",
    never: "nie",
  },
} as const;

export type AdminLanguage = keyof typeof TEXT;

export function languageOf(acceptLanguage: string | undefined): AdminLanguage {
  return /^\s*de\b/i.test(acceptLanguage ?? "") ? "de" : "en";
}

const esc = (v: unknown): string => String(v ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderAdminPage(rows: MailboxRow[], lang: AdminLanguage): string {
  const t = TEXT[lang];
  const parked = rows.filter((r) => r.parkedReason).length;
  const failing = rows.filter((r) => r.consecutiveFailures > 0).length;
  const summary = t.summary
    .replace("{n}", String(rows.length))
    .replace("{p}", String(parked))
    .replace("{f}", String(failing));
  const body = rows
    .map((r) => {
      const c = r.lastCounts;
      const counts = c ? `${c.updatedOutlook} / ${c.updatedCrm} / ${c.deleted} / ${c.failed}` : "";
      return `<tr><th scope="row">${esc(r.upn ?? r.mailboxId)}</th><td>${esc(r.enrolledAt)}</td><td>${esc(
        r.lastFinishedAt ?? t.never,
      )}</td><td>${esc(r.lastStatus ?? "")}${r.lastError ? `: ${esc(r.lastError.message)}` : ""}</td><td>${esc(
        counts,
      )}</td><td>${r.consecutiveFailures}</td><td>${esc(r.parkedReason ?? "")}</td><td>${esc(r.nextRunAt)}</td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;color:CanvasText;background:Canvas}table{border-collapse:collapse;width:100%}
th,td{border:1px solid GrayText;padding:.3rem .5rem;text-align:left;vertical-align:top}</style></head>
<body><main><h1>${esc(t.title)}</h1><p role="status">${esc(summary)}</p>
${
  rows.length === 0
    ? `<p>${esc(t.none)}</p>`
    : `<table><thead><tr><th scope="col">${esc(t.mailbox)}</th><th scope="col">${esc(t.enrolled)}</th><th scope="col">${esc(
        t.lastRun,
      )}</th><th scope="col">${esc(t.result)}</th><th scope="col">${esc(t.counts)}</th><th scope="col">${esc(
        t.failures,
      )}</th><th scope="col">${esc(t.parked)}</th><th scope="col">${esc(t.nextRun)}</th></tr></thead>
<tbody>
${body}
</tbody></table>`
}
</main></body></html>`;
}
