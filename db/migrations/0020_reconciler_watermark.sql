-- Issue #21: the reconciler checks only what changed since its last pass. `changed_at` is the
-- database's time of a ticket's last new snapshot (`updated_at` is the ticket's own event time, which
-- a late or retried write can carry from long ago). A constant default: no table rewrite at 1M rows.
ALTER TABLE "tickets" ADD COLUMN "changed_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
CREATE INDEX "tickets_changed_idx" ON "tickets" USING btree ("changed_at","id") WHERE not "tickets"."archived";
--> statement-breakpoint
-- Where the passes got to, shared by every replica (one runs a pass at a time, under an advisory lock).
CREATE TABLE "reconciler_passes" (
	"name" text PRIMARY KEY NOT NULL,
	"watermark" timestamp with time zone NOT NULL,
	"full_pass_at" timestamp with time zone
);
