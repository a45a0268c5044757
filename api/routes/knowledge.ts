/** FAQ knowledge base (seed 003 п. 3.1.1, 3.2.1, 3.3.1) and organisations with their authorised persons (seed 000 п. 3.3.1–3.3.2). */
import { randomUUID } from 'node:crypto';
import { and, eq, ilike, like, or } from 'drizzle-orm';
import { z } from 'zod';
import {
  organizationSchedulePolicy,
  REGULATION_IDS,
  resolveRegulation,
  currentRef,
  scheduleProblems,
  type Role,
  type WorkSchedule,
} from '../../domain';
import type { Database } from '../../db/client';
import { CALENDAR_ID, calendarExists } from '../../db/repositories/calendars';
import { deleteFaqArticle, getFaqArticle, saveFaqArticles, searchFaq } from '../../db/repositories/faq';
import { authorizedPersons, organizations } from '../../db/schema';
import { domainOwner } from '../../db/repositories/organizations';
import { parseCsv } from '../csv';
import { Problem } from '../problems';
import { organizationOwner } from '../owners';
import { GLOBAL, ORGANIZATION, route, SHARED, type RouteSpec, type Scope } from '../route';
import { anyObject, optionalText, problem, text } from '../schemas';

const READERS: readonly Role[] = [
  'first_line',
  'second_line',
  'third_line',
  'manager',
  'regional_operator',
  'federal_operator',
];
const EDITORS: readonly Role[] = ['manager', 'regional_operator', 'federal_operator'];

/** An organisation's record and its authorised persons: the key's own organisation only. */
const organization: Scope<{ id: string }> = {
  kind: 'organization',
  owners: async ({ ctx, params }) => [await organizationOwner(ctx.db, params.id)],
  notFound: (params) => `Организация ${params.id} не найдена.`,
};

const faqBody = z.strictObject({
  id: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'латинские буквы, цифры, «.», «-», «_»')
    .optional(),
  question: text(2000),
  answer: text(),
  keywords: optionalText(1000),
});
const faqArticle = z
  .object({
    id: z.string(),
    question: z.string(),
    answer: z.string(),
    keywords: z.string(),
    source: z.string().nullable(),
  })
  .meta({ id: 'FaqArticle' });

/** An organisation's own calendar and working schedule (issue #20): whole-installation admins set them. */
const organizationCalendarFields = {
  calendar: z
    .string()
    .max(64)
    .regex(CALENDAR_ID, 'код календаря, например ru или ru-tatarstan')
    .nullable()
    .optional(),
  schedule: z
    .strictObject({
      workdayStart: z.string().max(20),
      workdayEnd: z.string().max(20),
      shortenPreHolidays: z.boolean(),
    })
    .nullable()
    .optional(),
};

/** A calendar on file and a schedule the business calendar can count on, or a problem+json. */
async function checkOrganizationCalendar(
  db: Database,
  body: { calendar?: string | null; schedule?: WorkSchedule | null },
): Promise<void> {
  if (body.schedule) {
    const problems = scheduleProblems(body.schedule);
    if (problems.length)
      throw new Problem('validation', problems.join(' '), {
        code: 'invalid_schedule',
        errors: problems.map((message) => ({ field: 'schedule', message })),
      });
  }
  if (body.calendar && !(await calendarExists(db, body.calendar)))
    throw new Problem(
      'unprocessable',
      `Календарь «${body.calendar}» не загружен: сначала загрузите его (reglament calendar import --calendar ${body.calendar} или «Календари» в консоли).`,
      { code: 'unknown_calendar' },
    );
}

/** For each regulation: whether its tickets follow an organisation's calendar and schedule, and why. */
const schedulePolicies = () =>
  REGULATION_IDS.map((id) => ({
    regulation: id,
    title: resolveRegulation(currentRef(id)).title,
    ...organizationSchedulePolicy(id),
  }));

function importRows(
  body: unknown,
  contentType: string,
): { question: string; answer: string; keywords?: string; id?: string }[] {
  let records: Record<string, unknown>[];
  if (contentType.startsWith('text/csv')) {
    const rows = parseCsv(String(body ?? ''));
    const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
    const col = (names: string[]) => header.findIndex((h) => names.includes(h));
    const q = col(['question', 'вопрос']);
    const a = col(['answer', 'ответ']);
    if (q < 0 || a < 0)
      throw new Problem(
        'validation',
        'CSV: первая строка — заголовки, нужны столбцы question и answer (или «вопрос» и «ответ»).',
      );
    const k = col(['keywords', 'ключевые слова']);
    const i = col(['id']);
    records = rows.map((r) => ({
      question: r[q],
      answer: r[a],
      ...(k >= 0 && { keywords: r[k] }),
      ...(i >= 0 && r[i] && { id: r[i] }),
    }));
  } else if (Array.isArray(body)) {
    records = body as Record<string, unknown>[];
  } else if (body && typeof body === 'object' && Array.isArray((body as { articles?: unknown }).articles)) {
    records = (body as { articles: Record<string, unknown>[] }).articles;
  } else {
    throw new Problem(
      'validation',
      'Импорт FAQ: JSON-массив статей {question, answer, keywords?, id?} или CSV (Content-Type: text/csv).',
    );
  }
  if (records.length > 5000) throw new Problem('validation', 'Импорт FAQ: не более 5000 статей за раз.');
  const errors: { field: string; message: string }[] = [];
  const parsed = records.map((r, n) => {
    const result = faqBody.safeParse(r);
    if (!result.success)
      errors.push(
        ...result.error.issues.map((i) => ({ field: `${n + 1}.${i.path.join('.')}`, message: i.message })),
      );
    return result.success ? result.data : null;
  });
  if (errors.length)
    throw new Problem(
      'validation',
      `Импорт FAQ: ошибки в ${new Set(errors.map((e) => e.field.split('.')[0])).size} статьях; ничего не загружено.`,
      { errors: errors.slice(0, 100) },
    );
  return parsed as { question: string; answer: string; keywords?: string; id?: string }[];
}

export const knowledgeRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/faq',
    tag: 'FAQ',
    summary: 'Поиск в базе знаний (FAQ): ранжированный, по-русски, в любых формах слов',
    roles: READERS,
    scope: SHARED,
    query: z.strictObject({
      q: z.string().max(300).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    responses: {
      200: { description: 'Статьи, лучшие первыми', schema: z.object({ items: z.array(faqArticle) }) },
    },
    handler: async ({ ctx, query }) => ({
      status: 200,
      body: { items: await searchFaq(ctx.db, query.q, query.limit) },
    }),
  }),
  route({
    method: 'get',
    path: '/faq/:id',
    tag: 'FAQ',
    summary: 'Статья FAQ',
    roles: READERS,
    scope: SHARED,
    params: z.strictObject({ id: z.string().max(100) }),
    responses: {
      200: { description: 'Статья', schema: faqArticle },
      404: { description: 'Нет статьи', schema: problem },
    },
    handler: async ({ ctx, params }) => {
      const article = await getFaqArticle(ctx.db, params.id);
      if (!article) throw new Problem('not_found', `Статья FAQ ${params.id} не найдена.`);
      return { status: 200, body: article };
    },
  }),
  route({
    method: 'post',
    path: '/faq',
    tag: 'FAQ',
    summary: 'Добавить статью FAQ',
    roles: EDITORS,
    scope: GLOBAL,
    body: faqBody,
    responses: { 201: { description: 'Создана', schema: faqArticle } },
    handler: async ({ ctx, body }) => {
      const db = ctx.db;
      const { ids } = await saveFaqArticles(db, [
        { ...body, id: body.id ?? `faq-${randomUUID().slice(0, 8)}`, source: 'api' },
      ]);
      return { status: 201, headers: { Location: `/faq/${ids[0]}` }, body: await getFaqArticle(db, ids[0]!) };
    },
  }),
  route({
    method: 'put',
    path: '/faq/:id',
    tag: 'FAQ',
    summary: 'Изменить статью FAQ',
    roles: EDITORS,
    scope: GLOBAL,
    params: z.strictObject({ id: z.string().max(100) }),
    body: faqBody.omit({ id: true }),
    responses: { 200: { description: 'Изменена', schema: faqArticle } },
    handler: async ({ ctx, params, body }) => {
      const db = ctx.db;
      if (!(await getFaqArticle(db, params.id)))
        throw new Problem('not_found', `Статья FAQ ${params.id} не найдена.`);
      await saveFaqArticles(db, [{ ...body, id: params.id, source: 'api' }]);
      return { status: 200, body: await getFaqArticle(db, params.id) };
    },
  }),
  route({
    method: 'delete',
    path: '/faq/:id',
    tag: 'FAQ',
    summary: 'Удалить статью FAQ',
    roles: EDITORS,
    scope: GLOBAL,
    params: z.strictObject({ id: z.string().max(100) }),
    responses: { 204: { description: 'Удалена' } },
    handler: async ({ ctx, params }) => {
      if (!(await deleteFaqArticle(ctx.db, params.id)))
        throw new Problem('not_found', `Статья FAQ ${params.id} не найдена.`);
      return { status: 204 };
    },
  }),
  route({
    method: 'post',
    path: '/faq/import',
    tag: 'FAQ',
    summary: 'Загрузить перечень FAQ, переданный СП ЕПГУ (п. 3.1.1): JSON-массив или CSV',
    description:
      'CSV с заголовками question, answer, keywords (необязательно), id (необязательно); разделитель «,» или «;». Повторная загрузка обновляет статьи.',
    roles: EDITORS,
    scope: GLOBAL,
    responses: {
      200: { description: 'Сколько создано и обновлено', schema: anyObject },
      400: { description: 'Ошибки по строкам', schema: problem },
    },
    handler: async ({ ctx, req }) => {
      const rows = importRows(req.body, req.header('content-type') ?? '');
      const result = await saveFaqArticles(
        ctx.db,
        rows.map((r) => ({ ...r, source: 'import' })),
      );
      return { status: 200, body: { created: result.created, updated: result.updated } };
    },
  }),
  route({
    method: 'get',
    path: '/organizations',
    tag: 'Организации',
    summary: 'Организации: все или найденные по названию или ИНН (q)',
    description:
      'q — часть названия (без учёта регистра) или начало ИНН; для выбора организации в консоли вместо её кода. ' +
      'Ключ организации видит только свою.',
    roles: [...READERS],
    scope: ORGANIZATION,
    query: z.strictObject({
      q: z.string().trim().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(1000),
    }),
    responses: { 200: { description: 'Организации', schema: anyObject } },
    handler: async ({ ctx, scope, query }) => {
      const db = ctx.db;
      // LIKE with the wildcards escaped: a pattern match in linear time, whatever is typed.
      const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      const digits = query.q && /^\d+$/.test(query.q) ? `${query.q}%` : null;
      const rows = await db
        .select()
        .from(organizations)
        .where(
          and(
            scope ? eq(organizations.id, scope) : undefined,
            pattern
              ? or(ilike(organizations.name, pattern), digits ? like(organizations.inn, digits) : undefined)
              : undefined,
          ),
        )
        .orderBy(organizations.name)
        .limit(query.limit);
      return { status: 200, body: { items: rows } };
    },
  }),
  route({
    method: 'post',
    path: '/organizations',
    tag: 'Организации',
    summary: 'Добавить организацию',
    roles: ['manager'],
    scope: GLOBAL,
    body: z.strictObject({
      id: z
        .string()
        .regex(/^[\w.-]{1,100}$/)
        .optional(),
      name: text(500),
      inn: optionalText(12),
      domains: z
        .array(
          z
            .string()
            .regex(/^[\p{L}\d.-]+\.[\p{L}]{2,}$/u, 'домен, например dprim.ru')
            .max(200),
        )
        .max(20)
        .optional(),
      ...organizationCalendarFields,
    }),
    responses: {
      201: { description: 'Создана', schema: anyObject },
      400: { description: 'Неверный график', schema: problem },
      422: { description: 'Календарь не загружен', schema: problem },
    },
    handler: async ({ ctx, body, principal }) => {
      if ((body.calendar || body.schedule) && principal.role !== 'admin')
        throw new Problem('forbidden', 'Календарь и график организации задаёт администратор всей службы.');
      await checkOrganizationCalendar(ctx.db, body);
      const [row] = await ctx.db
        .insert(organizations)
        .values({
          id: body.id ?? `org-${randomUUID().slice(0, 8)}`,
          name: body.name,
          inn: body.inn ?? null,
          domains: (body.domains ?? []).map((d) => d.toLowerCase()),
          calendar: body.calendar ?? null,
          schedule: body.schedule ?? null,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new Problem('conflict', `Организация ${body.id} уже есть.`);
      return { status: 201, headers: { Location: `/organizations/${row.id}` }, body: row };
    },
  }),
  route({
    method: 'get',
    path: '/organizations/:id',
    tag: 'Организации',
    summary: 'Организация и её уполномоченные лица',
    roles: [...READERS],
    scope: organization,
    params: z.strictObject({ id: z.string().max(100) }),
    responses: { 200: { description: 'Организация', schema: anyObject } },
    handler: async ({ ctx, params }) => {
      const db = ctx.db;
      const [org] = await db.select().from(organizations).where(eq(organizations.id, params.id)).limit(1);
      if (!org) throw new Problem('not_found', `Организация ${params.id} не найдена.`);
      const persons = await db
        .select()
        .from(authorizedPersons)
        .where(eq(authorizedPersons.organizationId, params.id))
        .orderBy(authorizedPersons.fullName);
      return {
        status: 200,
        body: { ...org, authorizedPersons: persons, schedulePolicies: schedulePolicies() },
      };
    },
  }),
  route({
    method: 'put',
    path: '/organizations/:id/calendar',
    tag: 'Организации',
    summary: 'Календарь и рабочий график организации (администратор всей службы)',
    description:
      'calendar — производственный календарь её заявок (ru или загруженный региональный, например ru-tatarstan); ' +
      'schedule — часы работы ЧЧ:ММ и сокращение предпраздничных дней; null — как в регламенте (оба поля заменяются). Действует для ' +
      'заявок, открытых после изменения, и только по регламентам, которые это допускают (schedulePolicies).',
    roles: ['admin'],
    scope: GLOBAL,
    params: z.strictObject({ id: z.string().max(100) }),
    body: z.strictObject({
      calendar: organizationCalendarFields.calendar.unwrap(),
      schedule: organizationCalendarFields.schedule.unwrap(),
    }),
    responses: {
      200: { description: 'Организация', schema: anyObject },
      400: { description: 'Неверный график', schema: problem },
      404: { description: 'Нет такой организации', schema: problem },
      422: { description: 'Календарь не загружен', schema: problem },
    },
    handler: async ({ ctx, params, body }) => {
      await checkOrganizationCalendar(ctx.db, body);
      const [row] = await ctx.db
        .update(organizations)
        .set({ calendar: body.calendar, schedule: body.schedule })
        .where(eq(organizations.id, params.id))
        .returning();
      if (!row) throw new Problem('not_found', `Организация ${params.id} не найдена.`);
      return { status: 200, body: { ...row, schedulePolicies: schedulePolicies() } };
    },
  }),
  route({
    method: 'post',
    path: '/organizations/:id/persons',
    tag: 'Организации',
    summary: 'Добавить уполномоченное лицо (п. 3.3.1–3.3.2): от него принимаются запросы на доступ к модулю',
    roles: ['manager'],
    scope: organization,
    params: z.strictObject({ id: z.string().max(100) }),
    body: z.strictObject({
      fullName: text(300),
      email: z.email('некорректный адрес'),
      phone: optionalText(50),
      position: optionalText(500),
    }),
    responses: { 201: { description: 'Добавлено', schema: anyObject } },
    handler: async ({ ctx, params, body }) => {
      const db = ctx.db;
      const [org] = await db
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.id, params.id))
        .limit(1);
      if (!org) throw new Problem('not_found', `Организация ${params.id} не найдена.`);
      // Issue #18, finding 3: an address on another organisation's domain is that organisation's.
      const owner = await domainOwner(db, body.email);
      if (owner && owner.organizationId !== params.id)
        throw new Problem(
          'conflict',
          `Адрес ${body.email} на домене организации «${owner.organizationName}»: уполномоченное лицо другой ` +
            'организации с него не добавляется.',
          { code: 'foreign_domain' },
        );
      const [row] = await db
        .insert(authorizedPersons)
        .values({
          id: `p-${randomUUID().slice(0, 8)}`,
          organizationId: params.id,
          fullName: body.fullName,
          email: body.email,
          phone: body.phone ?? null,
          position: body.position ?? null,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new Problem('conflict', `${body.email} уже уполномоченное лицо этой организации.`);
      return { status: 201, body: row };
    },
  }),
  route({
    method: 'delete',
    path: '/organizations/:id/persons/:personId',
    tag: 'Организации',
    summary: 'Лишить полномочий',
    roles: ['manager'],
    scope: organization as Scope<{ id: string; personId: string }>,
    params: z.strictObject({ id: z.string().max(100), personId: z.string().max(100) }),
    responses: { 204: { description: 'Готово' } },
    handler: async ({ ctx, params }) => {
      const rows = await ctx.db
        .update(authorizedPersons)
        .set({ active: false })
        .where(
          and(eq(authorizedPersons.id, params.personId), eq(authorizedPersons.organizationId, params.id)),
        )
        .returning({ id: authorizedPersons.id });
      if (!rows.length) throw new Problem('not_found', 'Уполномоченное лицо не найдено.');
      return { status: 204 };
    },
  }),
];
