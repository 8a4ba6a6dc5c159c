/**
 * The user members of an Entra group, nested groups included, read with the service's app-only
 * token: `GET /groups/{id}/transitiveMembers/microsoft.graph.user` (application permission
 * GroupMember.Read.All; without User.Read.All Graph returns ids only, which is all the service
 * needs: a mailbox is a user's object id). Pages of 999 through `@odata.nextLink`.
 *
 * @example
 *   const members = await listGroupUsers({ baseUrl, tokens }, "5b1c…"); // [{ id, upn }]
 */
import { z } from "zod";
import { createGraphClient, toAppError } from "../../src/adapters/graph/graph-client";
import type { FetchOptions } from "@microsoft/microsoft-graph-client";
import { AppError } from "../../src/core/errors";
import type { TokenProvider } from "../../src/core/ports";

const pageSchema = z.object({
  value: z.array(z.object({ id: z.string().min(1), userPrincipalName: z.string().nullish() })),
  "@odata.nextLink": z.string().optional(),
});

export interface GroupMember {
  id: string;
  upn: string | null;
}

export interface GroupReadOptions {
  baseUrl: string;
  tokens: TokenProvider;
  fetchOptions?: FetchOptions;
}

/** Every user in the group (each once). Rejects with an AppError naming what Graph answered. */
export async function listGroupUsers(options: GroupReadOptions, groupId: string): Promise<GroupMember[]> {
  const { client, relative } = createGraphClient(options);
  const members = new Map<string, GroupMember>();
  let next: string | undefined =
    `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id,userPrincipalName&$top=999`;
  while (next) {
    const raw: unknown = await (client.api(next).get() as Promise<unknown>).catch((e: unknown) => {
      throw toAppError(e);
    });
    const page = pageSchema.safeParse(raw);
    if (!page.success)
      throw new AppError("bad-response", "Graph answered the group's members in an unknown form.");
    for (const m of page.data.value) members.set(m.id, { id: m.id, upn: m.userPrincipalName ?? null });
    next = page.data["@odata.nextLink"] ? relative(page.data["@odata.nextLink"]) : undefined;
  }
  return [...members.values()];
}
