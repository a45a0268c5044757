-- Issue #21 «managers' figures from maintained aggregates», the rest of the dashboard and the SLA
-- report: every figure from tables kept by a trigger on tickets in the writer's own transaction, keyed
-- by scope ('*' = the whole installation, otherwise the organisation's ID), so that an organisation's
-- dashboard reads the same aggregates as the whole desk's. Only the period's partial first and last
-- day (or hour) are counted from tickets, each one bounded index range.
--
-- ticket_sla_daily: tickets by UTC day (span 'd') and month (span 'm', "day" its first day) of
-- receipt and one grouping of the SLA report (type, line, organization, assignee): how many, resolved,
-- on time, breached, breached and still open, paused. A year reads 12 months and the days around them.
CREATE TABLE "ticket_sla_daily" (
	"scope" text NOT NULL,
	"dimension" text NOT NULL,
	"span" text NOT NULL,
	"day" date NOT NULL,
	"value" text NOT NULL,
	"label" text,
	"tickets" integer NOT NULL,
	"resolved" integer NOT NULL,
	"on_time" integer NOT NULL,
	"breached" integer NOT NULL,
	"open_breached" integer NOT NULL,
	"paused_minutes" bigint NOT NULL,
	CONSTRAINT "ticket_sla_daily_pk" PRIMARY KEY ("scope","dimension","span","day","value")
);
--> statement-breakpoint
-- The resolution time of resolved tickets as a histogram: bucket 0 holds 0 working minutes, bucket
-- b ≥ 1 holds [2^((b-1)/8), 2^(b/8)) minutes (each bound 1.09 × the previous one), with the sum of its
-- minutes, so a percentile is exact when its bucket holds one value and within 9 % otherwise.
CREATE TABLE "ticket_sla_histogram" (
	"scope" text NOT NULL,
	"dimension" text NOT NULL,
	"span" text NOT NULL,
	"day" date NOT NULL,
	"value" text NOT NULL,
	"bucket" smallint NOT NULL,
	"n" integer NOT NULL,
	"minutes" bigint NOT NULL,
	CONSTRAINT "ticket_sla_histogram_pk" PRIMARY KEY ("scope","dimension","span","day","value","bucket")
);
--> statement-breakpoint
-- Resolutions by hour for one organisation's weekly on-time share (the whole desk's stay in
-- ticket_outcomes_hourly, 0015).
CREATE TABLE "ticket_outcomes_org_hourly" (
	"organization_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"regulation" text NOT NULL,
	"line" text NOT NULL,
	"type" text NOT NULL,
	"resolved" integer NOT NULL,
	"on_time" integer NOT NULL,
	CONSTRAINT "ticket_outcomes_org_hourly_pk" PRIMARY KEY ("organization_id","hour","regulation","line","type")
);
--> statement-breakpoint
-- Open tickets (not archived) by hour of receipt and status: the backlog by age.
CREATE TABLE "ticket_backlog_hourly" (
	"scope" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"regulation" text NOT NULL,
	"status" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "ticket_backlog_hourly_pk" PRIMARY KEY ("scope","hour","regulation","status")
);
--> statement-breakpoint
CREATE FUNCTION resolution_bucket(minutes integer) RETURNS smallint AS $$
  SELECT CASE WHEN minutes <= 0 THEN 0 ELSE 1 + floor(8 * ln(minutes::float8) / ln(2::float8)) END::smallint;
$$ LANGUAGE sql IMMUTABLE STRICT;
--> statement-breakpoint
-- What one ticket adds to each aggregate, times d (1 or -1); nothing for an absent row (OLD of an
-- INSERT, NEW of a DELETE). The same functions rebuild and check the aggregates.
CREATE FUNCTION ticket_scopes(t tickets) RETURNS TABLE (scope text) AS $$
  SELECT s FROM (VALUES ('*'), (t.organization_id)) v(s) WHERE t.id IS NOT NULL AND s IS NOT NULL;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE FUNCTION ticket_sla_rows(t tickets, d integer)
  RETURNS TABLE (scope text, dimension text, span text, day date, value text, label text, tickets integer,
                 resolved integer, on_time integer, breached integer, open_breached integer, paused_minutes bigint) AS $$
  SELECT s.scope, g.dimension, p.span, p.day, g.value, g.label, d,
         CASE WHEN t.outcome_at IS NOT NULL THEN d ELSE 0 END,
         CASE WHEN t.outcome_at IS NOT NULL AND NOT t.sla_breached THEN d ELSE 0 END,
         CASE WHEN t.sla_breached THEN d ELSE 0 END,
         CASE WHEN t.sla_breached AND t.outcome_at IS NULL THEN d ELSE 0 END,
         d * coalesce(t.paused_minutes, 0)::bigint
    FROM ticket_scopes(t) s,
         (VALUES ('d'::text, (t.received_at AT TIME ZONE 'UTC')::date),
                 ('m'::text, date_trunc('month', t.received_at AT TIME ZONE 'UTC')::date)) p(span, day),
         (VALUES ('type', t.type, t.type), ('line', t.line, t.line),
                 ('organization', coalesce(t.organization_id, ''), t.organization),
                 ('assignee', coalesce(t.assignee_id, ''), t.assignee_name)) g(dimension, value, label);
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE FUNCTION ticket_histogram_rows(t tickets, d integer)
  RETURNS TABLE (scope text, dimension text, span text, day date, value text, bucket smallint, n integer, minutes bigint) AS $$
  SELECT r.scope, r.dimension, r.span, r.day, r.value, resolution_bucket(t.resolution_minutes), d, d * t.resolution_minutes::bigint
    FROM ticket_sla_rows(t, d) r
   WHERE t.outcome_at IS NOT NULL AND t.resolution_minutes IS NOT NULL;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE FUNCTION ticket_outcome_org_rows(t tickets, d integer)
  RETURNS TABLE (organization_id text, hour timestamptz, regulation text, line text, type text, resolved integer, on_time integer) AS $$
  SELECT t.organization_id, date_trunc('hour', t.outcome_at), t.regulation, t.line, t.type, d,
         CASE WHEN t.sla_breached THEN 0 ELSE d END
   WHERE t.outcome_at IS NOT NULL AND t.organization_id IS NOT NULL;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE FUNCTION ticket_backlog_rows(t tickets, d integer)
  RETURNS TABLE (scope text, hour timestamptz, regulation text, status text, n integer) AS $$
  SELECT s.scope, date_trunc('hour', t.received_at), t.regulation, t.status, d
    FROM ticket_scopes(t) s
   WHERE t.outcome_at IS NULL AND NOT t.archived;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
-- Each aggregate takes the old row's contribution out and the new one's in with one statement: the
-- two netted per key (a change that moves nothing writes nothing) and written in key order, so that
-- two writers touching the same rows cannot deadlock.
CREATE FUNCTION tickets_report_aggregates() RETURNS trigger AS $$
DECLARE
  o tickets;
  n tickets;
  tracked boolean := TG_OP <> 'UPDATE';
BEGIN
  IF TG_OP <> 'INSERT' THEN o := OLD; END IF;
  IF TG_OP <> 'DELETE' THEN n := NEW; END IF;
  IF tracked OR (o.received_at, o.type, o.line, o.organization_id, o.organization, o.assignee_id, o.assignee_name,
                 o.outcome_at IS NULL, o.sla_breached, o.paused_minutes)
      IS DISTINCT FROM (n.received_at, n.type, n.line, n.organization_id, n.organization, n.assignee_id, n.assignee_name,
                        n.outcome_at IS NULL, n.sla_breached, n.paused_minutes) THEN
    INSERT INTO ticket_sla_daily AS c
      SELECT r.scope, r.dimension, r.span, r.day, r.value, max(r.label) FILTER (WHERE r.tickets > 0), sum(r.tickets),
             sum(r.resolved), sum(r.on_time), sum(r.breached), sum(r.open_breached), sum(r.paused_minutes)
        FROM (SELECT * FROM ticket_sla_rows(o, -1) UNION ALL SELECT * FROM ticket_sla_rows(n, 1)) r
       GROUP BY 1, 2, 3, 4, 5
      HAVING sum(r.tickets) <> 0 OR sum(r.resolved) <> 0 OR sum(r.on_time) <> 0 OR sum(r.breached) <> 0
          OR sum(r.open_breached) <> 0 OR sum(r.paused_minutes) <> 0
          OR max(r.label) FILTER (WHERE r.tickets > 0) IS DISTINCT FROM max(r.label) FILTER (WHERE r.tickets < 0)
       ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT ticket_sla_daily_pk DO UPDATE SET
      label = coalesce(excluded.label, c.label), tickets = c.tickets + excluded.tickets,
      resolved = c.resolved + excluded.resolved, on_time = c.on_time + excluded.on_time,
      breached = c.breached + excluded.breached, open_breached = c.open_breached + excluded.open_breached,
      paused_minutes = c.paused_minutes + excluded.paused_minutes;
  END IF;
  IF tracked OR (o.outcome_at IS NOT NULL OR n.outcome_at IS NOT NULL)
     AND (o.received_at, o.type, o.line, o.organization_id, o.assignee_id, o.outcome_at IS NULL, o.resolution_minutes)
         IS DISTINCT FROM (n.received_at, n.type, n.line, n.organization_id, n.assignee_id, n.outcome_at IS NULL, n.resolution_minutes) THEN
    INSERT INTO ticket_sla_histogram AS c
      SELECT r.scope, r.dimension, r.span, r.day, r.value, r.bucket, sum(r.n), sum(r.minutes)
        FROM (SELECT * FROM ticket_histogram_rows(o, -1) UNION ALL SELECT * FROM ticket_histogram_rows(n, 1)) r
       GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(r.n) <> 0 OR sum(r.minutes) <> 0
       ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT ticket_sla_histogram_pk DO UPDATE SET
      n = c.n + excluded.n, minutes = c.minutes + excluded.minutes;
  END IF;
  IF tracked OR (o.outcome_at IS NOT NULL OR n.outcome_at IS NOT NULL)
     AND (o.outcome_at, o.regulation, o.line, o.type, o.sla_breached, o.organization_id)
         IS DISTINCT FROM (n.outcome_at, n.regulation, n.line, n.type, n.sla_breached, n.organization_id) THEN
    INSERT INTO ticket_outcomes_org_hourly AS c
      SELECT r.organization_id, r.hour, r.regulation, r.line, r.type, sum(r.resolved), sum(r.on_time)
        FROM (SELECT * FROM ticket_outcome_org_rows(o, -1) UNION ALL SELECT * FROM ticket_outcome_org_rows(n, 1)) r
       GROUP BY 1, 2, 3, 4, 5
      HAVING sum(r.resolved) <> 0 OR sum(r.on_time) <> 0
       ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT ticket_outcomes_org_hourly_pk DO UPDATE SET
      resolved = c.resolved + excluded.resolved, on_time = c.on_time + excluded.on_time;
  END IF;
  IF tracked OR (o.outcome_at IS NULL AND NOT o.archived OR n.outcome_at IS NULL AND NOT n.archived)
     AND (o.outcome_at IS NULL AND NOT o.archived, o.received_at, o.regulation, o.status, o.organization_id)
         IS DISTINCT FROM (n.outcome_at IS NULL AND NOT n.archived, n.received_at, n.regulation, n.status, n.organization_id) THEN
    INSERT INTO ticket_backlog_hourly AS c
      SELECT r.scope, r.hour, r.regulation, r.status, sum(r.n)
        FROM (SELECT * FROM ticket_backlog_rows(o, -1) UNION ALL SELECT * FROM ticket_backlog_rows(n, 1)) r
       GROUP BY 1, 2, 3, 4
      HAVING sum(r.n) <> 0
       ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT ticket_backlog_hourly_pk DO UPDATE SET n = c.n + excluded.n;
    -- An hour whose last open ticket left goes: the backlog reads every row of its scope.
    DELETE FROM ticket_backlog_hourly c
     WHERE c.n = 0 AND (c.scope, c.hour, c.regulation, c.status) IN
           (SELECT r.scope, r.hour, r.regulation, r.status FROM ticket_backlog_rows(o, 1) r);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tickets_report_aggregates
  AFTER INSERT OR UPDATE OR DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_report_aggregates();
--> statement-breakpoint
INSERT INTO ticket_sla_daily
  SELECT r.scope, r.dimension, r.span, r.day, r.value, max(r.label), sum(r.tickets), sum(r.resolved), sum(r.on_time),
         sum(r.breached), sum(r.open_breached), sum(r.paused_minutes)
    FROM tickets t, ticket_sla_rows(t, 1) r GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO ticket_sla_histogram
  SELECT r.scope, r.dimension, r.span, r.day, r.value, r.bucket, sum(r.n), sum(r.minutes)
    FROM tickets t, ticket_histogram_rows(t, 1) r GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO ticket_outcomes_org_hourly
  SELECT r.organization_id, r.hour, r.regulation, r.line, r.type, sum(r.resolved), sum(r.on_time)
    FROM tickets t, ticket_outcome_org_rows(t, 1) r GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO ticket_backlog_hourly
  SELECT r.scope, r.hour, r.regulation, r.status, sum(r.n)
    FROM tickets t, ticket_backlog_rows(t, 1) r GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- The breach list: open breaches most overdue first, then the period's closed ones newest first, each
-- a LIMIT on an index range (an organisation's through its own range), not a sort of every breach.
CREATE INDEX "tickets_open_breached_idx" ON "tickets" USING btree ("sla_sort","id") INCLUDE ("received_at","organization_id") WHERE "sla_breached" AND "outcome_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "tickets_org_breached_received_idx" ON "tickets" USING btree ("organization_id","received_at") WHERE "sla_breached";
