CREATE TABLE "ticket_problems" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"detail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inbox" ADD COLUMN "organization_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_problems_key_idx" ON "ticket_problems" USING btree ("ticket_id","kind","key");--> statement-breakpoint
CREATE INDEX "ticket_problems_created_idx" ON "ticket_problems" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "inbox_org_status_idx" ON "inbox" USING btree ("organization_id","status","id");