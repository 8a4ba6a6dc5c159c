/**
 * Fetches config.json (next to taskpane.html) and validates it with the core schema.
 *
 * @example
 *   const r = await loadConfig(fetch, "config.json", window.location.hostname);
 *   if (!r.ok) render(<ConfigErrorView problems={r.problems} />);
 */
import { parseConfig, staticAuthAllowedOn, type AppConfig } from "../../core/config";
import { describeConfigProblems, type ConfigProblem } from "./config-problems";

export type LoadedConfig = { ok: true; config: AppConfig } | { ok: false; problems: ConfigProblem[] };

export async function loadConfig(
  fetchFn: typeof fetch,
  url: string,
  pageHostname: string,
): Promise<LoadedConfig> {
  let text: string;
  try {
    const response = await fetchFn(url, { cache: "no-store" });
    if (!response.ok) {
      return {
        ok: false,
        problems: [{ key: "config.unreachable", values: { reason: `HTTP ${response.status}` } }],
      };
    }
    text = await response.text();
  } catch {
    // The browser's own text ("Failed to fetch", ...) is English whatever the UI language: say it
    // in the user's language instead (a network failure is the only way fetch rejects here).
    return { ok: false, problems: [{ key: "config.offline", values: {} }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    void error; // The problem list says what is wrong; the parser's message adds nothing for the admin.
    return { ok: false, problems: [{ key: "config.notJson", values: {} }] };
  }
  const parsed = parseConfig(raw);
  if (parsed.ok && parsed.config.auth.mode === "static" && !staticAuthAllowedOn(pageHostname)) {
    return {
      ok: false,
      problems: [{ key: "config.issue.staticOutsideLocalhost", values: { path: "auth.mode" } }],
    };
  }
  if (parsed.ok) return parsed;
  return { ok: false, problems: describeConfigProblems(raw) };
}
