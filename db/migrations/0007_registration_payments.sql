ALTER TYPE "public"."payment_purpose" ADD VALUE 'registration';--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "purpose_ref" uuid;