/**
 * Fixed-window counters for the API's two limits (issue #10): requests per verified key, counted only
 * after the key is authenticated (a wrong secret never counts against the real key), and failed
 * authentications per client address (guessing keys is slowed down, whatever IDs are presented).
 */
import { ipKeyGenerator } from 'express-rate-limit';

export interface Window {
  /** Whether this hit is within the limit. */
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the window starts again. */
  readonly resetMs: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private current(key: string): { start: number; count: number } {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }

  private state(w: { start: number; count: number }, allowed: boolean): Window {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetMs: Math.max(0, w.start + this.windowMs - this.now()),
    };
  }

  /** Counts one hit. */
  hit(key: string): Window {
    const w = this.current(key);
    w.count++;
    return this.state(w, w.count <= this.limit);
  }

  /** The window as it is, without counting: `allowed` is false once the limit is used up. */
  peek(key: string): Window {
    const w = this.current(key);
    return this.state(w, w.count < this.limit);
  }
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
