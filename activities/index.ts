/**
 * Activities through a factory with injected dependencies; workflows import only the type of what it
 * returns (temporalio/samples-typescript activities-dependency-injection).
 */
import type { Database } from '../db/client';
import { createMailActivities, type MailSettings, type MailTransport } from './mail';
import { createPersistenceActivities } from './persistence';

export interface ActivityDeps {
  readonly db: Database;
  readonly mail: { readonly transport: MailTransport | null; readonly settings: MailSettings };
  readonly now?: () => number;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPersistenceActivities(deps.db, deps.now),
    ...createMailActivities(deps.db, deps.mail.transport, deps.mail.settings),
  };
}

export type TicketActivities = ReturnType<typeof createActivities>;
export type { MailSettings, MailTransport, MailResult } from './mail';
