CREATE TYPE "public"."ledger_account_kind" AS ENUM('wallet_available', 'wallet_held', 'card_clearing', 'event_escrow', 'fee_revenue', 'withdrawals_payable', 'adjustments');--> statement-breakpoint
CREATE TYPE "public"."ledger_hold_status" AS ENUM('pending', 'posted', 'voided');--> statement-breakpoint
CREATE TYPE "public"."ledger_transfer_category" AS ENUM('topup', 'entry_fee', 'refund', 'prize', 'withdrawal', 'adjustment');--> statement-breakpoint
CREATE TYPE "public"."ledger_transfer_operation" AS ENUM('credit', 'debit', 'hold', 'post', 'void', 'transfer', 'refund');--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "ledger_account_kind" NOT NULL,
	"user_id" uuid,
	"event_id" uuid,
	"currency" text DEFAULT 'USD' NOT NULL,
	"balance" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_wallet_balance" CHECK (("ledger_accounts"."kind" in ('wallet_available', 'wallet_held')) = ("ledger_accounts"."balance" is not null) and coalesce("ledger_accounts"."balance", 0) >= 0),
	CONSTRAINT "ledger_accounts_wallet_owner" CHECK (("ledger_accounts"."kind" in ('wallet_available', 'wallet_held')) = ("ledger_accounts"."user_id" is not null)),
	CONSTRAINT "ledger_accounts_escrow_event" CHECK (("ledger_accounts"."kind" = 'event_escrow') = ("ledger_accounts"."event_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_amount_nonzero" CHECK ("ledger_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"posted_amount" bigint DEFAULT 0 NOT NULL,
	"status" "ledger_hold_status" DEFAULT 'pending' NOT NULL,
	"category" "ledger_transfer_category" NOT NULL,
	"description" text NOT NULL,
	"hold_transfer_id" uuid NOT NULL,
	"settle_transfer_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "ledger_holds_amounts" CHECK ("ledger_holds"."amount" > 0 and "ledger_holds"."posted_amount" between 0 and "ledger_holds"."amount")
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"params_hash" text NOT NULL,
	"category" "ledger_transfer_category" NOT NULL,
	"operation" "ledger_transfer_operation" NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"description" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"refund_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_transfers_amount_positive" CHECK ("ledger_transfers"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transfer_id_ledger_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_hold_transfer_id_ledger_transfers_id_fk" FOREIGN KEY ("hold_transfer_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_settle_transfer_id_ledger_transfers_id_fk" FOREIGN KEY ("settle_transfer_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_user_kind_idx" ON "ledger_accounts" USING btree ("user_id","kind") WHERE "ledger_accounts"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_event_kind_idx" ON "ledger_accounts" USING btree ("event_id","kind") WHERE "ledger_accounts"."event_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_platform_kind_idx" ON "ledger_accounts" USING btree ("kind") WHERE "ledger_accounts"."user_id" is null and "ledger_accounts"."event_id" is null;--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "ledger_entries_transfer_idx" ON "ledger_entries" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "ledger_holds_user_idx" ON "ledger_holds" USING btree ("user_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_idempotency_key_idx" ON "ledger_transfers" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "ledger_transfers_refund_of_idx" ON "ledger_transfers" USING btree ("refund_of") WHERE "ledger_transfers"."refund_of" is not null;