/**
 * OpenAPI conformance of recorded traffic: every answer's status must be declared for its
 * operation in openapi/crm-v1.json, and every JSON body must validate against the declared
 * schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it, formats from ajv-formats).
 *
 * @example
 *   const problems = conformanceProblems(spec, exchanges);
 *   expect(problems).toEqual([]);
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ContractExchange } from "./http";

interface Operation {
  responses?: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

type Spec = { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;

const SPEC_ID = "https://crm.example/openapi/crm-v1.json";

/** JSON pointer escaping of one segment. */
const pointer = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** The path templates, the static ones first ("/contact-persons/lookup" before "/{id}"). */
function matchers(spec: Spec): { template: string; regex: RegExp; params: number }[] {
  return Object.keys(spec.paths)
    .map((template) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
      params: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);
}

/** Problems of the exchanges against the spec (empty = conformant). */
export function conformanceProblems(spec: Spec, exchanges: readonly ContractExchange[]): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ref: string): ValidateFunction => {
    let fn = compiled.get(ref);
    if (!fn) {
      fn = ajv.compile({ $ref: `${SPEC_ID}#${ref}` });
      compiled.set(ref, fn);
    }
    return fn;
  };
  const templates = matchers(spec);
  const problems: string[] = [];
  for (const ex of exchanges) {
    const where = `${ex.method} ${ex.path.slice(0, 80)} -> ${ex.status}`;
    const bare = ex.path.split("?")[0] ?? ex.path;
    const template = templates.find((t) => t.regex.test(bare))?.template;
    const operation = template ? spec.paths[template]?.[ex.method.toLowerCase()] : undefined;
    if (!template || !operation) {
      problems.push(`${where}: no operation in the contract`);
      continue;
    }
    const status = String(ex.status);
    const key = [status, `${status[0]}XX`, "default"].find((k) => operation.responses?.[k] !== undefined);
    if (!key) {
      problems.push(`${where}: status not declared for ${ex.method} ${template}`);
      continue;
    }
    let response = operation.responses?.[key];
    let base = `/paths/${pointer(template)}/${ex.method.toLowerCase()}/responses/${pointer(key)}`;
    if (response?.$ref) {
      base = response.$ref.replace(/^#/, "");
      const [, group, name] = /^\/components\/(\w+)\/(.+)$/.exec(base) ?? [];
      const components = spec.components as Record<string, Record<string, typeof response>> | undefined;
      response = group && name ? components?.[group]?.[name] : undefined;
    }
    const mediaType = ex.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const content = response?.content;
    if (!content) {
      if (ex.bytes > 0) problems.push(`${where}: a body (${mediaType}) where the contract declares none`);
      continue;
    }
    if (!(mediaType in content)) {
      problems.push(
        `${where}: media type ${mediaType || "(none)"} not declared (${Object.keys(content).join(", ")})`,
      );
      continue;
    }
    if (!/json/.test(mediaType)) continue;
    const validate = validator(`${base}/content/${pointer(mediaType)}/schema`);
    if (!validate(ex.json)) {
      const errors = (validate.errors ?? [])
        .slice(0, 3)
        .map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
      problems.push(`${where}: body breaks the schema: ${errors.join("; ")}`);
    }
  }
  return problems;
}
