/**
 * Minimal HTTP helper of the contract suite (plain fetch, no adapter code, so the suite judges
 * the server, not our client).
 *
 * @example
 *   const api = contractHttp({ baseUrl: "http://127.0.0.1:4000/api/v1", token: "t" });
 *   const res = await api.call("GET", "/me"); // { status: 200, json: { userId: "demo.user" }, ... }
 */
export interface ContractTarget {
  baseUrl: string;
  token: string;
}

export interface ContractResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body (undefined for empty or non-JSON bodies). */
  json: unknown;
  bytes: Uint8Array;
  contentType: string;
}

export interface CallInit {
  body?: unknown;
  /** Raw body (photo uploads); `contentType` then says its type. */
  raw?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** `null` = no Authorization header; a string = that token instead of the target's. */
  token?: string | null;
}

/** One request and its answer, for the OpenAPI conformance check (test/contract/openapi-conformance.ts). */
export interface ContractExchange {
  method: string;
  /** Path below the base URL, with the query. */
  path: string;
  status: number;
  contentType: string;
  json: unknown;
  bytes: number;
}

export function contractHttp(
  target: () => ContractTarget,
  onExchange?: (exchange: ContractExchange) => void,
) {
  const call = async (method: string, path: string, init: CallInit = {}): Promise<ContractResponse> => {
    const { baseUrl, token } = target();
    const headers: Record<string, string> = { accept: "application/json, application/problem+json, image/*" };
    const auth = init.token === undefined ? token : init.token;
    if (auth !== null) headers.authorization = `Bearer ${auth}`;
    let body: BodyInit | undefined;
    if (init.raw !== undefined) {
      body = Buffer.from(init.raw);
      headers["content-type"] = init.contentType ?? "application/octet-stream";
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] = init.contentType ?? "application/json";
    }
    Object.assign(headers, init.headers ?? {});
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const contentType = response.headers.get("content-type") ?? "";
    let json: unknown;
    if (/json/i.test(contentType) && bytes.length > 0) json = JSON.parse(new TextDecoder().decode(bytes));
    onExchange?.({ method, path, status: response.status, contentType, json, bytes: bytes.length });
    return { status: response.status, headers: response.headers, json, bytes, contentType };
  };
  return { call };
}

/** Field names of a problem's `errors` list. */
export function problemFields(json: unknown): string[] {
  if (typeof json !== "object" || json === null) return [];
  const errors = (json as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown) =>
    typeof e === "object" && e !== null && typeof (e as { field?: unknown }).field === "string"
      ? [(e as { field: string }).field]
      : [],
  );
}
