/**
 * `reglament calendar import FILE [--source …] [--decree …] [--calendar ru] [--extends ru] [--dry-run]`,
 * `calendar list`, `calendar show YEAR [--calendar ru]`: production calendars as data (issue #20).
 * A calendar other than `ru` is regional (e.g. `ru-tatarstan`): its file lists only its own days,
 * counted on top of the federal calendar.
 * An import is checked line by line; the difference against the current version is printed before
 * (with --dry-run: instead of) storing the new version.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { BusinessCalendar, parseCalendarFile, yearTotals, type YearDiff } from '../domain';
import {
  calendarExists,
  effectiveCalendar,
  FEDERAL_CALENDAR,
  importCalendar,
  InvalidCalendarImport,
  listCalendarVersions,
} from '../db/repositories/calendars';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import type { Database } from '../db/client';
import { TemporalGateway } from '../workflows/client';
import { deliverCalendarVersion } from '../worker/calendarFanOut';
import { withDatabase } from './keys';
import { UsageError } from './usage';

const options = {
  source: { type: 'string' },
  decree: { type: 'string' },
  calendar: { type: 'string' },
  extends: { type: 'string' },
  by: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

const ru = (date: string): string => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

export function describeDiff(diff: readonly YearDiff[]): string[] {
  return diff.flatMap((d) => [
    `${d.year}: ${d.added ? 'новый год (до сих пор — предварительно, по ТК РФ)' : 'изменение загруженного года'}, изменённых дней: ${d.changes.length}`,
    ...d.changes.map((c) => `  ${ru(c.date)}: ${c.before ?? '—'} → ${c.after}`),
  ]);
}

/** Delivers the stored version to the open tickets counting on it (TEMPORAL_ADDRESS), or says how to. */
async function fanOut(db: Database, calendar: string): Promise<string> {
  const config = loadConfig();
  if (!config.temporal.address) {
    return 'открытые заявки получат календарь при следующем запуске сервиса (TEMPORAL_ADDRESS не задан)';
  }
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 10_000 });
  try {
    const gateway = new TemporalGateway(new Client({ connection, namespace: config.temporal.namespace }), {
      taskQueue: config.temporal.taskQueue,
      namespace: config.temporal.namespace,
      timeoutMs: 15_000,
    });
    const r = await deliverCalendarVersion(db, gateway, calendar);
    return `открытым заявкам отправлено: ${r.delivered}; без процесса: ${r.missing.length}; ошибок: ${r.failed.length}`;
  } finally {
    await connection.close();
  }
}

export async function calendarCommand(argv: string[]): Promise<string> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, options, strict: true, allowPositionals: true });
  const calendar = values.calendar ?? FEDERAL_CALENDAR;
  if (sub === 'import') {
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('calendar import needs one FILE');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const parsed = parseCalendarFile(text, undefined, { extension: calendar !== FEDERAL_CALENDAR });
    if (parsed.errors.length) throw new UsageError(new InvalidCalendarImport(parsed.errors).message);
    return withDatabase(async (db) => {
      try {
        const result = await importCalendar(db, {
          calendar,
          extends: values.extends ?? null,
          parsed,
          decree: values.decree ?? null,
          origin: values.source ?? basename(file),
          loadedBy: values.by ?? process.env.USER ?? 'cli',
          dryRun: values['dry-run'] ?? false,
        });
        const totals = result.totals.map(
          (t) =>
            `${t.year}: рабочих дней ${t.workingDays}, выходных и праздничных ${t.daysOff}, часов при 40-часовой неделе ${t.hours40}`,
        );
        const head = result.version
          ? `загружена версия ${result.version.id}${result.version.decree ? ` (постановление ${result.version.decree})` : ''}`
          : 'проверка (--dry-run): ничего не сохранено';
        const lines = [head, ...totals, ...describeDiff(result.diff)];
        if (result.version) lines.push(await fanOut(db, calendar));
        return lines.join('\n');
      } catch (e) {
        if (e instanceof InvalidCalendarImport) throw new UsageError(e.message);
        throw e;
      }
    });
  }
  if (sub === 'list') {
    return withDatabase(async (db) => {
      const rows = await listCalendarVersions(db);
      return rows
        .map(
          (r) =>
            `${r.id}\t${r.calendar}${r.extends ? ` (поверх ${r.extends})` : ''}\t${r.firstYear}–${r.lastYear}\t${r.decree ?? '—'}\t${r.origin ?? '—'}\t${r.loadedBy}\t${r.loadedAt.toISOString()}`,
        )
        .join('\n');
    });
  }
  if (sub === 'show') {
    const year = Number(positionals[0]);
    if (!/^\d{4}$/.test(positionals[0] ?? '')) throw new UsageError('calendar show needs a YEAR, e.g. 2028');
    return withDatabase(async (db) => {
      if (!(await calendarExists(db, calendar)))
        throw new UsageError(`calendar "${calendar}" is not loaded (reglament calendar list)`);
      // A regional calendar as its tickets count: its days on top of the federal ones.
      const { data, decree } = await effectiveCalendar(db, calendar);
      const loaded = data.years[year];
      const cal = new BusinessCalendar(
        { timeZone: 'Europe/Moscow', workdayStart: '09:00', workdayEnd: '18:00', shortenPreHolidays: true },
        data,
      );
      const lines = [
        loaded
          ? `${year}: версия ${data.version}${decree ? `, ${decree}` : ''}`
          : `${year}: не загружен — предварительно, по ТК РФ (ст. 112, 95)`,
      ];
      if (!(year >= cal.firstYear && year <= cal.lastYear))
        throw new UsageError(`${year} is outside ${cal.firstYear}–${cal.lastYear}`);
      const off: string[] = [];
      const short: string[] = [];
      const working: string[] = [];
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        const day = cal.day(date);
        const wd = new Date(t).getUTCDay();
        if (!day.working && wd !== 0 && wd !== 6) off.push(ru(date));
        if (day.working && (wd === 0 || wd === 6)) working.push(ru(date));
        if (day.short) short.push(ru(date));
      }
      const totals = loaded ? yearTotals(year, loaded) : null;
      lines.push(`выходные в будни: ${off.join(', ') || '—'}`);
      lines.push(`рабочие субботы и воскресенья: ${working.join(', ') || '—'}`);
      lines.push(`сокращённые дни: ${short.join(', ') || '—'}`);
      if (totals)
        lines.push(`рабочих дней ${totals.workingDays}, часов при 40-часовой неделе ${totals.hours40}`);
      return lines.join('\n');
    });
  }
  throw new UsageError(
    sub
      ? `unknown calendar command "${sub}" (import, list or show)`
      : 'calendar needs a command: import, list or show',
  );
}
