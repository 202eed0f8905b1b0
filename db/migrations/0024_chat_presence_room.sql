ALTER TABLE "chat_presence" ADD COLUMN "room_id" uuid;--> statement-breakpoint
ALTER TABLE "chat_presence" ADD COLUMN "room_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_presence" ADD CONSTRAINT "chat_presence_room_id_chat_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."chat_rooms"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_presence_room_idx" ON "chat_presence" USING btree ("room_id");