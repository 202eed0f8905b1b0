import { and, count, desc, eq, gte, ilike, inArray, lt, or, type SQL, type SQLWrapper } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema/platform";
import { userDirectory } from "@/server/accounts/directory";
import { AUDIT_PAGE_SIZE, type auditLogInput } from "./schemas";
import type { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The directory's id, name and email under another name, to join it as the actor and as the target. */
function people<Name extends string>(name: Name) {
  return new QueryBuilder()
    .select({ id: userDirectory.id, name: userDirectory.name, email: userDirectory.email })
    .from(userDirectory)
    .as(name);
}

/** Rows whose `column` names a user matching `term`: their id, or part of their name or email. */
function namesUser(column: SQLWrapper & Parameters<typeof eq>[0], term: string): SQL {
  if (UUID.test(term)) return eq(column, term.toLowerCase());
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matching = new QueryBuilder()
    .select({ id: userDirectory.id })
    .from(userDirectory)
    .where(or(ilike(userDirectory.name, pattern), ilike(userDirectory.email, pattern)));
  return inArray(column, matching);
}

/**
 * The audit log, newest first, a page at a time: who did what to whom, filtered by actor and target
 * (a name, an email or an id), action and a time range (`to` excluded). Names come from the user
 * directory as they are now; a deleted user's rows keep their action with no name.
 */
export async function auditLogPage(db: DbOrTx, input: z.output<typeof auditLogInput>) {
  const filters: SQL[] = [];
  if (input.actor) filters.push(namesUser(auditLog.actorId, input.actor));
  if (input.target) filters.push(namesUser(auditLog.targetUserId, input.target));
  if (input.action) filters.push(eq(auditLog.action, input.action));
  if (input.from) filters.push(gte(auditLog.createdAt, input.from));
  if (input.to) filters.push(lt(auditLog.createdAt, input.to));
  const where = filters.length > 0 ? and(...filters) : undefined;
  const actor = people("actor");
  const target = people("target");
  const [rows, [total], actions] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        action: auditLog.action,
        details: auditLog.details,
        createdAt: auditLog.createdAt,
        actorId: auditLog.actorId,
        actorName: actor.name,
        actorEmail: actor.email,
        targetUserId: auditLog.targetUserId,
        targetName: target.name,
        targetEmail: target.email,
      })
      .from(auditLog)
      .leftJoin(actor, eq(actor.id, auditLog.actorId))
      .leftJoin(target, eq(target.id, auditLog.targetUserId))
      .where(where)
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((input.page - 1) * AUDIT_PAGE_SIZE),
    db.select({ value: count() }).from(auditLog).where(where),
    db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action),
  ]);
  const totalCount = total?.value ?? 0;
  return {
    entries: rows.map((row) => ({
      id: row.id,
      action: row.action,
      details: row.details,
      createdAt: row.createdAt,
      actor: row.actorId ? { id: row.actorId, name: row.actorName, email: row.actorEmail } : null,
      target: row.targetUserId ? { id: row.targetUserId, name: row.targetName, email: row.targetEmail } : null,
    })),
    total: totalCount,
    page: input.page,
    pageCount: Math.max(1, Math.ceil(totalCount / AUDIT_PAGE_SIZE)),
    /** The actions recorded so far, for the filter's choices. */
    actions: actions.map((row) => row.action),
  };
}
