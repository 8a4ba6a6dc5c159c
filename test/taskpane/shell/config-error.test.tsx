import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen, within } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { createI18n, type Language } from "../../../src/taskpane/i18n/i18n";
import { ConfigErrorView } from "../../../src/taskpane/shell/ConfigErrorView";
import { loadConfig } from "../../../src/taskpane/shell/load-config";

const respond = (status: number, body: string): typeof fetch =>
  (async () => new Response(body, { status })) as unknown as typeof fetch;

async function showProblems(fetchFn: typeof fetch, language: Language = "en"): Promise<string[]> {
  const loaded = await loadConfig(fetchFn, "config.json", "localhost");
  if (loaded.ok) throw new Error("expected problems");
  const i18n = await createI18n(language);
  render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme}>
        <ConfigErrorView problems={loaded.problems} />
      </FluentProvider>
    </I18nextProvider>,
  );
  const title =
    language === "en"
      ? "The add-in's configuration is invalid"
      : "Die Konfiguration des Add-ins ist ungültig";
  return within(screen.getByRole("list", { name: title }))
    .getAllByRole("listitem")
    .map((li) => li.textContent ?? "");
}

describe("config error view", () => {
  it("lists every problem of an invalid config", async () => {
    const items = await showProblems(
      respond(
        200,
        JSON.stringify({ crmBaseUrl: "http://crm.example.com", defaultPhoneRegion: "de", extra: 1 }),
      ),
    );
    expect(items).toEqual(
      expect.arrayContaining([
        "crmBaseUrl: must be an absolute https URL (http only for localhost)",
        "auth: is missing",
        "defaultPhoneRegion: has the wrong format",
        'config.json: unknown field "extra"',
      ]),
    );
    expect(items).toHaveLength(4);
  });

  it("lists the problems in German", async () => {
    const items = await showProblems(
      respond(
        200,
        JSON.stringify({
          defaultPhoneRegion: "DE",
          auth: { mode: "static", crmToken: "a", graphToken: "b" },
        }),
      ),
      "de",
    );
    expect(items).toEqual(["crmBaseUrl: fehlt"]);
  });

  it("says when config.json is missing", async () => {
    expect(await showProblems(respond(404, "Not found"))).toEqual([
      "config.json could not be loaded (HTTP 404)",
    ]);
  });

  it("says in German when config.json is unreachable, never the browser's English error text", async () => {
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    const items = await showProblems(offline, "de");
    expect(items).toEqual(["config.json konnte nicht geladen werden (der Server ist nicht erreichbar)"]);
    expect(items.join(" ")).not.toMatch(/Failed to fetch/);
  });

  it("says when config.json is not JSON", async () => {
    expect(await showProblems(respond(200, "{ crmBaseUrl: "))).toEqual(["config.json is not valid JSON"]);
  });

  it("accepts a valid config", async () => {
    const loaded = await loadConfig(
      respond(
        200,
        JSON.stringify({
          crmBaseUrl: "https://crm.example.com/api/v1",
          defaultPhoneRegion: "DE",
          auth: { mode: "static", crmToken: "a", graphToken: "b" },
        }),
      ),
      "config.json",
      "localhost",
    );
    expect(loaded.ok).toBe(true);
  });

  it("refuses static tokens when the pane is not served from localhost", async () => {
    const config = {
      crmBaseUrl: "https://crm.example.com/api/v1",
      defaultPhoneRegion: "DE",
      auth: { mode: "static", crmToken: "a", graphToken: "b" },
    };
    const loaded = await loadConfig(respond(200, JSON.stringify(config)), "config.json", "addin.contoso.com");
    expect(loaded).toEqual({
      ok: false,
      problems: [{ key: "config.issue.staticOutsideLocalhost", values: { path: "auth.mode" } }],
    });
  });
});
