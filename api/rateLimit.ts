/**
 * Fixed-window counters for the API's limits (issue #10), kept in PostgreSQL so that N replicas allow
 * each limit once, not N times (issue #21): requests per verified key, counted only after the key is
 * authenticated (a wrong secret never counts against the real key); failed authentications per client
 * address; sign-in failures per address and per login and address (issue #18).
 */
import { ipKeyGenerator } from 'express-rate-limit';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { rateWindows } from '../db/schema';

export interface Window {
  /** Whether this hit is within the limit. */
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the window starts again. */
  readonly resetMs: number;
}

/** Expired windows are swept about once in this many hits (any replica). */
const SWEEP_EVERY = 500;

export class SharedWindowLimiter {
  private hits = 0;

  /** `name` separates this limiter's counters from the others' in the one table. */
  constructor(
    private readonly db: Database,
    readonly name: string,
    readonly limit: number,
    readonly windowMs: number,
    readonly now: () => number = Date.now,
  ) {}

  /** The counter's row key in the one table. */
  key(key: string): string {
    return `${this.name}:${key}`;
  }

  /** A window as a hit or a peek sees it (for a hit counted in another statement: api/keyAdmission.ts). */
  state(count: number, resetsAt: number, allowed: boolean): Window {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      resetMs: Math.max(0, resetsAt - this.now()),
    };
  }

  /** Counts one hit (an upsert: a window that has run out starts again at this hit). */
  async hit(key: string): Promise<Window> {
    const now = new Date(this.now());
    const resets = new Date(now.getTime() + this.windowMs);
    const { rows } = await this.db.execute<{ count: number; resets_at: Date }>(sql`
      insert into ${rateWindows} (key, count, resets_at) values (${this.key(key)}, 1, ${resets})
      on conflict (key) do update set
        count = case when ${rateWindows.resetsAt} <= ${now} then 1 else ${rateWindows.count} + 1 end,
        resets_at = case when ${rateWindows.resetsAt} <= ${now} then excluded.resets_at else ${rateWindows.resetsAt} end
      returning count, resets_at`);
    this.counted(now);
    const row = rows[0]!;
    return this.state(row.count, new Date(row.resets_at).getTime(), row.count <= this.limit);
  }

  /** Notes a hit counted (here or in another statement); sweeps expired windows now and then. */
  counted(now: Date): void {
    if (++this.hits % SWEEP_EVERY === 0)
      void this.db
        .execute(sql`delete from ${rateWindows} where ${rateWindows.resetsAt} < ${now}`)
        .catch(() => undefined);
  }

  /** The window as it is, without counting: `allowed` is false once the limit is used up. */
  async peek(key: string): Promise<Window> {
    const now = this.now();
    const { rows } = await this.db.execute<{ count: number; resets_at: Date }>(
      sql`select count, resets_at from ${rateWindows}
          where key = ${this.key(key)} and ${rateWindows.resetsAt} > ${new Date(now)}`,
    );
    const row = rows[0];
    if (!row) return this.state(0, now + this.windowMs, true);
    return this.state(row.count, new Date(row.resets_at).getTime(), row.count < this.limit);
  }

  /** Starts a counter afresh (a successful sign-in clears its failures). */
  async clear(key: string): Promise<void> {
    await this.db.execute(sql`delete from ${rateWindows} where key = ${this.key(key)}`);
  }
}

/** Every counter whose key (after its limiter's name) starts with `prefix`, e.g. one login's failures. */
export async function clearWindows(db: Database, name: string, prefix: string): Promise<number> {
  const pattern = `${name}:${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rowCount } = await db.execute(sql`delete from ${rateWindows} where key like ${pattern}`);
  return rowCount ?? 0;
}

/** The client's address as a limiter key: IPv6 addresses by their /56 network, as one host gets many. */
export const clientAddress = (ip: string | undefined): string => ipKeyGenerator(ip ?? 'unknown');

/** Standard rate-limit headers (IETF draft 8) and, when refused, Retry-After. */
export function rateLimitHeaders(name: string, w: Window, windowMs: number): Record<string, string> {
  const reset = Math.ceil(w.resetMs / 1000);
  return {
    'RateLimit-Policy': `"${name}";q=${w.limit};w=${Math.round(windowMs / 1000)}`,
    RateLimit: `"${name}";r=${w.remaining};t=${reset}`,
    ...(!w.allowed && { 'Retry-After': String(Math.max(1, reset)) }),
  };
}
