/**
 * Production calendars for the admin (issue #20): the versions with their sources, a year as the desk
 * counts it (loaded or provisional), and an import that first shows what it would change (dryRun)
 * and, once accepted, stores an immutable version and sends it to every open ticket.
 */
import { z } from 'zod';
import {
  BusinessCalendar,
  labourCodeYear,
  parseCalendarFile,
  RU_PRODUCTION_CALENDAR,
  yearTotals,
} from '../../domain';
import {
  CALENDAR_ID,
  calendarExists,
  currentCalendarVersion,
  effectiveCalendar,
  FEDERAL_CALENDAR,
  importCalendar,
  InvalidCalendarImport,
  listCalendarVersions,
} from '../../db/repositories/calendars';
import { deliverCalendarVersion } from '../../worker/calendarFanOut';
import { forgetCurrentCalendar } from '../../workflows/lifecycle';
import type { Database } from '../../db/client';
import { Problem } from '../problems';
import { GLOBAL, route, type RouteSpec } from '../route';
import { anyObject, problem } from '../schemas';

/** From 1 October: is next year's calendar loaded? (a decree is usually published in autumn). */
export async function calendarWarning(db: Database, now: number): Promise<string | null> {
  const date = new Date(now);
  if (date.getUTCMonth() < 9) return null;
  const next = date.getUTCFullYear() + 1;
  const row = await currentCalendarVersion(db);
  const last = row?.lastYear ?? RU_PRODUCTION_CALENDAR.lastYear;
  if (last >= next) return null;
  return `Производственный календарь на ${next} год не загружен: сроки в ${next} году считаются предварительно, по ТК РФ. Загрузите календарь после выхода постановления Правительства о переносе выходных дней.`;
}

const calendarId = z
  .string()
  .max(64)
  .regex(CALENDAR_ID, 'код календаря: латинские буквы, цифры и «-», например ru-tatarstan');

const importBody = z.strictObject({
  /** The file's text: the portal's CSV, xmlcalendar XML or the project's JSON. */
  content: z.string().min(1).max(2_000_000),
  /** 'ru' (default) or a regional calendar, e.g. 'ru-tatarstan': its own days only, on top of 'ru'. */
  calendar: calendarId.optional(),
  extends: calendarId.optional(),
  decree: z.string().max(200).optional(),
  source: z.string().max(500).optional(),
  dryRun: z.boolean().optional(),
});

export const calendarRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/calendars',
    tag: 'Календари',
    summary:
      'Версии производственного календаря с источниками; предупреждение, если следующий год не загружен',
    roles: ['admin', 'manager'],
    scope: GLOBAL,
    responses: { 200: { description: 'Версии', schema: anyObject } },
    handler: async ({ ctx }) => ({
      status: 200,
      body: {
        items: await listCalendarVersions(ctx.db),
        warning: await calendarWarning(ctx.db, ctx.now()),
      },
    }),
  }),
  route({
    method: 'get',
    path: '/calendars/:year',
    tag: 'Календари',
    summary:
      'Год по текущей версии: выходные, рабочие выходные, сокращённые дни, итоги; или предварительно по ТК РФ',
    roles: ['admin', 'manager'],
    scope: GLOBAL,
    params: z.strictObject({ year: z.string().regex(/^\d{4}$/) }),
    query: z.strictObject({ calendar: calendarId.optional() }),
    responses: {
      200: { description: 'Год', schema: anyObject },
      404: { description: 'Вне календаря', schema: problem },
    },
    handler: async ({ ctx, params, query }) => {
      const year = Number(params.year);
      const calendar = query.calendar ?? FEDERAL_CALENDAR;
      if (!(await calendarExists(ctx.db, calendar)))
        throw new Problem('not_found', `Календарь «${calendar}» не загружен.`);
      // A regional calendar is shown as its tickets count: its days on top of the federal ones.
      const { data, decree } = await effectiveCalendar(ctx.db, calendar);
      const cal = new BusinessCalendar(
        { timeZone: 'Europe/Moscow', workdayStart: '09:00', workdayEnd: '18:00', shortenPreHolidays: true },
        data,
      );
      if (year < cal.firstYear || year > cal.lastYear)
        throw new Problem('not_found', `${year} год вне календаря (${cal.firstYear}–${cal.lastYear}).`);
      const loaded = data.years[year];
      const days = loaded ?? labourCodeYear(year);
      return {
        status: 200,
        body: {
          year,
          provisional: !loaded,
          calendar,
          version: loaded ? data.version : null,
          decree: loaded ? decree : null,
          ...days,
          totals: yearTotals(year, days),
        },
      };
    },
  }),
  route({
    method: 'post',
    path: '/calendars/import',
    tag: 'Календари',
    summary:
      'Загрузить календарь (CSV портала открытых данных, XML xmlcalendar или JSON): с dryRun — только разница',
    description:
      'Файл проверяется построчно; при ошибках — 400 со списком «строка: причина». calendar — региональный календарь ' +
      '(например ru-tatarstan): в файле только его собственные выходные, они добавляются к федеральному «ru». ' +
      'dryRun: true возвращает итоги года и ' +
      'изменённые дни против текущей версии, ничего не сохраняя. Принятая версия неизменяема и рассылается всем открытым заявкам.',
    roles: ['admin'],
    scope: GLOBAL,
    body: importBody,
    responses: {
      200: { description: 'Разница (dryRun) или сохранённая версия', schema: anyObject },
      400: { description: 'Ошибки по строкам', schema: problem },
    },
    handler: async ({ ctx, body, principal }) => {
      const calendar = body.calendar ?? FEDERAL_CALENDAR;
      const parsed = parseCalendarFile(body.content, undefined, { extension: calendar !== FEDERAL_CALENDAR });
      try {
        const result = await importCalendar(ctx.db, {
          calendar,
          extends: body.extends ?? null,
          parsed,
          decree: body.decree ?? null,
          origin: body.source ?? null,
          loadedBy: principal.personName ?? principal.name,
          dryRun: body.dryRun ?? false,
        });
        const version = result.version;
        if (version) {
          forgetCurrentCalendar();
          // The tickets counting on this calendar follow (a federal version: all, regional ones with their
          // region's days); idempotent by version, so a crash midway is fixed by importing again.
          void deliverCalendarVersion(ctx.db, ctx.gateway, calendar)
            .then((r) =>
              ctx.log(
                `calendar ${version.id}: delivered to ${r.delivered} open tickets, ${r.missing.length} without a workflow, ${r.failed.length} failed`,
              ),
            )
            .catch((e: unknown) =>
              ctx.log(`calendar ${version.id}: fan-out stopped: ${(e as Error).message}`),
            );
        }
        return { status: 200, body: result };
      } catch (e) {
        if (e instanceof InvalidCalendarImport)
          throw new Problem('validation', e.message, { errors: e.errors });
        throw e;
      }
    },
  }),
];
