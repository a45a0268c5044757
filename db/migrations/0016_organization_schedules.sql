ALTER TABLE "organizations" ADD COLUMN "calendar" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "schedule" jsonb;
