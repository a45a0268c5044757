CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"organization_id" text,
	"person_id" text,
	"person_name" text,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "tickets_sla_due_idx";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_sort" timestamp with time zone GENERATED ALWAYS AS (coalesce(sla_due_at, 'infinity'::timestamptz)) STORED;--> statement-breakpoint
CREATE INDEX "tickets_sla_sort_idx" ON "tickets" USING btree ("sla_sort","id");