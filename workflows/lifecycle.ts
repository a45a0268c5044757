/**
 * A ticket's life seen from outside its workflow: opened so it is readable at once, and started again
 * from its stored state when its workflow was lost. Client-side (never bundled into workflows).
 */
import {
  compactCalendar,
  isRegulationId,
  openWithCommands,
  organizationSchedulePolicy,
  withOrganizationCalendar,
  RU_PRODUCTION_CALENDAR,
  type Applied,
  type ProductionCalendarData,
  type TicketState,
} from '../domain';
import type { Database } from '../db/client';
import { effectiveCalendar, FEDERAL_CALENDAR } from '../db/repositories/calendars';
import { organizationCalendar } from '../db/repositories/organizations';
import { findTicket, markWorkflow, saveTicket, ticketEventsOf } from '../db/repositories/tickets';
import { WorkflowMissingError, type OpenInput, type TicketGateway } from './client';

/** Events carried into a restored workflow for its query (the full log stays in PostgreSQL). */
const CARRIED_LOG = 300;

/**
 * Starts the ticket's workflow and writes its read-model row from the same pure opening the
 * workflow starts from (domain openWithCommands at `openedAt`): when this returns, GET /tickets/:id
 * and every command work. The workflow's own first persistence writes the same events again, which
 * the idempotent read model ignores.
 */
export async function openReadable(
  db: Database,
  gateway: TicketGateway,
  given: OpenInput & { readonly openedAt: string },
): Promise<{ status: 'started' | 'exists'; opened: Applied }> {
  const input = await withCurrentCalendar(db, await withOrganizationSchedule(db, given));
  const opened = openWithCommands(input.open, input.initialCommands ?? [], Date.parse(input.openedAt));
  const status = await gateway.open(input);
  await saveTicket(db, opened.state, opened.events, Date.now());
  return { status, opened };
}

/**
 * A ticket of an organisation that names its own calendar or working schedule opens with them in its
 * regulation settings, where the regulation allows (issue #20): read here, at the opening, so the
 * workflow's input carries them and nothing inside the workflow or the domain reads the database.
 */
async function withOrganizationSchedule<T extends OpenInput>(db: Database, input: T): Promise<T> {
  const organizationId = input.open.intake?.initiator?.organizationId;
  if (!organizationId || !isRegulationId(input.open.regulation?.id)) return input;
  const policy = organizationSchedulePolicy(input.open.regulation.id);
  if (!policy.allowed) return input;
  const regulation = withOrganizationCalendar(
    input.open.regulation,
    policy,
    await organizationCalendar(db, organizationId),
  );
  return regulation === input.open.regulation ? input : { ...input, open: { ...input.open, regulation } };
}

const loaded = new Map<string, { at: number; data: ProductionCalendarData; decree: string | null }>();
const CALENDAR_TTL_MS = 60_000;

/**
 * A new ticket counts on the newest loaded version of the calendar its regulation settings name
 * (issue #20): the federal one, or a region's days on top of it. When that is not the built-in data,
 * the opening commands start with it (only the years the ticket can need).
 */
async function withCurrentCalendar<T extends OpenInput & { readonly openedAt: string }>(
  db: Database,
  input: T,
): Promise<T> {
  const id = input.open.regulation.settings?.calendar ?? FEDERAL_CALENDAR;
  let entry = loaded.get(id);
  if (!entry || Date.now() - entry.at > CALENDAR_TTL_MS) {
    const current = await effectiveCalendar(db, id).catch(() => null);
    entry = {
      at: Date.now(),
      data: current?.data ?? RU_PRODUCTION_CALENDAR,
      decree: current?.decree ?? null,
    };
    loaded.set(id, entry);
  }
  const { data, decree } = entry;
  if (data.version === RU_PRODUCTION_CALENDAR.version) return input;
  const year = new Date(input.open.receivedAt).getUTCFullYear();
  return {
    ...input,
    initialCommands: [
      {
        type: 'calendar',
        by: { kind: 'system', name: 'reglament' },
        calendar: compactCalendar(data, year),
        decree,
        commandId: `calendar:${data.version}`,
      },
      ...(input.initialCommands ?? []),
    ],
  };
}

/** Forget the cached calendar versions (after an import in this process). */
export function forgetCurrentCalendar(): void {
  loaded.clear();
}

export class NothingToRestoreError extends Error {
  override readonly name = 'NothingToRestoreError';
}

/**
 * Starts the workflow of a ticket whose workflow is gone, from the read model's state: every clock
 * as it was (timers already due fire at once), nothing a person wrote lost.
 */
export async function restoreTicket(db: Database, gateway: TicketGateway, id: string): Promise<TicketState> {
  const row = await findTicket(db, id);
  if (!row) throw new NothingToRestoreError(`ticket ${id} not found`);
  if (row.archived) throw new NothingToRestoreError(`ticket ${id} is archived: its workflow has ended`);
  const health = await gateway.health(id);
  if (health === 'running') {
    await markWorkflow(db, id, null);
    throw new NothingToRestoreError(`the workflow of ticket ${id} is running`);
  }
  const state = row.state as TicketState;
  const log = (await ticketEventsOf(db, id)).slice(-CARRIED_LOG);
  await gateway.restore(id, { state, log, pending: [], seen: [] });
  await markWorkflow(db, id, null);
  return state;
}

/** A command met a missing workflow: the ticket is flagged at once rather than at the next round. */
export async function flagIfMissing(db: Database, error: unknown): Promise<void> {
  if (error instanceof WorkflowMissingError) await markWorkflow(db, error.ticketId, error.reason);
}
