-- Issue #21: the manager's figures from counters kept with the read model, not counted from every
-- ticket on each request. ticket_counts: tickets not archived, by what /metrics, the dashboard's load
-- and the open backlog show; ticket_outcomes_hourly: resolutions by hour, line and type (the weekly
-- on-time share). Both are maintained by a trigger on tickets in the writer's own transaction and can
-- be rebuilt from tickets (`reglament reports rebuild`; `reglament reports check` compares).
CREATE TABLE "ticket_counts" (
	"regulation" text NOT NULL,
	"status" text NOT NULL,
	"line" text NOT NULL,
	"type" text NOT NULL,
	"organization_id" text NOT NULL,
	"assignee_id" text NOT NULL,
	"open" boolean NOT NULL,
	"breached" boolean NOT NULL,
	"awaiting_operator" boolean NOT NULL,
	"workflow_missing" boolean NOT NULL,
	"assignee_name" text,
	"n" integer NOT NULL,
	CONSTRAINT "ticket_counts_pk" PRIMARY KEY ("regulation","status","line","type","organization_id","assignee_id","open","breached","awaiting_operator","workflow_missing")
);
--> statement-breakpoint
CREATE TABLE "ticket_outcomes_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"regulation" text NOT NULL,
	"line" text NOT NULL,
	"type" text NOT NULL,
	"resolved" integer NOT NULL,
	"on_time" integer NOT NULL,
	CONSTRAINT "ticket_outcomes_hourly_pk" PRIMARY KEY ("hour","regulation","line","type")
);
--> statement-breakpoint
CREATE FUNCTION ticket_counts_add(t tickets, d integer) RETURNS void AS $$
BEGIN
  IF t.archived THEN RETURN; END IF;
  INSERT INTO ticket_counts AS c VALUES (t.regulation, t.status, t.line, t.type,
      coalesce(t.organization_id, ''), coalesce(t.assignee_id, ''), t.outcome_at IS NULL,
      t.sla_breached, t.awaiting_operator, t.workflow_missing, t.assignee_name, d)
    ON CONFLICT ON CONSTRAINT ticket_counts_pk
    DO UPDATE SET n = c.n + excluded.n, assignee_name = coalesce(excluded.assignee_name, c.assignee_name);
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE FUNCTION ticket_outcomes_add(t tickets, d integer) RETURNS void AS $$
BEGIN
  IF t.outcome_at IS NULL THEN RETURN; END IF;
  INSERT INTO ticket_outcomes_hourly AS o
    VALUES (date_trunc('hour', t.outcome_at), t.regulation, t.line, t.type, d, CASE WHEN t.sla_breached THEN 0 ELSE d END)
    ON CONFLICT ON CONSTRAINT ticket_outcomes_hourly_pk
    DO UPDATE SET resolved = o.resolved + excluded.resolved, on_time = o.on_time + excluded.on_time;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- What a change moves: the old row's contribution out, the new one's in, in the counters' key order
-- so that two writers moving tickets between the same two rows cannot deadlock.
CREATE FUNCTION tickets_counters() RETURNS trigger AS $$
DECLARE
  old_key text;
  new_key text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM ticket_counts_add(NEW, 1);
    PERFORM ticket_outcomes_add(NEW, 1);
    RETURN NULL;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM ticket_counts_add(OLD, -1);
    PERFORM ticket_outcomes_add(OLD, -1);
    RETURN NULL;
  END IF;
  old_key := ROW(OLD.archived, OLD.regulation, OLD.status, OLD.line, OLD.type, OLD.organization_id, OLD.assignee_id,
    OLD.outcome_at IS NULL, OLD.sla_breached, OLD.awaiting_operator, OLD.workflow_missing, OLD.assignee_name)::text;
  new_key := ROW(NEW.archived, NEW.regulation, NEW.status, NEW.line, NEW.type, NEW.organization_id, NEW.assignee_id,
    NEW.outcome_at IS NULL, NEW.sla_breached, NEW.awaiting_operator, NEW.workflow_missing, NEW.assignee_name)::text;
  IF old_key IS DISTINCT FROM new_key THEN
    IF old_key < new_key THEN
      PERFORM ticket_counts_add(OLD, -1);
      PERFORM ticket_counts_add(NEW, 1);
    ELSE
      PERFORM ticket_counts_add(NEW, 1);
      PERFORM ticket_counts_add(OLD, -1);
    END IF;
  END IF;
  IF (OLD.outcome_at, OLD.regulation, OLD.line, OLD.type, OLD.sla_breached)
     IS DISTINCT FROM (NEW.outcome_at, NEW.regulation, NEW.line, NEW.type, NEW.sla_breached) THEN
    IF coalesce(OLD.outcome_at, '-infinity') < coalesce(NEW.outcome_at, '-infinity') THEN
      PERFORM ticket_outcomes_add(OLD, -1);
      PERFORM ticket_outcomes_add(NEW, 1);
    ELSE
      PERFORM ticket_outcomes_add(NEW, 1);
      PERFORM ticket_outcomes_add(OLD, -1);
    END IF;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tickets_counters
  AFTER INSERT OR UPDATE OR DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_counters();
--> statement-breakpoint
INSERT INTO ticket_counts
  SELECT regulation, status, line, type, coalesce(organization_id, ''), coalesce(assignee_id, ''),
         outcome_at IS NULL, sla_breached, awaiting_operator, workflow_missing, max(assignee_name), count(*)::int
    FROM tickets WHERE NOT archived GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
--> statement-breakpoint
INSERT INTO ticket_outcomes_hourly
  SELECT date_trunc('hour', outcome_at), regulation, line, type, count(*)::int, count(*) FILTER (WHERE NOT sla_breached)::int
    FROM tickets WHERE outcome_at IS NOT NULL GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Inbound mail by state for /metrics: 0.8 M inbox rows at a region's scale are not counted per scrape.
CREATE TABLE "inbox_counts" (
	"status" text PRIMARY KEY NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE FUNCTION inbox_counts_add(s text, d integer) RETURNS void AS $$
  INSERT INTO inbox_counts AS c VALUES (s, d) ON CONFLICT (status) DO UPDATE SET n = c.n + excluded.n;
$$ LANGUAGE sql;
--> statement-breakpoint
CREATE FUNCTION inbox_counters() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM inbox_counts_add(NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM inbox_counts_add(OLD.status, -1);
  ELSIF OLD.status IS DISTINCT FROM NEW.status THEN
    IF OLD.status < NEW.status THEN
      PERFORM inbox_counts_add(OLD.status, -1);
      PERFORM inbox_counts_add(NEW.status, 1);
    ELSE
      PERFORM inbox_counts_add(NEW.status, 1);
      PERFORM inbox_counts_add(OLD.status, -1);
    END IF;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inbox_counters
  AFTER INSERT OR UPDATE OF status OR DELETE ON inbox
  FOR EACH ROW EXECUTE FUNCTION inbox_counters();
--> statement-breakpoint
INSERT INTO inbox_counts SELECT status, count(*)::int FROM inbox GROUP BY 1;
--> statement-breakpoint
-- The open backlog by age and the breaches of a period: small index-only ranges, not the whole table.
CREATE INDEX "tickets_open_received_idx" ON "tickets" USING btree ("received_at") INCLUDE ("regulation","status","organization_id") WHERE "outcome_at" IS NULL AND NOT "archived";
--> statement-breakpoint
CREATE INDEX "tickets_breached_received_idx" ON "tickets" USING btree ("received_at") WHERE "sla_breached";
--> statement-breakpoint
CREATE INDEX "tickets_outcome_idx" ON "tickets" USING btree ("outcome_at") WHERE "outcome_at" IS NOT NULL;
--> statement-breakpoint
-- The SLA report reads tickets received in a period: one index-only range with everything it counts.
CREATE INDEX "tickets_received_report_idx" ON "tickets" USING btree ("received_at") INCLUDE ("type","line","organization_id","assignee_id","outcome_at","sla_breached","resolution_minutes","paused_minutes");
--> statement-breakpoint
-- The console's filters (issue #21): each an ordered index range by SLA due, so a page reads its 50
-- rows instead of walking the queue to find rare ones (test/db/queuePlans.test.ts).
CREATE INDEX "tickets_type_sla_idx" ON "tickets" USING btree ("type","sla_sort","id");
--> statement-breakpoint
CREATE INDEX "tickets_line_sla_idx" ON "tickets" USING btree ("line","sla_sort","id");
--> statement-breakpoint
CREATE INDEX "tickets_status_sla_idx" ON "tickets" USING btree ("status","sla_sort","id");
--> statement-breakpoint
CREATE INDEX "tickets_breached_sla_idx" ON "tickets" USING btree ("sla_sort","id") WHERE "sla_breached";
--> statement-breakpoint
CREATE INDEX "tickets_awaiting_sla_idx" ON "tickets" USING btree ("sla_sort","id") WHERE "awaiting_operator";
--> statement-breakpoint
CREATE INDEX "tickets_missing_sla_idx" ON "tickets" USING btree ("sla_sort","id") WHERE "workflow_missing";
--> statement-breakpoint
DROP INDEX "tickets_status_idx";
--> statement-breakpoint
-- The reconciler reads tickets not archived in ID order and no longer stamps each one it checks.
DROP INDEX "tickets_reconcile_idx";
--> statement-breakpoint
CREATE INDEX "tickets_unarchived_idx" ON "tickets" USING btree ("id") WHERE NOT "archived";
--> statement-breakpoint
-- Issue #21 «search over what people wrote»: the searchable words besides subject and description are
-- what the initiator and the operators wrote (the text of their events: replies, questions, answers,
-- comments, reasons), not every mail of the ticket: the desk's own template letters made «заявка»
-- match every ticket, doubled each vector and pushed it out of line.
DROP TRIGGER "correspondence_search" ON "correspondence";
--> statement-breakpoint
DROP TRIGGER "tickets_mail_search" ON "tickets";
--> statement-breakpoint
DROP FUNCTION correspondence_search_append();
--> statement-breakpoint
DROP FUNCTION tickets_mail_search_init();
--> statement-breakpoint
CREATE FUNCTION event_words(e jsonb) RETURNS text AS $$
  SELECT CASE WHEN e->'by'->>'kind' IN ('operator', 'initiator')
              THEN nullif(concat_ws(' ', e->>'text', e->>'question', e->>'reason', e->>'note', e->>'answer'), '') END;
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE FUNCTION ticket_events_search_append() RETURNS trigger AS $$
DECLARE
  words text := event_words(NEW.event);
BEGIN
  IF words IS NOT NULL THEN
    UPDATE tickets SET mail_search = coalesce(mail_search, ''::tsvector) || to_tsvector('russian', words)
     WHERE id = NEW.ticket_id;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ticket_events_search
  AFTER INSERT ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_search_append();
--> statement-breakpoint
UPDATE tickets t SET mail_search = w.words
  FROM (SELECT t2.id, to_tsvector('russian', string_agg(event_words(e.event), ' ' ORDER BY e.seq)) AS words
          FROM tickets t2 LEFT JOIN ticket_events e ON e.ticket_id = t2.id AND event_words(e.event) IS NOT NULL
         GROUP BY t2.id) w
 WHERE w.id = t.id AND t.mail_search IS DISTINCT FROM w.words;
--> statement-breakpoint
-- Rare and common words estimated from a larger sample (the planner misjudged them 40×).
ALTER TABLE "tickets" ALTER COLUMN "search" SET STATISTICS 1000;
--> statement-breakpoint
ANALYZE "tickets";
