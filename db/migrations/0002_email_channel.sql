CREATE TABLE "attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text,
	"inbox_id" bigint,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"envelope_from" text DEFAULT '' NOT NULL,
	"envelope_to" text[] NOT NULL,
	"remote_address" text,
	"raw" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"message_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"outcome" text,
	"ticket_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"error" text,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "correspondence" ADD COLUMN "automatic" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "attachments_ticket_idx" ON "attachments" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "attachments_inbox_sha_idx" ON "attachments" USING btree ("inbox_id","sha256","file_name");--> statement-breakpoint
CREATE INDEX "inbox_pending_idx" ON "inbox" USING btree ("next_attempt_at") WHERE "inbox"."status" in ('pending', 'processing');--> statement-breakpoint
CREATE INDEX "inbox_message_id_idx" ON "inbox" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "inbox_status_idx" ON "inbox" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "correspondence_auto_idx" ON "correspondence" USING gin ("to_addresses") WHERE "correspondence"."automatic";--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_starts_ticket_idx" ON "ticket_starts" USING btree ("ticket_id");