/**
 * What the console asks beyond the plain ticket API: which actions the regulation allows this person
 * now (the domain's availableActions on the ticket's current state), reply templates with the
 * ticket's fields filled in, and a dry run of a phone registration (the domain's field checks and
 * refusals before anything is stored).
 */
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { tickets } from '../../db/schema';
import {
  advanceTo,
  availableActions,
  clockViews,
  COMMAND_LABELS,
  currentRef,
  decide,
  InvalidTicketInput,
  invalidFields,
  missingFields,
  openTicket,
  resolveRegulation,
  ROLES,
  type Command,
  type Intake,
  type TicketState,
} from '../../domain';
import { Problem } from '../problems';
import { replyTemplates } from '../replyTemplates';
import { ORGANIZATION, route, SHARED, type RouteSpec } from '../route';
import { idParam, kebab, optionalText, problem, regulationId } from '../schemas';
import { actorOf, stateNow, ticketScope, visibleTicket } from './tickets';

const action = z
  .object({
    command: z.string(),
    label: z.string(),
    /** The URL of the command: POST /tickets/{id}/{path}. */
    path: z.string(),
    allowed: z.boolean(),
    refusal: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .meta({ id: 'TicketAction' });

const template = z
  .object({
    id: z.string(),
    title: z.string(),
    clause: z.string(),
    command: z.string(),
    visibility: z.enum(['public', 'internal']).optional(),
    reason: z.string().optional(),
    text: z.string(),
  })
  .meta({ id: 'ReplyTemplate' });

const fieldProblem = z.object({ field: z.string(), message: z.string() });

const clockSummary = z
  .object({
    name: z.string(),
    state: z.enum(['running', 'paused', 'stopped']),
    measure: z.enum(['calendar', 'working']),
    dueAt: z.string().nullable(),
    warningAt: z.string().nullable(),
    remainingMinutes: z.number().nullable(),
    breached: z.boolean(),
  })
  .meta({ id: 'ClockSummary' });

export const consoleRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/tickets/clocks',
    tag: 'Очередь',
    summary:
      'Сроки заявок страницы очереди: оставшееся рабочее время каждого счётчика, как его считает регламент',
    description:
      'ids — до 100 идентификаторов через запятую. Остаток — в минутах рабочего (или календарного, для 4-часовой регистрации) ' +
      'времени на текущий момент; warningAt — момент предупреждения (доля slaWarningFraction), breached — срок нарушен.',
    roles: ROLES,
    scope: ORGANIZATION,
    query: z.strictObject({ ids: z.string().min(1).max(4000) }),
    responses: {
      200: {
        description: 'Счётчики по заявкам',
        schema: z.object({ items: z.record(z.string(), z.array(clockSummary)) }),
      },
    },
    handler: async ({ ctx, query, principal }) => {
      const ids = [
        ...new Set(
          query.ids
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ].slice(0, 100);
      const rows = await ctx.db
        .select({ id: tickets.id, state: tickets.state, organizationId: tickets.organizationId })
        .from(tickets)
        .where(inArray(tickets.id, ids));
      const now = ctx.now();
      const items: Record<string, z.infer<typeof clockSummary>[]> = {};
      for (const row of rows) {
        if (principal.organizationId && row.organizationId !== principal.organizationId) continue;
        const state = advanceTo(row.state as TicketState, now).state;
        items[row.id] = clockViews(state, now)
          .filter((c) => c.name !== 'followUp')
          .map((c) => ({
            name: c.name,
            state: c.state,
            measure: c.measure,
            dueAt: c.dueAt,
            warningAt: c.warningAt,
            remainingMinutes: c.remainingMinutes,
            breached: c.breached,
          }));
      }
      return { status: 200, body: { items } };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id/actions',
    tag: 'Заявки',
    summary: 'Действия, которые регламент разрешает этому сотруднику сейчас, и причины отказа для остальных',
    description:
      'Каждая команда регламента проверяется decide() на текущем состоянии заявки от имени вызывающего (роль, линия, статус, сроки). ' +
      'allowed: false — с русской причиной (refusal.message); команды, которых в регламенте нет, не перечисляются.',
    roles: ROLES,
    scope: ticketScope,
    params: idParam,
    responses: {
      200: {
        description: 'Действия',
        schema: z.object({ ticketId: z.string(), seq: z.number(), items: z.array(action) }),
      },
      404: { description: 'Нет такой заявки', schema: problem },
    },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      const now = ctx.now();
      const state = stateNow(row, now);
      const items = availableActions(state, actorOf(principal), now).map((a) => ({
        command: a.command,
        label: COMMAND_LABELS[a.command],
        path: kebab(a.command),
        allowed: a.allowed,
        refusal: a.allowed || !a.refusal ? null : { code: a.refusal.code, message: a.refusal.message },
      }));
      return { status: 200, body: { ticketId: row.id, seq: state.seq, items } };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id/templates',
    tag: 'Заявки',
    summary: 'Шаблоны ответов регламента с подставленными полями заявки',
    roles: ROLES,
    scope: ticketScope,
    params: idParam,
    responses: { 200: { description: 'Шаблоны', schema: z.object({ items: z.array(template) }) } },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      return { status: 200, body: { items: replyTemplates(stateNow(row, ctx.now())) } };
    },
  }),
  route({
    method: 'post',
    path: '/tickets/check',
    tag: 'Заявки',
    summary: 'Проверить заявку до регистрации: обязательные поля регламента, СНИЛС/ИНН, допустимость канала',
    description:
      'Ничего не сохраняет. Возвращает недостающие обязательные поля (п. 2.3.1.1), ошибки в значениях (контрольные числа СНИЛС и ИНН) ' +
      'и отказ регламента, если заявку с такими данными зарегистрировать нельзя (например, п. 2.3.1.11: запросы на изменение — только по почте).',
    roles: ROLES,
    scope: SHARED,
    body: z.strictObject({
      regulation: regulationId.optional(),
      requestType: optionalText(40),
      channel: z.enum(['phone', 'email']).default('phone'),
      description: z.string().max(20_000).optional(),
      // Plain strings: judging the values (e-mail, СНИЛС, ИНН) is this route's answer, not a 400.
      initiator: z.record(z.string().max(40), z.string().max(500)).default({}),
    }),
    responses: {
      200: {
        description: 'Результат проверки',
        schema: z.object({
          ok: z.boolean(),
          missing: z.array(fieldProblem),
          invalid: z.array(fieldProblem),
          refusal: z.object({ code: z.string(), message: z.string() }).nullable(),
        }),
      },
    },
    handler: async ({ ctx, body, principal }) => {
      const id = body.regulation ?? ctx.defaultRegulation;
      const ref = currentRef(id, ctx.regulationSettings[id]);
      const regulation = resolveRegulation(ref);
      const clean = Object.fromEntries(
        Object.entries(body.initiator).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
      );
      const intake: Intake = {
        ...(body.description?.trim() && { description: body.description.trim() }),
        initiator: clean,
      };
      const required =
        regulation.id === 'primorye'
          ? [
              ...regulation.requiredFields.all,
              ...(regulation.requiredFields.byType[body.requestType ?? ''] ?? []),
            ]
          : [];
      const missing = missingFields(intake, required).map((f) => ({
        field: f.field,
        message: `обязательное поле: ${f.label} (${f.clause})`,
      }));
      const invalid = invalidFields(intake).map((p) => ({ field: p.field, message: p.message }));
      let refusal: { code: string; message: string } | null = null;
      if (regulation.id === 'primorye' && body.requestType) {
        const allowed = regulation.channelsByType[body.requestType];
        if (!allowed)
          refusal = { code: 'invalid_type', message: `Неизвестный тип заявки «${body.requestType}».` };
        else if (!allowed.includes(body.channel))
          refusal = {
            code: 'channel_not_allowed',
            message: 'Запросы на изменение принимаются только по электронной почте (п. 2.3.1.11).',
          };
      }
      if (!refusal && regulation.id === 'primorye' && !missing.length && !invalid.length) {
        const by = actorOf(principal);
        try {
          const opened = openTicket({
            ticketId: 'ID0',
            regulation: ref,
            channel: body.channel,
            receivedAt: new Date(ctx.now()).toISOString(),
            intake,
            ...(body.requestType && { requestType: body.requestType }),
            by,
          });
          const decision = decide(
            opened.state,
            { type: 'register', by, ...(body.requestType && { requestType: body.requestType }) } as Command,
            ctx.now(),
          );
          if (!decision.ok) refusal = { code: decision.refusal.code, message: decision.refusal.message };
        } catch (e) {
          if (!(e instanceof InvalidTicketInput)) throw e;
          refusal = { code: 'invalid_input', message: e.message };
        }
      }
      if (refusal?.code === 'forbidden') throw new Problem('forbidden', refusal.message);
      return {
        status: 200,
        body: { ok: !missing.length && !invalid.length && !refusal, missing, invalid, refusal },
      };
    },
  }),
];
