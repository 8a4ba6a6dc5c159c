/**
 * App-only access for the Graph emulator (client credentials, application permission
 * Contacts.ReadWrite; FIDELITY point 20, evidence in docs/graph-emulator.md):
 * - one app token reaches many mailboxes through `/users/{id | userPrincipalName}/...`; `/me`
 *   with an app token is 400 ("/me request is only valid with delegated authentication flow.");
 * - a mailbox outside the app's scope (Exchange RBAC for Applications / application access
 *   policy) answers 403 `ErrorAccessDenied`; an unknown user 404 `ErrorInvalidUser`;
 * - the mailbox's own limits (4 in flight, quota per window) apply as for delegated calls, and
 *   per-mailbox counters (peak in flight, concurrency 429s, requests) are readable by tests.
 *
 * Kept apart from emulator.ts/mailbox.ts: a `/users/{id}` request is mapped onto the same
 * `/me` handlers of the chosen mailbox, and the links in the answer are mapped back.
 *
 * @example
 *   graph.appOnly.addAppToken("app-token");
 *   graph.appOnly.addUser("3f2c...-oid", { upn: "anna@contoso.example" });
 *   // GET `${graph.url}/users/3f2c...-oid/contacts` with `Authorization: Bearer app-token`
 *   graph.appOnly.stats("3f2c...-oid").peakInFlight; // <= 4
 */
import { graphError, Mailbox, type EmuResponse } from "./mailbox";

export interface MailboxStats {
  inFlight: number;
  /** The most requests this mailbox ever had in flight at once. */
  peakInFlight: number;
  /** MailboxConcurrency 429s answered for this mailbox. */
  concurrencyRejections: number;
  /** Requests admitted to this mailbox (top-level and batch members). */
  requests: number;
}

export type Resolved = { mailbox: Mailbox; path: string; prefix: string | null } | { error: EmuResponse };

export interface AppOnlyRouting {
  /** Registers an app-only token (by default it may reach every mailbox, as Graph without RBAC scoping). */
  addAppToken(token: string): void;
  isAppToken(token: string): boolean;
  /**
   * Creates the mailbox of a user reachable as `/users/{id}` (and `/users/{upn}`); returns it.
   * `delegatedToken`: the user is the owner of that existing (delegated-token) mailbox instead,
   * e.g. the demo mailbox the pane uses, so pane and service see the same contacts.
   */
  addUser(id: string, options?: { upn?: string; delegatedToken?: string }): Mailbox;
  /** The user's mailbox (by id or UPN), if any. */
  mailbox(idOrUpn: string): Mailbox | undefined;
  /** Grants or revokes the app's access to one mailbox (RBAC for Applications scope). */
  setAccess(token: string, idOrUpn: string, allowed: boolean): void;
  stats(idOrUpn: string): MailboxStats;
  resetStats(): void;
  /** Internal (emulator.ts): where a request goes. */
  resolve(caller: Mailbox | null, appToken: string | null, path: string, clientRequestId?: string): Resolved;
  /** Internal: `…/v1.0/me/…` links of an answer -> `…/v1.0/users/{id}/…`. */
  rewriteLinks(response: EmuResponse, base: string, prefix: string | null): EmuResponse;
  noteInFlight(mailbox: Mailbox): void;
  noteRejection(mailbox: Mailbox): void;
}

export function createAppOnlyRouting(
  delegated: (token: string) => Mailbox | undefined = () => undefined,
  create: (key: string) => Mailbox = (key) => new Mailbox(key),
): AppOnlyRouting {
  const tokens = new Set<string>();
  const users = new Map<string, Mailbox>();
  const denied = new Map<string, Set<Mailbox>>();
  const stats = new WeakMap<Mailbox, MailboxStats>();
  const statsOf = (mb: Mailbox): MailboxStats => {
    let s = stats.get(mb);
    if (!s) {
      s = { inFlight: 0, peakInFlight: 0, concurrencyRejections: 0, requests: 0 };
      stats.set(mb, s);
    }
    return s;
  };
  const find = (idOrUpn: string): Mailbox | undefined => users.get(decodeURIComponent(idOrUpn).toLowerCase());

  return {
    addAppToken(token) {
      tokens.add(token);
    },
    isAppToken: (token) => tokens.has(token),
    addUser(id, options) {
      const existing = find(id);
      if (existing) return existing;
      const mb =
        (options?.delegatedToken ? delegated(options.delegatedToken) : undefined) ?? create(`user:${id}`);
      users.set(id.toLowerCase(), mb);
      if (options?.upn) users.set(options.upn.toLowerCase(), mb);
      return mb;
    },
    mailbox: find,
    setAccess(token, idOrUpn, allowed) {
      const mb = find(idOrUpn);
      if (!mb) throw new Error(`Unknown user ${idOrUpn}`);
      const set = denied.get(token) ?? new Set<Mailbox>();
      if (allowed) set.delete(mb);
      else set.add(mb);
      denied.set(token, set);
    },
    stats(idOrUpn) {
      const mb = find(idOrUpn);
      if (!mb) throw new Error(`Unknown user ${idOrUpn}`);
      return { ...statsOf(mb), inFlight: mb.inFlight };
    },
    resetStats() {
      for (const mb of new Set(users.values())) {
        stats.set(mb, { inFlight: 0, peakInFlight: mb.inFlight, concurrencyRejections: 0, requests: 0 });
      }
    },
    resolve(caller, appToken, path, clientRequestId) {
      const segs = path.split("/").filter((s) => s.length > 0);
      const first = (segs[0] ?? "").toLowerCase();
      if (appToken === null) {
        // Delegated token: its own mailbox, /me only (as before).
        return { mailbox: caller as Mailbox, path, prefix: null };
      }
      if (first === "me")
        return {
          error: graphError(
            400,
            "BadRequest",
            "/me request is only valid with delegated authentication flow.",
            {},
            clientRequestId,
          ),
        };
      if (first !== "users" || segs.length < 2)
        return {
          error: graphError(400, "BadRequest", `Resource not found for the segment '${segs[0] ?? ""}'.`),
        };
      const mb = find(segs[1]);
      if (!mb)
        return {
          error: graphError(
            404,
            "ErrorInvalidUser",
            `The requested user '${decodeURIComponent(segs[1])}' is invalid.`,
            {},
            clientRequestId,
          ),
        };
      if (denied.get(appToken)?.has(mb))
        return {
          error: graphError(
            403,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
            {},
            clientRequestId,
          ),
        };
      return { mailbox: mb, path: `/me/${segs.slice(2).join("/")}`, prefix: `/users/${segs[1]}` };
    },
    rewriteLinks(response, base, prefix) {
      if (prefix === null) return response;
      const from = `${base}/me/`;
      const to = `${base}${prefix}/`;
      const headers = { ...response.headers };
      for (const [k, v] of Object.entries(headers))
        if (v.startsWith(from)) headers[k] = to + v.slice(from.length);
      let body = response.body;
      if (body !== null && body !== undefined && !Buffer.isBuffer(body)) {
        const text = JSON.stringify(body);
        if (text.includes(from)) body = JSON.parse(text.split(from).join(to)) as unknown;
      }
      return { ...response, headers, body };
    },
    noteInFlight(mb) {
      const s = statsOf(mb);
      s.requests++;
      s.peakInFlight = Math.max(s.peakInFlight, mb.inFlight);
    },
    noteRejection(mb) {
      statsOf(mb).concurrencyRejections++;
    },
  };
}
