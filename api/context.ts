import type { RegulationId, RegulationSettings } from '../domain';
import type { Database } from '../db/client';
import type { TicketGateway } from '../workflows/client';
import type { Dispatcher } from '../mail/dispatcher';
import type { ApiMetrics } from './metrics';

/** What request handlers reach, built once by the composition root (createApp). */
export interface ApiContext {
  readonly db: Database;
  readonly gateway: TicketGateway;
  readonly now: () => number;
  readonly defaultRegulation: RegulationId;
  readonly regulationSettings: Readonly<Record<RegulationId, RegulationSettings>>;
  /** Link to a ticket's workflow in Temporal UI. */
  readonly temporalLink: (ticketId: string) => string | null;
  readonly metrics: ApiMetrics;
  /** The mail dispatcher, when this process takes mail in (held messages are released through it). */
  readonly dispatcher: Dispatcher | null;
  readonly log: (message: string) => void;
}
