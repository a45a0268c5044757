/** Reports, held mail, outgoing mail, API keys, health and metrics. */
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { currentRef, REGULATION_IDS, resolveRegulation, ROLES, type Role } from '../../domain';
import {
  apiKeyById,
  createApiKey,
  InvalidKeyRequest,
  keyStatus,
  listApiKeys,
  revokeApiKey,
} from '../../db/repositories/apiKeys';
import {
  finishInbound,
  INBOX_STATUSES,
  inboxRow,
  listInbox,
  type InboxStatus,
} from '../../db/repositories/inbox';
import { slaReport } from '../../db/repositories/slaReport';
import { correspondence } from '../../db/schema';
import { ReleaseOutOfScope, ReleaseRefused } from '../../mail/dispatcher';
import { parseInbound } from '../../mail/parse';
import { describeError } from '../../db/errors';
import { toCsv } from '../csv';
import { inboxOwner, ticketOwner } from '../owners';
import { Problem } from '../problems';
import { calendarWarning } from './calendars';
import { GLOBAL, ORGANIZATION, OWN, route, SHARED, type RouteSpec, type Scope } from '../route';
import { anyObject, isoInstant, problem, text } from '../schemas';
import type { ReadinessCheck } from '../../workflows/client';
import { correspondenceItem } from './tickets';
import { senderAuthView } from '../../mail/auth/verdict';
import { labeller } from './dashboard';

const MAIL_DESK: readonly Role[] = ['first_line', 'manager', 'regional_operator'];

/** A held message and, when it is attached to a ticket, the ticket: both must be the key's organisation's. */
const inboxMessage: Scope<{ id: number }> = {
  kind: 'organization',
  owners: async ({ ctx, params }) => [await inboxOwner(ctx.db, params.id)],
  notFound: (params) => `Письмо ${params.id} не найдено.`,
};

const keyView = (k: Awaited<ReturnType<typeof listApiKeys>>[number]) => ({
  ...k,
  scope: k.organizationId ? 'organization' : 'global',
  status: keyStatus(k),
});

export const operationRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/reports/sla',
    tag: 'Отчёты',
    summary:
      'SLA: количество, доля в срок, нарушения, медиана и p90 времени решения в рабочих часах, время на паузе',
    description:
      'По заявкам, поступившим в [from, to). provisional — сколько открытых заявок с «предварительным сроком» (календарь на год срока не загружен, сроки по ТК РФ). groupBy: type | line | organization (по идентификатору организации) | assignee; label — название. format=csv — таблица для Excel. Считается по поддерживаемым агрегатам (по дням и месяцам поступления), а не по всем заявкам периода. Медиана и p90 — по гистограмме времени решения (границы корзин: 0 и [2^((b−1)/8), 2^(b/8)) минут, каждая в 1,09 раза больше предыдущей): погрешность не более 9 %, точно, если в корзине одно значение.',
    roles: ['manager'],
    scope: ORGANIZATION,
    query: z.strictObject({
      from: isoInstant,
      to: isoInstant,
      groupBy: z.enum(['type', 'line', 'organization', 'assignee']).default('type'),
      format: z.enum(['json', 'csv']).default('json'),
    }),
    responses: {
      200: { description: 'Группы', schema: anyObject },
      400: { description: 'Некорректный период', schema: problem },
    },
    handler: async ({ ctx, query, scope }) => {
      const from = new Date(query.from);
      const to = new Date(query.to);
      if (!(from < to))
        throw new Problem('validation', 'Начало периода (from) должно быть раньше конца (to).');
      const groups = await slaReport(ctx.db, from, to, query.groupBy, scope);
      // Types and lines by the regulation's Russian names, not their codes (issue #19: «first»).
      const names = labeller(
        REGULATION_IDS.map((id) => resolveRegulation(currentRef(id, ctx.regulationSettings[id]))),
      );
      const named = query.groupBy === 'type' ? names.type : query.groupBy === 'line' ? names.line : null;
      const rows = groups.map((g) => ({
        ...g,
        ...(named && { label: named(g.group) }),
        onTimeShare: g.resolved ? Math.round((g.onTime / g.resolved) * 1000) / 1000 : null,
      }));
      if (query.format === 'csv') {
        const header = [
          query.groupBy,
          'label',
          'tickets',
          'resolved',
          'on_time',
          'on_time_share',
          'breached',
          'provisional',
          'median_hours',
          'p90_hours',
          'paused_hours',
        ];
        const data = rows.map((r) => [
          r.group,
          r.label,
          r.tickets,
          r.resolved,
          r.onTime,
          r.onTimeShare,
          r.breached,
          r.provisional,
          r.medianHours,
          r.p90Hours,
          r.pausedHours,
        ]);
        return {
          status: 200,
          headers: { 'Content-Disposition': 'attachment; filename="sla.csv"' },
          raw: { contentType: 'text/csv; charset=utf-8', data: toCsv(header, data) },
        };
      }
      return { status: 200, body: { from: query.from, to: query.to, groupBy: query.groupBy, groups: rows } };
    },
  }),
  route({
    method: 'get',
    path: '/inbox',
    tag: 'Почта',
    summary:
      'Входящие письма в любом состоянии: ожидающие (pending), в обработке (processing, с арендой диспетчера), отложенные для оператора (held), неудавшиеся (failed), принятые (done), проигнорированные (ignored), повторы (duplicate)',
    description:
      'status — одно состояние или несколько через запятую (по умолчанию held); before — id, с которого продолжить (новые первыми). Ключ организации видит только письма своей организации.',
    roles: MAIL_DESK,
    scope: ORGANIZATION,
    query: z.strictObject({
      status: z
        .string()
        .max(100)
        .default('held')
        .transform((s, ctx) => {
          const list = [
            ...new Set(
              s
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
            ),
          ];
          const unknown = list.filter((x) => !(INBOX_STATUSES as readonly string[]).includes(x));
          if (unknown.length || !list.length)
            ctx.addIssue({ code: 'custom', message: `состояния: ${INBOX_STATUSES.join(', ')}` });
          return list as InboxStatus[];
        }),
      before: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: { description: 'Письма, новые первыми', schema: anyObject } },
    handler: async ({ ctx, query, scope }) => {
      const rows = await listInbox(ctx.db, {
        statuses: query.status,
        scope,
        limit: query.limit,
        ...(query.before && { beforeId: query.before }),
      });
      return {
        status: 200,
        body: { items: rows.map((r) => ({ ...r, senderAuth: senderAuthView(r.senderAuth) })) },
      };
    },
  }),
  route({
    method: 'get',
    path: '/inbox/:id',
    tag: 'Почта',
    summary: 'Входящее письмо: отправитель, тема, текст, что с ним стало',
    roles: MAIL_DESK,
    scope: inboxMessage,
    params: z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
    responses: { 200: { description: 'Письмо', schema: anyObject } },
    handler: async ({ ctx, params }) => {
      const row = await inboxRow(ctx.db, params.id);
      if (!row) throw new Problem('not_found', `Письмо ${params.id} не найдено.`);
      const parsed = await parseInbound(row.raw);
      const m = parsed.ok ? parsed.message : null;
      return {
        status: 200,
        body: {
          id: row.id,
          receivedAt: row.receivedAt,
          status: row.status,
          outcome: row.outcome,
          ticketId: row.ticketId,
          organizationId: row.organizationId,
          attempts: row.attempts,
          leaseUntil: row.leaseUntil,
          error: row.error,
          envelopeFrom: row.envelopeFrom,
          envelopeTo: row.envelopeTo,
          from: m?.fromAddress ?? row.envelopeFrom,
          /** Issue #18: SPF, DKIM, DMARC of the sender; null when not checked (MAIL_AUTH=off). */
          senderAuth: senderAuthView(row.senderAuth),
          subject: m?.subject ?? null,
          text: m?.text ?? null,
          html: m?.html ?? null,
          attachments:
            m?.attachments.map((a) => ({ fileName: a.fileName, contentType: a.contentType, size: a.size })) ??
            [],
          parseError: parsed.ok ? null : parsed.error,
        },
      };
    },
  }),
  route({
    method: 'post',
    path: '/inbox/:id/release',
    tag: 'Почта',
    summary:
      'Решение по отложенному письму: приложить к заявке как сообщение инициатора, принять как новую заявку или отклонить',
    roles: MAIL_DESK,
    // The message and the ticket it is to be attached to must both be the key's organisation's.
    scope: {
      kind: 'organization',
      owners: async ({ ctx, params, body }) => {
        const target = (body as { ticketId?: unknown } | undefined)?.ticketId;
        return [
          await inboxOwner(ctx.db, params.id),
          ...(typeof target === 'string' ? [await ticketOwner(ctx.db, target.slice(0, 100))] : []),
        ];
      },
      notFound: (params) => `Письмо ${params.id} или заявка не найдены.`,
    },
    params: z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
    body: z.union([
      z.strictObject({ ticketId: text(100) }),
      z.strictObject({ action: z.enum(['new', 'dismiss']), note: text(500).optional() }),
    ]),
    responses: {
      200: { description: 'Выполнено', schema: anyObject },
      409: { description: 'Письмо не отложено', schema: problem },
    },
    handler: async ({ ctx, params, body, principal }) => {
      const row = await inboxRow(ctx.db, params.id);
      if (!row) throw new Problem('not_found', `Письмо ${params.id} не найдено.`);
      if (row.status !== 'held')
        throw new Problem('conflict', `Письмо ${params.id} не отложено (статус ${row.status}).`);
      if ('action' in body && body.action === 'dismiss') {
        await finishInbound(
          ctx.db,
          params.id,
          'ignored',
          `dismissed by ${principal.name}${body.note ? `: ${body.note}` : ''}`,
          row.ticketId,
        );
        return { status: 200, body: { id: params.id, status: 'ignored' } };
      }
      if (!ctx.dispatcher) throw new Problem('unavailable', 'Приём почты не запущен в этом процессе.');
      try {
        const ticketId = await ctx.dispatcher.release(
          params.id,
          'ticketId' in body ? { ticketId: body.ticketId } : 'new',
          principal.organizationId,
        );
        return { status: 200, body: { id: params.id, status: 'done', ticketId } };
      } catch (e) {
        if (e instanceof ReleaseOutOfScope)
          throw new Problem('forbidden', e.message, { code: 'organization_scope' });
        if (e instanceof ReleaseRefused) throw new Problem('conflict', e.message);
        throw new Problem('unavailable', `Письмо не обработано, повторите позже: ${describeError(e)}`);
      }
    },
  }),
  route({
    method: 'get',
    path: '/mail/outgoing',
    tag: 'Почта',
    summary: 'Исходящие письма: без SMTP_URL они хранятся здесь — всё, что получил бы инициатор',
    roles: ['manager', 'first_line', 'regional_operator'],
    scope: ORGANIZATION,
    query: z.strictObject({
      status: z.enum(['stored', 'sent', 'pending', 'failed', 'suppressed']).optional(),
      ticketId: z.string().max(100).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: { description: 'Письма, новые первыми', schema: anyObject } },
    handler: async ({ ctx, query, scope }) => {
      const rows = await ctx.db
        .select()
        .from(correspondence)
        .where(
          and(
            eq(correspondence.direction, 'out'),
            query.status ? eq(correspondence.status, query.status) : undefined,
            query.ticketId ? eq(correspondence.ticketId, query.ticketId) : undefined,
            scope
              ? sql`${correspondence.ticketId} in (select id from tickets where organization_id = ${scope})`
              : undefined,
          ),
        )
        .orderBy(desc(correspondence.id))
        .limit(query.limit);
      return {
        status: 200,
        body: { items: rows.map((r) => ({ ticketId: r.ticketId, ...correspondenceItem(r) })) },
      };
    },
  }),
  route({
    method: 'get',
    path: '/keys',
    tag: 'Ключи API',
    summary:
      'Ключи API (без секретов): роль, область (вся установка или организация), создание, последнее использование, срок',
    roles: [],
    scope: GLOBAL,
    responses: { 200: { description: 'Ключи', schema: anyObject } },
    handler: async ({ ctx }) => ({ status: 200, body: { items: (await listApiKeys(ctx.db)).map(keyView) } }),
  }),
  route({
    method: 'get',
    path: '/keys/me',
    tag: 'Ключи API',
    summary: 'Ключ, с которым сделан запрос: роль, область, срок действия',
    roles: 'authenticated',
    scope: OWN,
    responses: { 200: { description: 'Ключ', schema: anyObject } },
    handler: async ({ ctx, principal }) => {
      const key = await apiKeyById(ctx.db, principal.keyId);
      if (!key) throw new Problem('not_found', 'Ключ не найден.');
      return { status: 200, body: keyView(key) };
    },
  }),
  route({
    method: 'post',
    path: '/keys',
    tag: 'Ключи API',
    summary: 'Создать ключ API: секрет показывается один раз',
    description:
      'organizationId — ключ только для данных этой (существующей) организации; expiresAt — после этого момента ключ не действует.',
    roles: [],
    scope: GLOBAL,
    body: z.strictObject({
      name: text(200),
      role: z.enum(ROLES),
      organizationId: text(100).optional(),
      personId: text(100).optional(),
      personName: text(200).optional(),
      expiresAt: isoInstant.optional(),
    }),
    responses: {
      201: { description: 'Ключ', schema: anyObject },
      422: { description: 'Нет такой организации или срок в прошлом', schema: problem },
    },
    handler: async ({ ctx, body }) => {
      try {
        const { expiresAt, ...rest } = body;
        return {
          status: 201,
          body: await createApiKey(ctx.db, { ...rest, expiresAt: expiresAt ? new Date(expiresAt) : null }),
        };
      } catch (e) {
        if (e instanceof InvalidKeyRequest)
          throw new Problem('unprocessable', e.message, { code: 'invalid_key' });
        throw e;
      }
    },
  }),
  route({
    method: 'delete',
    path: '/keys/:id',
    tag: 'Ключи API',
    summary: 'Отозвать ключ API',
    roles: [],
    scope: GLOBAL,
    params: z.strictObject({ id: z.string().max(40) }),
    responses: { 204: { description: 'Отозван' } },
    handler: async ({ ctx, params }) => {
      if (!(await revokeApiKey(ctx.db, params.id)))
        throw new Problem('not_found', `Ключ ${params.id} не найден или уже отозван.`);
      return { status: 204 };
    },
  }),
  route({
    method: 'get',
    path: '/healthz',
    tag: 'Служебное',
    summary: 'Процесс жив',
    roles: 'public',
    scope: SHARED,
    responses: { 200: { description: 'ok', schema: anyObject } },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  }),
  route({
    method: 'get',
    path: '/readyz',
    tag: 'Служебное',
    summary:
      'Готовность: база данных, пространство имён Temporal, поисковые атрибуты процессов, исполнитель (worker) очереди задач',
    roles: 'public',
    scope: SHARED,
    responses: {
      200: { description: 'Готов', schema: anyObject },
      503: { description: 'Не готов: какая часть и почему', schema: anyObject },
    },
    handler: async ({ ctx }) => {
      let timer: NodeJS.Timeout | undefined;
      const database = await Promise.race([
        ctx.db.execute(sql`select 1`).then(
          () => ({ name: 'database', ok: true, detail: 'PostgreSQL answers' }),
          (e: Error) => ({ name: 'database', ok: false, detail: e.message.slice(0, 200) }),
        ),
        new Promise<ReadinessCheck>((resolve) => {
          timer = setTimeout(
            () => resolve({ name: 'database', ok: false, detail: 'no answer within 3 s' }),
            3_000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      const checks = [database, ...(await ctx.gateway.readiness())];
      const ready = checks.every((c) => c.ok);
      // Issue #20: a missing next-year calendar is no reason to stop serving, but the admin must see it.
      const calendar = database.ok ? await calendarWarning(ctx.db, ctx.now()).catch(() => null) : null;
      return {
        status: ready ? 200 : 503,
        headers: ready ? {} : ({ 'Retry-After': '5' } as Record<string, string>),
        body: {
          status: ready ? 'ready' : 'not ready',
          checks: Object.fromEntries(checks.map((c) => [c.name, { ok: c.ok, detail: c.detail }])),
          ...(calendar && { warnings: { calendar } }),
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/metrics',
    tag: 'Служебное',
    summary:
      'Метрики Prometheus: открытые заявки по статусам, нарушения SLA, проблемы заявок, задержка команд',
    description:
      'Данные всей установки: нужен ключ без организации (роль manager). Для сборщика без ключа — отдельный адрес METRICS_PORT.',
    roles: ['manager'],
    scope: GLOBAL,
    responses: { 200: { description: 'Текстовый формат Prometheus', contentType: 'text/plain' } },
    handler: async ({ ctx }) => {
      const registry = ctx.metrics.registry;
      return { status: 200, raw: { contentType: registry.contentType, data: await registry.metrics() } };
    },
  }),
];
