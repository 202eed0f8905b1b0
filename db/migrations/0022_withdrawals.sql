CREATE TYPE "public"."payout_account_kind" AS ENUM('iban', 'local');--> statement-breakpoint
CREATE TYPE "public"."withdrawal_status" AS ENUM('requested', 'approved', 'sent', 'paid', 'failed', 'rejected', 'canceled');--> statement-breakpoint
CREATE TABLE "sim_bank_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"last4" text NOT NULL,
	"bank_name" text,
	"fails_at_payout" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sim_bank_accounts_idempotencyKey_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "sim_payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"params_hash" text NOT NULL,
	"destination" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"failure_message" text,
	"arrival_date" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sim_payouts_idempotencyKey_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "payout_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"holder_name" text NOT NULL,
	"kind" "payout_account_kind" NOT NULL,
	"country" text NOT NULL,
	"bank_name" text,
	"last4" text NOT NULL,
	"number_ciphertext" text NOT NULL,
	"key_version" integer NOT NULL,
	"gateway_connected_account_id" text,
	"gateway_external_account_id" text,
	"gateway" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "payout_accounts_idempotencyKey_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "payout_accounts_last4" CHECK ("payout_accounts"."last4" ~ '^[0-9A-Z]{4}$')
);
--> statement-breakpoint
CREATE TABLE "withdrawals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"payout_account_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"fee" bigint NOT NULL,
	"status" "withdrawal_status" DEFAULT 'requested' NOT NULL,
	"idempotency_key" text NOT NULL,
	"hold_id" uuid NOT NULL,
	"request_ip" text,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"second_factor" boolean DEFAULT false NOT NULL,
	"decided_by" uuid,
	"decision_reason" text,
	"gateway_payout_id" text,
	"failure_message" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "withdrawals_idempotencyKey_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "withdrawals_amount" CHECK ("withdrawals"."amount" > 0 and "withdrawals"."fee" >= 0)
);
--> statement-breakpoint
ALTER TABLE "sim_payouts" ADD CONSTRAINT "sim_payouts_destination_sim_bank_accounts_id_fk" FOREIGN KEY ("destination") REFERENCES "public"."sim_bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_accounts" ADD CONSTRAINT "payout_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_payout_account_id_payout_accounts_id_fk" FOREIGN KEY ("payout_account_id") REFERENCES "public"."payout_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_accounts_one_open" ON "payout_accounts" USING btree ("user_id") WHERE "payout_accounts"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "payout_accounts_user" ON "payout_accounts" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "withdrawals_user" ON "withdrawals" USING btree ("user_id","requested_at");--> statement-breakpoint
CREATE INDEX "withdrawals_status" ON "withdrawals" USING btree ("status","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "withdrawals_gateway_payout" ON "withdrawals" USING btree ("gateway_payout_id");