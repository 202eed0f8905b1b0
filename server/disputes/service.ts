/**
 * Disputes on a game: raised by a player of either side with a reason, a description and evidence;
 * answered by both sides; decided by the event's organizer (or an admin) with a written
 * explanation, on `dispute` authority (server/brackets/reports.ts resolveGameByAuthority); or
 * withdrawn by the side that raised it.
 *
 * Any player of a side may raise, answer and withdraw (evidence often comes from a teammate, not the
 * captain); reporting results stays with the captain. Each step runs in one transaction under the
 * bracket's header lock (taken first, as every bracket change does), so a statement and a decision
 * never interleave.
 */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { DisputeReason, DisputeStatementKind } from "@/db/schema/disputes";
import type { SessionUser } from "@/server/accounts/roles";
import { DISPUTES_CHANGED, lockMatchForChange } from "@/server/brackets/access";
import type { Side } from "@/server/brackets/engine";
import { openDispute, resolveGameByAuthority, sideOfUser } from "@/server/brackets/reports";
import { loadMatchByUuid } from "@/server/brackets/repository";
import { withdrawContest } from "@/server/brackets/withdrawal";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import { announce } from "@/server/live/announce";
import { notify } from "@/server/notifications/service";
import type { FileStore } from "@/server/storage/file-store";
import type { EvidenceFile } from "@/server/storage/evidence";
import { attachEvidence, describeAttachments } from "./evidence";
import { playersOfMatch, readDispute, standing, type DisputeRow } from "./repository";

export const reasonLabels: Record<DisputeReason, string> = {
  wrong_winner: "wrong winner",
  opponent_no_show: "opponent did not show up",
  cheating: "cheating",
  connection_issue: "connection issue",
  other: "other",
};

const disputeNotFound = () => new NotFound("We could not find that dispute.");
const link = (matchUuid: string, disputeId: string) => `/matches/${matchUuid}?dispute=${disputeId}`;

async function addStatement(
  tx: DbOrTx,
  input: {
    disputeId: string;
    authorId: string;
    side: Side | null;
    kind: DisputeStatementKind;
    body: string;
    files: readonly EvidenceFile[];
  },
): Promise<string> {
  const [row] = await tx.execute<{ id: string }>(sql`
    insert into dispute_statements (dispute_id, author_id, side, kind, body)
    values (${input.disputeId}, ${input.authorId}, ${input.side}, ${input.kind}, ${input.body}) returning id`);
  await attachEvidence(tx, input.disputeId, row!.id, input.files);
  return row!.id;
}

/** Tells the other side's players (and the organizer) about a new statement. */
async function notifyStatement(
  tx: DbOrTx,
  dispute: DisputeRow,
  author: SessionUser,
  side: Side,
  statementId: string,
  title: string,
  tellOrganizer: boolean,
) {
  const players = await playersOfMatch(tx, dispute.matchUuid);
  const recipients = players.filter((player) => player.side !== side).map((player) => player.userId);
  if (tellOrganizer) recipients.push(dispute.organizerId);
  const body = `${author.name} wrote on the dispute about game ${dispute.gameNumber} of ${dispute.label} in ${dispute.eventName}.`;
  for (const userId of new Set(recipients)) {
    await notify(tx, {
      userId,
      dedupeKey: `dispute:${dispute.id}:statement:${statementId}:${userId}`,
      title,
      body,
      link: link(dispute.matchUuid, dispute.id),
    });
  }
}

/**
 * The match page hears the step on the match's topic. The organizer's dispute queue follows the
 * organizer's own user topic (one topic for all their events, which only they may follow), so it
 * hears a dispute raised, answered, withdrawn or resolved too; the payload names nothing, and the
 * queue refetches through its authorized query. (A dispute opened by disagreeing reports reaches
 * that topic through the organizer's notification, which announces there.)
 */
const announceDispute = async (
  tx: DbOrTx,
  dispute: Pick<DisputeRow, "id" | "matchUuid" | "gameNumber" | "organizerId">,
  status: string,
  step: string,
) => {
  await announce(tx, `match:${dispute.matchUuid}`, {
    kind: "dispute",
    disputeId: dispute.id,
    gameNumber: dispute.gameNumber,
    status,
    step,
  });
  await announce(tx, `user:${dispute.organizerId}`, DISPUTES_CHANGED);
};

export interface RaiseInput {
  matchId: string;
  gameNumber: number;
  reason: DisputeReason;
  description: string;
  evidenceIds: string[];
}

/**
 * A player raises a dispute on a game. One open dispute per game: when one is open already (the
 * reports disagreed, or the other side raised it first) the statement and files are added to it
 * (`created: false`), so both sides disputing at once end in one dispute holding both accounts.
 */
export async function raiseDispute(db: Db, store: FileStore, actor: SessionUser, input: RaiseInput) {
  const files = await describeAttachments(store, actor.id, input.evidenceIds);
  return db.transaction(async (tx) => {
    await lockMatchForChange(tx, input.matchId);
    const mine = await sideOfUser(tx, input.matchId, actor.id);
    if (!mine) throw new Forbidden("Only the players of this match can dispute its games.");
    const match = (await loadMatchByUuid(tx, input.matchId))!;
    if (match.decidedBy === "organizer") {
      throw new Invalid("The organizer decided this match, so it cannot be disputed. Contact the organizer if it is wrong.");
    }
    const game = match.games[input.gameNumber - 1];
    if (game && (game.authority ?? "organizer") === "organizer") {
      throw new Invalid(`The organizer decided game ${input.gameNumber}, so it cannot be disputed. Contact the organizer if it is wrong.`);
    }
    const { disputeId, created } = await openDispute(tx, {
      matchId: input.matchId,
      gameNumber: input.gameNumber,
      openedBy: actor.id,
      side: mine.side,
      reason: input.reason,
      description: input.description,
    });
    const [{ opened } = { opened: false }] = await tx.execute<{ opened: boolean }>(
      sql`select exists (select 1 from dispute_statements where dispute_id = ${disputeId} and kind = 'opening') as opened`,
    );
    const statementId = await addStatement(tx, {
      disputeId,
      authorId: actor.id,
      side: mine.side,
      kind: opened ? "answer" : "opening",
      body: input.description,
      files,
    });
    const dispute = (await readDispute(tx, disputeId))!;
    // openDispute told the organizer about a new dispute; a statement on an open one is news to them too.
    await notifyStatement(
      tx,
      dispute,
      actor,
      mine.side,
      statementId,
      `Game ${input.gameNumber} is disputed (${reasonLabels[input.reason]})`,
      !created,
    );
    await announceDispute(tx, dispute, "open", created ? "raised" : "statement");
    return { disputeId, created, statementId };
  });
}

/** Loads a dispute for a change under its bracket's lock; the actor must be a player of it. */
async function lockDisputeForPlayer(tx: DbOrTx, actor: SessionUser, disputeId: string) {
  const first = await readDispute(tx, disputeId);
  if (!first) throw disputeNotFound();
  const { ref, header } = await lockMatchForChange(tx, first.matchUuid);
  const dispute = (await readDispute(tx, disputeId))!;
  const { side, manager } = await standing(tx, actor, dispute);
  if (side === null) {
    if (manager) throw new Forbidden("Only the players of this match write on its disputes. Resolve it with your explanation instead.");
    throw disputeNotFound();
  }
  return { ref, header, dispute, side };
}

function assertOpen(dispute: DisputeRow) {
  if (dispute.status !== "open") {
    throw new Invalid(`This dispute was ${dispute.status === "closed" ? "closed" : dispute.status}: it takes no more statements.`);
  }
}

/** Either side adds a statement (with files) to an open dispute, as often as it needs. */
export async function respondToDispute(
  db: Db,
  store: FileStore,
  actor: SessionUser,
  input: { disputeId: string; body: string; evidenceIds: string[] },
) {
  // Parse and ownership checks need no database; the store lookups run before the lock.
  const files = await describeAttachments(store, actor.id, input.evidenceIds);
  return db.transaction(async (tx) => {
    const { dispute, side } = await lockDisputeForPlayer(tx, actor, input.disputeId);
    assertOpen(dispute);
    const statementId = await addStatement(tx, {
      disputeId: dispute.id,
      authorId: actor.id,
      side,
      kind: "answer",
      body: input.body,
      files,
    });
    await notifyStatement(tx, dispute, actor, side, statementId, `New statement on the dispute about game ${dispute.gameNumber}`, true);
    await announceDispute(tx, dispute, "open", "statement");
    return { disputeId: dispute.id, statementId };
  });
}

/**
 * The side that raised a dispute takes it back. A dispute opened because the reports disagree has
 * no raiser: it ends when a side changes its report. While the reports on the game still disagree
 * the dispute cannot be withdrawn (the game would have no way to be decided).
 */
export async function withdrawDispute(db: Db, actor: SessionUser, input: { disputeId: string }) {
  return db.transaction(async (tx) => {
    const { ref, header, dispute, side } = await lockDisputeForPlayer(tx, actor, input.disputeId);
    assertOpen(dispute);
    if (dispute.side === null) {
      throw new Invalid("This dispute was opened because the reports disagree: change your report to settle it.");
    }
    if (dispute.side !== side) throw new Forbidden("Only the side that raised this dispute can withdraw it.");
    // The bracket marks its contested game withdrawn and, once none is left open on the match,
    // takes the match's reporting state back from `disputed`.
    await withdrawContest(tx, {
      header,
      matchId: ref.matchId,
      disputeId: dispute.id,
      gameNumber: dispute.gameNumber,
      actorId: actor.id,
      note: `Withdrawn by ${actor.name}.`,
    });
    const players = await playersOfMatch(tx, dispute.matchUuid);
    for (const userId of new Set([...players.filter((p) => p.side !== side).map((p) => p.userId), dispute.organizerId])) {
      await notify(tx, {
        userId,
        dedupeKey: `dispute:${dispute.id}:withdrawn:${userId}`,
        title: "A dispute was withdrawn",
        body: `${actor.name} withdrew the dispute about game ${dispute.gameNumber} of ${dispute.label} in ${dispute.eventName}.`,
        link: link(dispute.matchUuid, dispute.id),
      });
    }
    await announceDispute(tx, dispute, "withdrawn", "withdrawn");
    return { disputeId: dispute.id, status: "withdrawn" as const };
  });
}

/**
 * The organizer (or an admin) decides the disputed game for `winnerSide` with a written
 * explanation: the game on `dispute` authority, the explanation as the organizer's statement and
 * the dispute resolved, in one transaction. resolveGameByAuthority writes the match through
 * applyChange, which announces the match and bracket topics; only the dispute's own event is
 * announced here. A decision the authorities do not allow (the organizer decided the game) is
 * refused with the reason, and the dispute stays open.
 */
export async function resolveDispute(db: Db, actor: SessionUser, input: { disputeId: string; winnerSide: Side; explanation: string }) {
  return db.transaction(async (tx) => {
    const first = await readDispute(tx, input.disputeId);
    if (!first) throw disputeNotFound();
    const { manager, side } = await standing(tx, actor, first);
    if (!manager) {
      if (side === null && actor.role === "player") throw disputeNotFound();
      throw new Forbidden("Only this event's organizer can resolve its disputes.");
    }
    await lockMatchForChange(tx, first.matchUuid);
    const dispute = (await readDispute(tx, input.disputeId))!;
    if (dispute.status !== "open") throw new Invalid(`This dispute is already ${dispute.status}.`);
    if (dispute.resets !== dispute.matchResets) {
      throw new Invalid("This match's games were reset after the dispute was raised: decide the match from the console instead.");
    }
    const decision = await resolveGameByAuthority(tx, dispute.matchUuid, dispute.gameNumber, input.winnerSide, "dispute", {
      actorId: actor.id,
      note: input.explanation,
    });
    if (decision.outcome === "kept") throw new Invalid(decision.reason ?? "This game cannot be decided by a dispute.");
    const after = await readDispute(tx, dispute.id);
    if (after?.status !== "resolved") throw new Error(`dispute ${dispute.id} not resolved by resolveGameByAuthority (${after?.status})`);
    await addStatement(tx, {
      disputeId: dispute.id,
      authorId: actor.id,
      side: null,
      kind: "organizer_note",
      body: input.explanation,
      files: [],
    });

    const players = await playersOfMatch(tx, dispute.matchUuid);
    const winnerName = players.find((player) => player.side === input.winnerSide)?.entrantName ?? `Side ${input.winnerSide + 1}`;
    for (const userId of new Set(players.map((player) => player.userId))) {
      await notify(tx, {
        userId,
        dedupeKey: `dispute:${dispute.id}:resolved:${userId}`,
        title: `Dispute resolved: ${winnerName} won game ${dispute.gameNumber}`,
        body: `${dispute.label} in ${dispute.eventName}. The organizer explained: ${input.explanation}`.slice(0, 2000),
        link: link(dispute.matchUuid, dispute.id),
      });
    }
    await announceDispute(tx, dispute, "resolved", "resolved");
    return { disputeId: dispute.id, status: "resolved" as const, outcome: decision.outcome, match: decision.match };
  });
}
