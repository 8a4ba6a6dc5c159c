/**
 * Minimal HTTP helper of the Graph conformance suite: plain fetch, no adapter code (the suite
 * judges Graph, not our client). Answers a claims challenge (401/403 `insufficient_claims`) by
 * sending the request once more and counting it; a real tenant's challenge needs a new token,
 * which the admin gets by signing in again (README).
 *
 * @example
 *   const { call } = graphHttp(() => ({ baseUrl: "https://graph.microsoft.com/v1.0", token }));
 *   const res = await call("GET", "/me/contactFolders/contacts");
 */
export interface GraphTarget {
  baseUrl: string;
  token: string;
  /** Extra fetch options (the emulator's self-signed certificate in tests). */
  fetchOptions?: RequestInit;
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body (undefined for empty or non-JSON bodies). */
  json: Record<string, unknown> & { value?: Record<string, unknown>[] };
  bytes: Uint8Array;
  contentType: string;
}

export interface GraphCallInit {
  body?: unknown;
  raw?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
}

export const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };

export function graphHttp(target: () => GraphTarget) {
  const challenges: number[] = [];
  const once = async (method: string, path: string, init: GraphCallInit): Promise<GraphResponse> => {
    const { baseUrl, token, fetchOptions } = target();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
    let body: BodyInit | undefined;
    if (init.raw !== undefined) {
      body = Buffer.from(init.raw);
      headers["content-type"] = init.contentType ?? "application/octet-stream";
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] = init.contentType ?? "application/json";
    }
    Object.assign(headers, init.headers ?? {});
    const url = /^https?:/.test(path) ? path : `${baseUrl}${path}`;
    const response = await fetch(url, { ...fetchOptions, method, headers, body });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const contentType = response.headers.get("content-type") ?? "";
    let json: GraphResponse["json"] = {};
    if (/json/i.test(contentType) && bytes.length > 0)
      json = JSON.parse(new TextDecoder().decode(bytes)) as GraphResponse["json"];
    return { status: response.status, headers: response.headers, json, bytes, contentType };
  };
  const call = async (method: string, path: string, init: GraphCallInit = {}): Promise<GraphResponse> => {
    const res = await once(method, path, init);
    const challenge = /insufficient_claims/i.test(res.headers.get("www-authenticate") ?? "");
    if ((res.status === 401 || res.status === 403) && challenge) {
      challenges.push(res.status);
      return once(method, path, init);
    }
    return res;
  };
  return { call, challenges };
}
