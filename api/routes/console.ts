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
  InvalidTicketInput,
  invalidFields,
  localDate,
  missingFields,
  openWithCommands,
  registrationFields,
  resolveRegulation,
  ROLES,
  type Command,
  type TicketState,
} from '../../domain';
import { Problem } from '../problems';
import { replyTemplates } from '../replyTemplates';
import { ORGANIZATION, route, SHARED, type RouteSpec } from '../route';
import {
  accessRequest,
  authentication,
  idParam,
  kebab,
  optionalText,
  problem,
  regulationId,
} from '../schemas';
import { actorOf, intakeOf, stateNow, ticketScope, visibleTicket } from './tickets';

const action = z
  .object({
    command: z.string(),
    label: z.string(),
    /** The URL of the command: POST /tickets/{id}/{path}. */
    path: z.string(),
    allowed: z.boolean(),
    /** What the regulation expects next in this state (allowed): the console's first buttons. */
    next: z.boolean(),
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
    /** «предварительный срок»: no production calendar loaded for the deadline's year (issue #20). */
    provisional: z.boolean(),
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
          // Deadlines only: not the follow-up window, not the reminders to staff («remind:…»).
          .filter((c) => c.name !== 'followUp' && !c.name.startsWith('remind:'))
          .map((c) => ({
            name: c.name,
            state: c.state,
            measure: c.measure,
            dueAt: c.dueAt,
            warningAt: c.warningAt,
            remainingMinutes: c.remainingMinutes,
            breached: c.breached,
            provisional: c.provisional,
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
      'allowed: false — с русской причиной (refusal.message); команды, которых в регламенте нет, не перечисляются. ' +
      'next: true — следующий шаг, которого регламент ждёт в этом статусе; такие действия идут первыми, в порядке регламента.',
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
      const items = availableActions(state, actorOf(principal), now)
        // Issue #18: an organisation's staff never moves a ticket to another organisation.
        .filter((a) => !(a.command === 'changeOrganization' && principal.organizationId))
        .map((a) => ({
          command: a.command,
          label: COMMAND_LABELS[a.command],
          path: kebab(a.command),
          allowed: a.allowed,
          next: a.next,
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
    summary:
      'Проверить заявку до регистрации: обязательные поля регламента, СНИЛС/ИНН, допустимость канала, запрос на доступ',
    description:
      'Ничего не сохраняет. Проверяет то же и так же, как POST /tickets: обязательные поля для типа и канала ' +
      '(п. 2.3.1.1, 2.3.1.3; по телефону — ожидаемый и фактический результат инцидента п. 2.3.1.9, ожидаемый результат ' +
      'запроса на обслуживание п. 2.3.1.12), ошибки в значениях (контрольные числа СНИЛС и ИНН) и отказ регламента, ' +
      'если заявку с такими данными зарегистрировать нельзя (п. 2.3.1.11: запросы на изменение — только по почте; ' +
      'п. 3.3.1: запрос на доступ — от уполномоченного лица, с записью о его аутентификации). required — все поля, ' +
      'которые регламент требует для этого типа и канала.',
    roles: ROLES,
    scope: SHARED,
    body: z.strictObject({
      regulation: regulationId.optional(),
      requestType: optionalText(40),
      channel: z.enum(['phone', 'email']).default('phone'),
      // Plain strings: judging the values (empty, e-mail, СНИЛС, ИНН) is this route's answer, not a 400.
      subject: z.string().max(500).optional(),
      description: z.string().max(20_000).optional(),
      expectedResult: z.string().max(20_000).optional(),
      actualResult: z.string().max(20_000).optional(),
      initiator: z.record(z.string().max(40), z.string().max(500)).default({}),
      access: accessRequest.optional(),
      authentication: authentication.optional(),
    }),
    responses: {
      200: {
        description: 'Результат проверки',
        schema: z.object({
          ok: z.boolean(),
          required: z.array(z.object({ field: z.string(), label: z.string(), clause: z.string() })),
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
      const filled = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
      const intake = await intakeOf(ctx, principal, {
        subject: filled(body.subject),
        description: filled(body.description),
        expectedResult: filled(body.expectedResult),
        actualResult: filled(body.actualResult),
        initiator: Object.fromEntries(
          Object.entries(body.initiator).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
        ),
        ...(body.access && { access: body.access }),
        ...(body.authentication && { authentication: body.authentication }),
      });
      // The regulation's own list (its `register` checks the same), not a copy of it.
      const required = registrationFields(ref, body.requestType ?? '', body.channel);
      const missing: { field: string; message: string }[] = missingFields(intake, required).map((f) => ({
        field: f.field,
        message: `обязательное поле: ${f.label} (${f.clause})`,
      }));
      const today = localDate(ctx.now(), regulation.workingHours.timeZone);
      const invalid = invalidFields(intake, today).map((p) => ({ field: p.field, message: p.message }));
      // A dry run of what POST /tickets does: open, and register where the regulation registers at once.
      const by = actorOf(principal);
      const register = regulation.id === 'primorye';
      let refusal: { code: string; message: string } | null = null;
      try {
        const trial = openWithCommands(
          {
            ticketId: 'ID0',
            regulation: ref,
            channel: body.channel,
            receivedAt: new Date(ctx.now()).toISOString(),
            intake,
            ...(body.requestType && { requestType: body.requestType }),
            by,
          },
          register
            ? [
                {
                  type: 'register',
                  by,
                  ...(body.requestType && { requestType: body.requestType }),
                } as Command,
              ]
            : [],
          ctx.now(),
        );
        if (trial.refusal) refusal = { code: trial.refusal.code, message: trial.refusal.message };
      } catch (e) {
        if (!(e instanceof InvalidTicketInput)) throw e;
        refusal = { code: 'invalid_input', message: e.message };
      }
      if (refusal?.code === 'forbidden') throw new Problem('forbidden', refusal.message);
      // Missing and wrong values are listed field by field above; a type not chosen yet is one of them.
      if (refusal && ['missing_fields', 'invalid_fields'].includes(refusal.code)) refusal = null;
      if (refusal?.code === 'invalid_type' && !body.requestType) {
        missing.unshift({ field: 'requestType', message: refusal.message });
        refusal = null;
      }
      return {
        status: 200,
        body: {
          ok: !missing.length && !invalid.length && !refusal,
          required: required.map((f) => ({ field: f.field, label: f.label, clause: f.clause })),
          missing,
          invalid,
          refusal,
        },
      };
    },
  }),
];
