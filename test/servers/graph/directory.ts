/**
 * The part of Entra ID's directory the sync service reads through Graph: a group's members, for
 * "an admin enrolls a group" (FIDELITY point 21, evidence in docs/graph-emulator.md):
 * - `GET /groups/{id}/transitiveMembers` returns the flat list of all nested members, each with its
 *   `@odata.type`; the OData cast `/microsoft.graph.user` (or `.group`) narrows it, any other cast
 *   is 400 `Request_UnsupportedQuery` (docs: group-list-transitivemembers);
 * - application permission GroupMember.Read.All is required (else 403
 *   `Authorization_RequestDenied`); without a permission to read users (User.Read.All) members come
 *   with limited information: `id` and `@odata.type` only, other properties null (docs: "Limited
 *   information returned for inaccessible member objects");
 * - pages of `$top` (default 100, at most 999) with `@odata.nextLink`; an unknown group is 404
 *   `Request_ResourceNotFound`.
 *
 * @example
 *   graph.directory.addGroup("sales", ["oid-1", "oid-2", "team-north"]);
 *   graph.directory.addGroup("team-north", ["oid-3"]);
 *   graph.directory.grant("app-token", { groupMembers: true, users: false });
 */
import { graphError, type EmuResponse } from "./mailbox";

export interface DirectoryUser {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string;
}

export interface Directory {
  /** Registers or replaces a group; members are user ids or ids of other groups (nested). */
  addGroup(id: string, members: string[]): void;
  /** Registers a user's directory properties (shown when the app may read users). */
  addUser(user: DirectoryUser): void;
  /** The application permissions of an app token (default: none). */
  grant(token: string, permissions: { groupMembers?: boolean; users?: boolean }): void;
  /** Internal (emulator.ts): answers a directory route, or null when `path` is not one. */
  handle(
    appToken: string | null,
    method: string,
    path: string,
    query: URLSearchParams,
    base: string,
  ): EmuResponse | null;
}

const ROUTE = /^\/groups\/([^/]+)\/transitiveMembers(?:\/microsoft\.graph\.([A-Za-z]+))?\/?$/i;

export function createDirectory(): Directory {
  const groups = new Map<string, string[]>();
  const users = new Map<string, DirectoryUser>();
  const grants = new Map<string, { groupMembers: boolean; users: boolean }>();

  /** Every member of a group, nested groups expanded (each once; cycles are harmless). */
  const flatten = (id: string): { users: string[]; groups: string[] } => {
    const seenGroups = new Set<string>([id]);
    const seenUsers = new Set<string>();
    const queue = [...(groups.get(id) ?? [])];
    while (queue.length > 0) {
      const member = queue.shift() as string;
      if (groups.has(member)) {
        if (seenGroups.has(member)) continue;
        seenGroups.add(member);
        queue.push(...(groups.get(member) ?? []));
      } else seenUsers.add(member);
    }
    seenGroups.delete(id);
    return { users: [...seenUsers], groups: [...seenGroups] };
  };

  return {
    addGroup(id, members) {
      groups.set(id, [...members]);
    },
    addUser(user) {
      users.set(user.id, user);
    },
    grant(token, permissions) {
      grants.set(token, {
        groupMembers: permissions.groupMembers ?? false,
        users: permissions.users ?? false,
      });
    },
    handle(appToken, method, path, query, base) {
      const m = ROUTE.exec(path);
      if (!m) return null;
      const groupId = decodeURIComponent(m[1]);
      const cast = m[2]?.toLowerCase();
      if (method !== "GET")
        return graphError(
          405,
          "Request_BadRequest",
          "Specified HTTP method is not allowed for the request target.",
        );
      const grant = appToken ? grants.get(appToken) : undefined;
      if (!grant?.groupMembers)
        return graphError(
          403,
          "Authorization_RequestDenied",
          "Insufficient privileges to complete the operation.",
        );
      if (cast !== undefined && cast !== "user" && cast !== "group")
        return graphError(
          400,
          "Request_UnsupportedQuery",
          `The type 'microsoft.graph.${m[2]}' is not supported here.`,
        );
      if (!groups.has(groupId))
        return graphError(
          404,
          "Request_ResourceNotFound",
          `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
        );
      const top = Number(query.get("$top") ?? 100);
      if (!Number.isInteger(top) || top < 1 || top > 999)
        return graphError(400, "Request_BadRequest", "Invalid page size specified: the maximum is 999.");
      const skip = Number(query.get("$skiptoken") ?? 0) || 0;
      const { users: userIds, groups: groupIds } = flatten(groupId);
      const all = [
        ...(cast === "group" ? [] : userIds.map((id) => ({ kind: "user" as const, id }))),
        ...(cast === "user" ? [] : groupIds.map((id) => ({ kind: "group" as const, id }))),
      ];
      const page = all.slice(skip, skip + top).map((member) => {
        if (member.kind === "group")
          return { "@odata.type": "#microsoft.graph.group", id: member.id, displayName: null };
        const u = users.get(member.id);
        return {
          "@odata.type": "#microsoft.graph.user",
          id: member.id,
          displayName: grant.users ? (u?.displayName ?? null) : null,
          userPrincipalName: grant.users ? (u?.userPrincipalName ?? null) : null,
          mail: grant.users ? (u?.mail ?? null) : null,
        };
      });
      const next = new URLSearchParams(query);
      next.set("$skiptoken", String(skip + top));
      const castPath = m[2] ? `/microsoft.graph.${m[2]}` : "";
      return {
        status: 200,
        headers: { "Content-Type": "application/json" },
        body: {
          "@odata.context": `${base}/$metadata#directoryObjects`,
          value: page,
          ...(skip + top < all.length
            ? {
                "@odata.nextLink": `${base}/groups/${encodeURIComponent(groupId)}/transitiveMembers${castPath}?${next.toString()}`,
              }
            : {}),
        },
      };
    },
  };
}
