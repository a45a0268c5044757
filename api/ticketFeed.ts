/**
 * Changes of the ticket read model, pushed by PostgreSQL: the trigger of db/migrations/0006 NOTIFYs
 * `ticket_changed` on every write of a ticket's row. One LISTEN connection per process serves every
 * open console; it opens with the first subscriber and closes after the last one leaves.
 */
import pg from 'pg';
import type { Database } from '../db/client';

export interface TicketChange {
  readonly id: string;
  readonly seq: number;
  readonly organizationId: string | null;
  readonly status: string;
}

type Listener = (change: TicketChange) => void;
/** Told `session:<token sha256>` or `key:<id>` when that session ends or that key is revoked. */
type EndListener = (principal: string) => void;

export const TICKET_CHANNEL = 'ticket_changed';
/** NOTIFYed by the triggers of db/migrations/0012 (issue #18, finding 11). */
export const PRINCIPAL_ENDED_CHANNEL = 'principal_ended';

export class TicketFeed {
  private readonly listeners = new Set<Listener>();
  private readonly endListeners = new Set<EndListener>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;

  constructor(
    private readonly connectionConfig: pg.ClientConfig,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Subscribes; resolves once LISTEN is in place, so nothing written after it is missed. `onEnded`
   * hears of sessions that end and keys that are revoked, on any replica.
   */
  async subscribe(listener: Listener, onEnded?: EndListener): Promise<() => void> {
    this.listeners.add(listener);
    if (onEnded) this.endListeners.add(onEnded);
    const unsubscribe = (): void => {
      this.listeners.delete(listener);
      if (onEnded) this.endListeners.delete(onEnded);
      if (!this.listeners.size) void this.disconnect();
    };
    try {
      await this.connect();
    } catch (e) {
      unsubscribe();
      throw e;
    }
    return unsubscribe;
  }

  get size(): number {
    return this.listeners.size;
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new pg.Client({ ...this.connectionConfig, application_name: 'reglament-feed' });
      client.on('notification', (msg) => {
        if (msg.channel === PRINCIPAL_ENDED_CHANNEL && msg.payload) {
          for (const l of this.endListeners) l(msg.payload);
          return;
        }
        if (msg.channel !== TICKET_CHANNEL || !msg.payload) return;
        let change: TicketChange;
        try {
          change = JSON.parse(msg.payload) as TicketChange;
        } catch {
          return;
        }
        for (const l of this.listeners) l(change);
      });
      // A lost connection is reopened by the next subscriber; the consoles reconnect on their own.
      client.on('error', (e) => {
        this.log(`ticket feed: ${e.message}`);
        if (this.client === client) this.client = null;
      });
      client.on('end', () => {
        if (this.client === client) this.client = null;
      });
      await client.connect();
      await client.query(`LISTEN ${TICKET_CHANNEL}`);
      await client.query(`LISTEN ${PRINCIPAL_ENDED_CHANNEL}`);
      this.client = client;
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.endListeners.clear();
    await this.disconnect();
  }
}

const feeds = new WeakMap<Database, TicketFeed>();

/** The feed of a database (its pool's connection settings), one per process. */
export function ticketFeedOf(db: Database, log: (line: string) => void): TicketFeed {
  let feed = feeds.get(db);
  if (!feed) {
    const options = (db.$client as pg.Pool & { options: pg.PoolConfig }).options;
    feed = new TicketFeed(
      {
        ...(options.connectionString && { connectionString: options.connectionString }),
        ...(options.host && {
          host: options.host,
          port: options.port,
          user: options.user,
          database: options.database,
        }),
        ...(typeof options.password === 'string' && { password: options.password }),
      },
      log,
    );
    feeds.set(db, feed);
  }
  return feed;
}
