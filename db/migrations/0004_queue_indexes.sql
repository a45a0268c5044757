DROP INDEX "tickets_org_idx";--> statement-breakpoint
DROP INDEX "tickets_assignee_idx";--> statement-breakpoint
CREATE INDEX "tickets_org_sla_idx" ON "tickets" USING btree ("organization_id","sla_sort","id");--> statement-breakpoint
CREATE INDEX "tickets_assignee_sla_idx" ON "tickets" USING btree ("assignee_id","sla_sort","id");