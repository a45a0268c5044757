ALTER TABLE "tickets" ADD COLUMN "workflow_missing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "workflow_problem" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "workflow_checked_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tickets_reconcile_idx" ON "tickets" USING btree ("workflow_checked_at") WHERE not "tickets"."archived";--> statement-breakpoint
CREATE INDEX "tickets_workflow_missing_idx" ON "tickets" USING btree ("id") WHERE "tickets"."workflow_missing";