-- Issue #21 «every filter the console offers stays fast at 1M»: organisation + status was answered by
-- intersecting every ticket of the organisation with every ticket of the statuses (13,264 and 33,700
-- index entries for 428 rows, 21 ms at 1M). Ordered by the two together, it is one short range per
-- status (an organisation-scoped person's queue filtered by status is the same shape).
CREATE INDEX "tickets_org_status_sla_idx" ON "tickets" USING btree ("organization_id", "status", "sla_sort", "id");
