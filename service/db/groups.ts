/**
 * Group enrollment: an admin names an Entra group; its user members (nested groups included) are
 * enrolled, and the group is re-read every `GROUP_REFRESH_MINUTES` by one worker (claimed in the
 * database) so that a new member is enrolled and a member who left stops being synced. Only
 * enrollments the group made (`enrolled_by = 'group:<id>'`) are ever ended by it: a user who
 * enrolled from the pane, or was enrolled by a list, stays. A failed read changes nothing and is
 * recorded (`last_error`); ending an enrollment never deletes a contact anywhere.
 *
 * @example
 *   await enrollGroup(pool, readMembers, "5b1c…", "admin:ines@contoso.com", 5 * 60_000);
 *   await refreshDueGroups(pool, readMembers, 5 * 60_000, 60 * 60_000); // from the scheduler tick
 */
import type { Pool } from "pg";
import { AppError } from "../../src/core/errors";
import type { GroupMember } from "../graph/group-members";
import { enrollMailboxes } from "./mailboxes";

export type ReadGroupMembers = (groupId: string) => Promise<GroupMember[]>;

export interface GroupRow {
  groupId: string;
  enrolledBy: string;
  enrolledAt: string;
  active: boolean;
  lastResolvedAt: string | null;
  memberCount: number | null;
  lastError: string | null;
}

const tag = (groupId: string): string => `group:${groupId}`;

/** Brings the group's enrollments in line with its members; returns how many were added and ended. */
async function apply(
  pool: Pool,
  groupId: string,
  members: GroupMember[],
  intervalMs: number,
): Promise<{ enrolled: number; ended: number }> {
  const ids = members.map((m) => m.id);
  // New members only: an existing enrollment (self, list, another group) keeps its origin.
  const { rows: known } = await pool.query<{ mailbox_id: string; active: boolean; enrolled_by: string }>(
    "SELECT mailbox_id, active, enrolled_by FROM sync_mailbox WHERE mailbox_id = ANY($1)",
    [ids],
  );
  const byId = new Map(known.map((r) => [r.mailbox_id, r]));
  const fresh = members.filter((m) => {
    const row = byId.get(m.id);
    return !row || (!row.active && row.enrolled_by === tag(groupId));
  });
  let enrolled = 0;
  if (fresh.length > 0) {
    enrolled = await enrollMailboxes(
      pool,
      fresh.map((m) => ({ mailboxId: m.id, upn: m.upn })),
      tag(groupId),
      intervalMs,
    );
    await pool.query("UPDATE sync_mailbox SET enrolled_by = $2 WHERE mailbox_id = ANY($1)", [
      fresh.map((m) => m.id),
      tag(groupId),
    ]);
  }
  const ended = await pool.query(
    "UPDATE sync_mailbox SET active = false WHERE active AND enrolled_by = $1 AND NOT (mailbox_id = ANY($2))",
    [tag(groupId), ids],
  );
  await pool.query(
    "UPDATE sync_group SET last_resolved_at = now(), member_count = $2, last_error = NULL WHERE group_id = $1",
    [groupId, members.length],
  );
  return { enrolled, ended: ended.rowCount ?? 0 };
}

/**
 * Enrolls a group now (the admin endpoint). Graph's answer decides: a group it does not know is
 * `not-found`, a missing permission `forbidden`; then nothing is stored.
 */
export async function enrollGroup(
  pool: Pool,
  read: ReadGroupMembers,
  groupId: string,
  enrolledBy: string,
  intervalMs: number,
): Promise<{ enrolled: number; ended: number; members: number }> {
  const members = await read(groupId);
  await pool.query(
    // Just read: the next refresh is one period from now.
    `INSERT INTO sync_group (group_id, enrolled_by, refresh_claimed_at) VALUES ($1, $2, now())
     ON CONFLICT (group_id) DO UPDATE SET active = true, refresh_claimed_at = now()`,
    [groupId, enrolledBy],
  );
  return { ...(await apply(pool, groupId, members, intervalMs)), members: members.length };
}

/** Stops enrolling by the group and ends the enrollments it made (contacts stay as they are). */
export async function unenrollGroup(pool: Pool, groupId: string): Promise<boolean> {
  const r = await pool.query("UPDATE sync_group SET active = false WHERE group_id = $1 AND active", [
    groupId,
  ]);
  await pool.query("UPDATE sync_mailbox SET active = false WHERE active AND enrolled_by = $1", [
    tag(groupId),
  ]);
  return (r.rowCount ?? 0) > 0;
}

/**
 * Re-reads every active group not read for `refreshMs` (each claimed by one worker, so many
 * workers read a group once per period). Returns the groups read.
 */
export async function refreshDueGroups(
  pool: Pool,
  read: ReadGroupMembers,
  intervalMs: number,
  refreshMs: number,
): Promise<string[]> {
  const { rows } = await pool.query<{ group_id: string }>(
    `UPDATE sync_group SET refresh_claimed_at = now()
     WHERE active AND (refresh_claimed_at IS NULL OR refresh_claimed_at < now() - make_interval(secs => $1))
     RETURNING group_id`,
    [refreshMs / 1000],
  );
  for (const { group_id: groupId } of rows) {
    try {
      await apply(pool, groupId, await read(groupId), intervalMs);
    } catch (error) {
      // The group's enrollments stay as they were; the admin view shows why it was not read.
      await pool.query("UPDATE sync_group SET last_error = $2 WHERE group_id = $1", [
        groupId,
        AppError.from(error).message.slice(0, 500),
      ]);
    }
  }
  return rows.map((r) => r.group_id);
}

export async function listGroups(pool: Pool): Promise<GroupRow[]> {
  const { rows } = await pool.query<{
    group_id: string;
    enrolled_by: string;
    enrolled_at: Date;
    active: boolean;
    last_resolved_at: Date | null;
    member_count: number | null;
    last_error: string | null;
  }>("SELECT * FROM sync_group ORDER BY enrolled_at");
  return rows.map((r) => ({
    groupId: r.group_id,
    enrolledBy: r.enrolled_by,
    enrolledAt: r.enrolled_at.toISOString(),
    active: r.active,
    lastResolvedAt: r.last_resolved_at?.toISOString() ?? null,
    memberCount: r.member_count,
    lastError: r.last_error,
  }));
}
