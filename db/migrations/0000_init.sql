CREATE SEQUENCE "public"."ticket_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100001 CACHE 1;--> statement-breakpoint
CREATE TABLE "authorized_persons" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"full_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"position" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "correspondence" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" text,
	"direction" text NOT NULL,
	"key" text NOT NULL,
	"template" text,
	"message_id" text,
	"in_reply_to" text,
	"from_address" text,
	"to_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject" text,
	"body" text,
	"status" text NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"attachments" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "faq_articles" (
	"id" text PRIMARY KEY NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"keywords" text DEFAULT '' NOT NULL,
	"source" text,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('russian', question), 'A') || setweight(to_tsvector('russian', keywords), 'B') || setweight(to_tsvector('russian', answer), 'C')) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_suppressions" (
	"address" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"inn" text,
	"domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_events" (
	"ticket_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" jsonb NOT NULL,
	"event" jsonb NOT NULL,
	CONSTRAINT "ticket_events_ticket_id_seq_pk" PRIMARY KEY("ticket_id","seq")
);
--> statement-breakpoint
CREATE TABLE "ticket_starts" (
	"source" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"number" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" text PRIMARY KEY NOT NULL,
	"regulation" text NOT NULL,
	"regulation_version" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"line" text NOT NULL,
	"channel" text NOT NULL,
	"assignee_id" text,
	"assignee_name" text,
	"organization" text,
	"organization_id" text,
	"initiator_name" text,
	"initiator_email" text,
	"subject" text,
	"description" text,
	"received_at" timestamp with time zone NOT NULL,
	"registered_at" timestamp with time zone,
	"outcome_at" timestamp with time zone,
	"sla_due_at" timestamp with time zone,
	"sla_breached" boolean DEFAULT false NOT NULL,
	"sla_paused" boolean DEFAULT false NOT NULL,
	"resolution_minutes" integer,
	"paused_minutes" integer,
	"awaiting_operator" boolean DEFAULT false NOT NULL,
	"obscene" boolean DEFAULT false NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"seq" integer NOT NULL,
	"state" jsonb NOT NULL,
	"mail_search" "tsvector",
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('russian', coalesce(subject, '')), 'A') || setweight(to_tsvector('russian', coalesce(description, '')), 'B') || coalesce(mail_search, ''::tsvector)) STORED,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "authorized_persons" ADD CONSTRAINT "authorized_persons_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "authorized_persons_email_idx" ON "authorized_persons" USING btree (lower("email"),"organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "correspondence_key_idx" ON "correspondence" USING btree ("key");--> statement-breakpoint
CREATE INDEX "correspondence_ticket_idx" ON "correspondence" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE INDEX "correspondence_message_id_idx" ON "correspondence" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "faq_search_idx" ON "faq_articles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "ticket_events_at_idx" ON "ticket_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "tickets_status_idx" ON "tickets" USING btree ("status");--> statement-breakpoint
CREATE INDEX "tickets_sla_due_idx" ON "tickets" USING btree ("sla_due_at","id");--> statement-breakpoint
CREATE INDEX "tickets_received_idx" ON "tickets" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "tickets_org_idx" ON "tickets" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "tickets_assignee_idx" ON "tickets" USING btree ("assignee_id");--> statement-breakpoint
CREATE INDEX "tickets_search_idx" ON "tickets" USING gin ("search");