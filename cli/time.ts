import { DateTime } from 'luxon';
import { UsageError } from './usage';

/** An instant typed by a person: ISO 8601, read in `zone` when it carries no offset. */
export function parseInstant(value: string | undefined, option: string, zone: string): number {
  if (value === undefined || value === '')
    throw new UsageError(`${option} is required (ISO 8601, e.g. 2024-12-27T17:30:00+10:00)`);
  const parsed = DateTime.fromISO(value, { zone, setZone: true });
  if (!parsed.isValid)
    throw new UsageError(
      `${option}: "${value}" is not an ISO 8601 date-time (${parsed.invalidExplanation ?? 'invalid'})`,
    );
  return parsed.toMillis();
}
