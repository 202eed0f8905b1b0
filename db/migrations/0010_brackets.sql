CREATE TYPE "public"."bracket_action_kind" AS ENUM('start', 'result', 'record_game', 'correction', 'forfeit', 'double_forfeit', 'clear', 'dq', 'reinstate', 'undo', 'call', 'report', 'report_confirmed', 'deadline', 'dispute_opened', 'dispute_resolved', 'announce');--> statement-breakpoint
CREATE TYPE "public"."bracket_format" AS ENUM('single_elimination', 'double_elimination', 'round_robin', 'swiss', 'groups_playoffs');--> statement-breakpoint
CREATE TYPE "public"."bracket_match_status" AS ENUM('pending', 'ready', 'in_progress', 'completed', 'bye', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."bracket_status" AS ENUM('running', 'completed');--> statement-breakpoint
CREATE TYPE "public"."match_dispute_status" AS ENUM('open', 'resolved', 'withdrawn', 'closed');--> statement-breakpoint
CREATE TYPE "public"."match_report_state" AS ENUM('none', 'awaiting', 'disputed', 'overdue');--> statement-breakpoint
CREATE TYPE "public"."bracket_payout_status" AS ENUM('not_due', 'pending', 'paid', 'failed');--> statement-breakpoint
CREATE TYPE "public"."result_authority" AS ENUM('organizer', 'dispute', 'agreement', 'deadline');--> statement-breakpoint
CREATE TABLE "bracket_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bracket_id" uuid NOT NULL,
	"match_id" text,
	"touched" text[] DEFAULT '{}'::text[] NOT NULL,
	"actor_id" uuid,
	"kind" "bracket_action_kind" NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" bigint
);
--> statement-breakpoint
CREATE TABLE "bracket_entrants" (
	"bracket_id" uuid NOT NULL,
	"entrant_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"captain" boolean NOT NULL,
	"seed" integer NOT NULL,
	"name" text NOT NULL,
	"team_id" uuid,
	CONSTRAINT "bracket_entrants_bracket_id_entrant_id_user_id_pk" PRIMARY KEY("bracket_id","entrant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "bracket_matches" (
	"bracket_id" uuid NOT NULL,
	"match_id" text NOT NULL,
	"id" uuid NOT NULL,
	"stage" text NOT NULL,
	"round" integer NOT NULL,
	"position" integer NOT NULL,
	"ordinal" integer NOT NULL,
	"status" "bracket_match_status" NOT NULL,
	"best_of" integer NOT NULL,
	"sides" jsonb NOT NULL,
	"games" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"result" jsonb,
	"next_win" jsonb,
	"next_lose" jsonb,
	"played_if" jsonb,
	"decided_by" "result_authority",
	"report_state" "match_report_state" DEFAULT 'none' NOT NULL,
	"resets" integer DEFAULT 0 NOT NULL,
	"called_at" timestamp with time zone,
	"report_deadline" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bracket_matches_bracket_id_match_id_pk" PRIMARY KEY("bracket_id","match_id"),
	CONSTRAINT "bracket_matches_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "bracket_payouts" (
	"bracket_id" uuid NOT NULL,
	"entrant_id" text NOT NULL,
	"place" integer NOT NULL,
	"recipient_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"transfer_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bracket_payouts_bracket_id_entrant_id_pk" PRIMARY KEY("bracket_id","entrant_id"),
	CONSTRAINT "bracket_payouts_amount" CHECK ("bracket_payouts"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "brackets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"format" "bracket_format" NOT NULL,
	"settings" jsonb NOT NULL,
	"entrant_count" integer NOT NULL,
	"groups" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"disqualified" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" "bracket_status" DEFAULT 'running' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"open_matches" integer NOT NULL,
	"report_minutes" integer DEFAULT 30 NOT NULL,
	"placements" jsonb,
	"payout_status" "bracket_payout_status" DEFAULT 'not_due' NOT NULL,
	"payout_error" text,
	"prize_pool" bigint,
	"started_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	CONSTRAINT "brackets_counts" CHECK ("brackets"."open_matches" >= 0 and "brackets"."version" >= 1 and "brackets"."report_minutes" between 1 and 10080)
);
--> statement-breakpoint
CREATE TABLE "match_disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"match_id" uuid NOT NULL,
	"resets" integer NOT NULL,
	"game_number" integer NOT NULL,
	"status" "match_dispute_status" DEFAULT 'open' NOT NULL,
	"opened_by" uuid,
	"side" smallint,
	"reason" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution" jsonb
);
--> statement-breakpoint
CREATE TABLE "match_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"match_id" uuid NOT NULL,
	"resets" integer NOT NULL,
	"game_number" integer NOT NULL,
	"side" smallint NOT NULL,
	"reporter_id" uuid NOT NULL,
	"winner_side" smallint NOT NULL,
	"score" integer[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_reports_values" CHECK ("match_reports"."side" in (0, 1) and "match_reports"."winner_side" in (0, 1) and "match_reports"."game_number" >= 1
        and ("match_reports"."score" is null or (cardinality("match_reports"."score") = 2 and "match_reports"."score"[1] >= 0 and "match_reports"."score"[2] >= 0)))
);
--> statement-breakpoint
ALTER TABLE "bracket_actions" ADD CONSTRAINT "bracket_actions_bracket_id_brackets_id_fk" FOREIGN KEY ("bracket_id") REFERENCES "public"."brackets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bracket_actions" ADD CONSTRAINT "bracket_actions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bracket_entrants" ADD CONSTRAINT "bracket_entrants_bracket_id_brackets_id_fk" FOREIGN KEY ("bracket_id") REFERENCES "public"."brackets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bracket_entrants" ADD CONSTRAINT "bracket_entrants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bracket_matches" ADD CONSTRAINT "bracket_matches_bracket_id_brackets_id_fk" FOREIGN KEY ("bracket_id") REFERENCES "public"."brackets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bracket_payouts" ADD CONSTRAINT "bracket_payouts_bracket_id_brackets_id_fk" FOREIGN KEY ("bracket_id") REFERENCES "public"."brackets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bracket_payouts" ADD CONSTRAINT "bracket_payouts_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bracket_payouts" ADD CONSTRAINT "bracket_payouts_transfer_id_ledger_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brackets" ADD CONSTRAINT "brackets_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brackets" ADD CONSTRAINT "brackets_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_disputes" ADD CONSTRAINT "match_disputes_match_id_bracket_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."bracket_matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_disputes" ADD CONSTRAINT "match_disputes_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_disputes" ADD CONSTRAINT "match_disputes_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_reports" ADD CONSTRAINT "match_reports_match_id_bracket_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."bracket_matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_reports" ADD CONSTRAINT "match_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bracket_actions_bracket_idx" ON "bracket_actions" USING btree ("bracket_id","id");--> statement-breakpoint
CREATE INDEX "bracket_actions_touched_idx" ON "bracket_actions" USING gin ("touched");--> statement-breakpoint
CREATE INDEX "bracket_entrants_user_idx" ON "bracket_entrants" USING btree ("user_id","bracket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bracket_entrants_captain_idx" ON "bracket_entrants" USING btree ("bracket_id","seed") WHERE "bracket_entrants"."captain";--> statement-breakpoint
CREATE INDEX "bracket_matches_status_idx" ON "bracket_matches" USING btree ("bracket_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "brackets_event_idx" ON "brackets" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "match_disputes_open_idx" ON "match_disputes" USING btree ("match_id","resets","game_number") WHERE "match_disputes"."status" = 'open';--> statement-breakpoint
CREATE INDEX "match_disputes_status_idx" ON "match_disputes" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "match_disputes_match_idx" ON "match_disputes" USING btree ("match_id");--> statement-breakpoint
CREATE UNIQUE INDEX "match_reports_game_side_idx" ON "match_reports" USING btree ("match_id","resets","game_number","side");