/**
 * Prometheus metrics: open tickets by status and breaches (from the counters kept with the read model,
 * db/repositories/reportCounters.ts), tickets' problems (what could not be stored or delivered), inbound
 * mail by state (read from the database on scrape), command latency.
 */
import type { RequestListener } from 'node:http';
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client';
import { problemCounts } from '../db/repositories/problems';
import { calendarWarning } from './routes/calendars';

export interface ApiMetrics {
  readonly registry: Registry;
  readonly commands: Counter<'command'>;
  readonly latency: Histogram<'route' | 'status'>;
}

export function createMetrics(db: Database, now: () => number = Date.now): ApiMetrics {
  const registry = new Registry();
  new Gauge({
    name: 'reglament_calendar_next_year_missing',
    help: 'From 1 October: 1 while next year’s production calendar is not loaded (deadlines there are provisional)',
    registers: [registry],
    async collect() {
      this.set((await calendarWarning(db, now())) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'reglament_open_tickets',
    help: 'Open tickets by regulation and status',
    labelNames: ['regulation', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.execute<{ regulation: string; status: string; n: number }>(
        sql`select regulation, status, sum(n)::int as n from ticket_counts where open group by 1, 2 having sum(n) > 0`,
      );
      for (const r of rows.rows) this.set({ regulation: r.regulation, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'reglament_sla_breached_open_tickets',
    help: 'Open tickets whose resolution deadline has passed',
    labelNames: ['regulation'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.execute<{ regulation: string; n: number }>(
        sql`select regulation, sum(n)::int as n from ticket_counts where open and breached group by 1 having sum(n) > 0`,
      );
      for (const r of rows.rows) this.set({ regulation: r.regulation }, r.n);
    },
  });
  new Gauge({
    name: 'reglament_tickets_workflow_missing',
    help: 'Open tickets whose workflow the reconciler did not find running (POST /tickets/:id/restore)',
    registers: [registry],
    async collect() {
      const rows = await db.execute<{ n: number }>(
        sql`select coalesce(sum(n), 0)::int as n from ticket_counts where workflow_missing`,
      );
      this.set(rows.rows[0]?.n ?? 0);
    },
  });
  new Gauge({
    name: 'reglament_ticket_problems',
    help: 'Problems recorded for tickets that retrying cannot fix (unstorable events, rejected mail), by kind',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await problemCounts(db)) this.set({ kind: r.kind }, r.n);
    },
  });
  new Gauge({
    name: 'reglament_inbox_messages',
    help: 'Inbound mail by state (pending, processing, held, failed, done, ignored, duplicate)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.execute<{ status: string; n: number }>(
        sql`select status, n from inbox_counts where n > 0`,
      );
      for (const r of rows.rows) this.set({ status: r.status }, r.n);
    },
  });
  return {
    registry,
    commands: new Counter({
      name: 'reglament_commands_total',
      help: 'Commands accepted by the API',
      labelNames: ['command'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'reglament_api_request_seconds',
      help: 'API request latency by route and status',
      labelNames: ['route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

/**
 * /metrics without a key, on a listener of its own (METRICS_HOST:METRICS_PORT, e.g. an internal
 * interface Prometheus scrapes); the API's /metrics always needs a key of the whole installation.
 */
export function metricsApp(registry: Registry): RequestListener {
  return (req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text))
      .catch(() => res.writeHead(503, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'));
  };
}
