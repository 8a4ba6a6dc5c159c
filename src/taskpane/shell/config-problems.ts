/**
 * Turns a bad deployment config into a list of translatable problems (i18n key + values), so
 * the pane can show a clear list in the user's language instead of a blank pane.
 *
 * @example
 *   describeConfigProblems({ crmBaseUrl: "http://crm" });
 *   // [{ key: "config.issue.url", values: { path: "crmBaseUrl" } }, { key: "config.issue.missing", values: { path: "auth" } }, ...]
 */
import { configSchema } from "../../core/config";

export interface ConfigProblem {
  /** Key in the `common` namespace. */
  key: string;
  values: Record<string, string>;
}

export function describeConfigProblems(raw: unknown): ConfigProblem[] {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return [];
  const problems: ConfigProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join(".") || "config.json";
    switch (issue.code) {
      case "invalid_type":
        problems.push({
          key: /received undefined/.test(issue.message) ? "config.issue.missing" : "config.issue.wrongType",
          values: { path },
        });
        break;
      case "unrecognized_keys":
        for (const key of issue.keys)
          problems.push({ key: "config.issue.unknownKey", values: { path, key } });
        break;
      case "invalid_value":
      case "invalid_union":
        problems.push({ key: "config.issue.invalidValue", values: { path } });
        break;
      case "invalid_format":
        problems.push({ key: "config.issue.invalidFormat", values: { path } });
        break;
      case "custom":
        problems.push({
          key: /https URL/.test(issue.message) ? "config.issue.url" : "config.issue.other",
          values: { path },
        });
        break;
      default:
        // zod's own message is English only: name the field, in the user's language.
        problems.push({ key: "config.issue.other", values: { path } });
    }
  }
  return problems;
}
