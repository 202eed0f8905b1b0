CREATE TABLE "evidence_uploads" (
	"evidence_id" text PRIMARY KEY NOT NULL,
	"uploader_id" uuid NOT NULL,
	"size" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attached_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "evidence_uploads" ADD CONSTRAINT "evidence_uploads_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_uploads_uploader_idx" ON "evidence_uploads" USING btree ("uploader_id","created_at");--> statement-breakpoint
CREATE INDEX "evidence_uploads_unattached_idx" ON "evidence_uploads" USING btree ("created_at") WHERE "evidence_uploads"."attached_at" is null;
--> statement-breakpoint
-- Files attached before uploads were recorded: marked attached, so the clean-up never takes them.
INSERT INTO "evidence_uploads" ("evidence_id", "uploader_id", "size", "created_at", "attached_at")
  SELECT "evidence_id", "uploader_id", "size", "created_at", "created_at" FROM "dispute_evidence" ON CONFLICT DO NOTHING;
