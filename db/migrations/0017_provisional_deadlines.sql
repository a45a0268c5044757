ALTER TABLE "tickets" ADD COLUMN "sla_due_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Issue #20: rows written before the column existed. A deadline on or after 1 January of the year after
-- the ticket's calendar's last loaded year (the built-in 2023–2027 when it carries none), local time of
-- its regulation, is provisional; every later write of the row recomputes it in the domain.
UPDATE "tickets" SET "sla_due_provisional" = true
 WHERE "sla_due_at" IS NOT NULL
   AND "sla_due_at" >= (make_date(coalesce(("state" -> 'calendar' ->> 'lastYear')::int, 2027) + 1, 1, 1)::timestamp
       AT TIME ZONE coalesce("state" -> 'regulation' -> 'settings' ->> 'timeZone',
         CASE "regulation" WHEN 'primorye' THEN 'Asia/Vladivostok' ELSE 'Europe/Moscow' END));--> statement-breakpoint
-- The SLA report counts provisional deadlines per group through this index (a handful of tickets).
CREATE INDEX "tickets_provisional_received_idx" ON "tickets" USING btree ("received_at") WHERE "sla_due_provisional";
