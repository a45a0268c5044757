import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  advanceTo,
  applyCommand,
  AWAITING_OPERATOR,
  currentRef,
  decide,
  InvalidTicketInput,
  lineLabel,
  OPERATOR_COMMANDS,
  openTicket,
  resolveRegulation,
  roleRefusal,
  ROLES,
  statusLabel,
  ticketView,
  typeLabel,
  type Actor,
  type Command,
  type Intake,
  type OperatorCommandType,
  type RegulationId,
  type Role,
  type TicketState,
} from '../../domain';
import type { ApiPrincipal } from '../../db/repositories/apiKeys';
import { attachmentContent, attachmentsOf } from '../../db/repositories/attachments';
import { correspondenceOf } from '../../db/repositories/correspondence';
import { whoIs } from '../../db/repositories/organizations';
import { decodeCursor, listQueue, type QueueRow, type TicketRow } from '../../db/repositories/queue';
import { allocateTicketId, findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { getFaqArticle } from '../../db/repositories/faq';
import type { ApiContext } from '../context';
import { Problem } from '../problems';
import { route, type RouteSpec } from '../route';
import {
  anyObject,
  commandBodies,
  createTicket,
  idParam,
  kebab,
  listQuery,
  problem,
  ticketList,
} from '../schemas';

export function actorOf(p: ApiPrincipal): Actor {
  return { kind: 'operator', id: p.personId ?? p.keyId, name: p.personName ?? p.name, role: p.role };
}

export function summaryOf(row: QueueRow) {
  const regulation = resolveRegulation({
    id: row.regulation as RegulationId,
    version: row.regulationVersion,
  });
  return {
    id: row.id,
    regulation: row.regulation,
    type: row.type,
    typeLabel: typeLabel(regulation, row.type),
    status: row.status,
    statusLabel: statusLabel(regulation, row.status),
    statusReason: row.statusReason,
    line: row.line,
    lineLabel: lineLabel(regulation, row.line),
    channel: row.channel,
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
    organization: row.organization,
    organizationId: row.organizationId,
    initiator: { name: row.initiatorName, email: row.initiatorEmail },
    subject: row.subject,
    receivedAt: row.receivedAt.toISOString(),
    registeredAt: row.registeredAt?.toISOString() ?? null,
    outcomeAt: row.outcomeAt?.toISOString() ?? null,
    slaDueAt: row.slaDueAt?.toISOString() ?? null,
    slaBreached: row.slaBreached,
    slaPaused: row.slaPaused,
    awaitingOperator: row.awaitingOperator,
    // «получен ответ инициатора»: the initiator's message waits for the operator (seed 000 п. 3.2).
    attention: row.awaitingOperator && !row.archived ? [AWAITING_OPERATOR] : [],
    flaggedObscene: row.obscene,
    archived: row.archived,
  };
}

/** A ticket the key may see: other organisations' tickets do not exist for a scoped key. */
async function visibleTicket(ctx: ApiContext, id: string, principal: ApiPrincipal): Promise<TicketRow> {
  const row = await findTicket(ctx.db, id);
  if (!row || (principal.organizationId && row.organizationId !== principal.organizationId)) {
    throw new Problem('not_found', `Заявка ${id} не найдена.`);
  }
  return row;
}

/** The state as of now: the snapshot with every timer due by now fired (as the workflow will). */
function stateNow(row: TicketRow, now: number): TicketState {
  return advanceTo(row.state as TicketState, now).state;
}

function idempotencyKey(principal: ApiPrincipal, header: string | undefined): string | null {
  if (!header) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(header))
    throw new Problem('validation', 'Заголовок Idempotency-Key: до 200 печатных символов ASCII.');
  return `api:${principal.keyId}:${header}`;
}

function commandRoute(type: OperatorCommandType): RouteSpec {
  const body = commandBodies[type] as z.ZodType<Record<string, unknown>>;
  return route({
    method: 'post',
    path: `/tickets/:id/${kebab(type)}`,
    tag: 'Команды',
    summary: `Команда «${type}»`,
    description:
      'Проверяется по текущему состоянию заявки правилами регламента (decide); при отказе — 409 с причиной, иначе команда ' +
      'передаётся процессу заявки и ответ 202 содержит ожидаемое состояние. Заголовок Idempotency-Key делает повтор безопасным.',
    roles: ROLES,
    params: idParam,
    body,
    responses: {
      202: { description: 'Принято; ожидаемое состояние заявки', schema: anyObject },
      403: { description: 'Роль не допускается регламентом', schema: problem },
      404: { description: 'Нет такой заявки', schema: problem },
      409: { description: 'Регламент не допускает действие сейчас', schema: problem },
    },
    handler: async ({ ctx, params, body: args, principal, req }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      const regulation = resolveRegulation((row.state as TicketState).regulation);
      const forbidden = roleRefusal(regulation, type, principal.role);
      if (forbidden) throw new Problem('forbidden', forbidden.message, { code: forbidden.code });
      const now = ctx.now();
      const state = stateNow(row, now);
      const extra = await commandExtras(ctx, type, args as Record<string, unknown>);
      const by: Actor =
        type === 'reply'
          ? {
              kind: 'initiator',
              name: state.intake.initiator.fullName ?? 'Инициатор',
              email: (args as { from?: string }).from ?? state.intake.initiator.email,
            }
          : actorOf(principal);
      const command = { ...(args as object), ...extra, type, by } as Command;
      const decision = decide(state, command, now);
      if (!decision.ok)
        throw new Problem('conflict', decision.refusal.message, { code: decision.refusal.code });
      const commandId = idempotencyKey(principal, req.header('Idempotency-Key')) ?? `api:${randomUUID()}`;
      await ctx.gateway.send(row.id, { ...command, commandId } as never);
      ctx.metrics.commands.inc({ command: type });
      const expected = applyCommand(state, command, now);
      return {
        status: 202,
        body: { accepted: true, commandId, ticket: ticketView(expected.state, expected.events, now) },
      };
    },
  });
}

/** Arguments a command needs from the database: the FAQ article's text for answer-from-faq. */
async function commandExtras(
  ctx: ApiContext,
  type: OperatorCommandType,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (type === 'answerFromFaq') {
    const article = await getFaqArticle(ctx.db, String(args.articleId));
    if (!article) throw new Problem('not_found', `Статья FAQ ${String(args.articleId)} не найдена.`);
    return { answer: (args.answer as string | undefined) ?? article.answer };
  }
  return {};
}

export const ticketRoutes: RouteSpec[] = [
  route({
    method: 'post',
    path: '/tickets',
    tag: 'Заявки',
    summary: 'Зарегистрировать заявку, поступившую по телефону или введённую оператором',
    description:
      'Seed 000 п. 2.2, 2.4: заявка сразу регистрируется (register=false — только фиксируется). Запросы на изменение ' +
      'принимаются только по электронной почте (п. 2.3.1.11). Seed 003: обращение фиксируется СП РПГУ. Заголовок ' +
      'Idempotency-Key: повтор того же запроса не создаёт вторую заявку.',
    roles: ROLES,
    body: createTicket,
    responses: {
      201: { description: 'Заявка создана', schema: anyObject },
      200: { description: 'Повтор запроса с тем же Idempotency-Key', schema: anyObject },
      422: { description: 'Заявку нельзя принять: причина по регламенту', schema: problem },
    },
    handler: async ({ ctx, body, principal, req }) => {
      const regulationId = body.regulation ?? ctx.defaultRegulation;
      const ref = currentRef(regulationId, ctx.regulationSettings[regulationId]);
      const regulation = resolveRegulation(ref);
      const creators: readonly Role[] =
        regulation.id === 'primorye'
          ? (regulation.permissions.register ?? [])
          : ['regional_operator', 'manager'];
      if (principal.role !== 'admin' && !creators.includes(principal.role))
        throw new Problem(
          'forbidden',
          `Заявки по регламенту «${regulation.title}» регистрируют: ${creators.join(', ')}.`,
        );
      if (regulation.id === 'primorye' && body.type === 'change') {
        throw new Problem(
          'unprocessable',
          'Запросы на изменение принимаются только по электронной почте (п. 2.3.1.11).',
          { code: 'channel_not_allowed' },
        );
      }
      const now = ctx.now();
      const receivedAt = body.receivedAt ? Date.parse(body.receivedAt) : now;
      if (receivedAt > now + 60_000)
        throw new Problem('validation', 'Время поступления не может быть в будущем.');
      let intake: Intake = {
        description: body.description,
        ...(body.subject && { subject: body.subject }),
        // Seed 000 п. 2.3.1.9, 2.3.1.10, 2.3.1.12: what the request of its type says.
        ...(body.expectedResult && { expectedResult: body.expectedResult }),
        ...(body.actualResult && { actualResult: body.actualResult }),
        initiator: {
          ...body.initiator,
          ...(principal.organizationId && { organizationId: principal.organizationId }),
        },
        ...(body.access && { access: body.access }),
      };
      const email = body.initiator.email;
      const known = email ? await whoIs(ctx.db, email) : null;
      if (known) {
        intake = {
          ...intake,
          initiator: {
            ...intake.initiator,
            organizationId: intake.initiator.organizationId ?? known.organizationId,
            organization: intake.initiator.organization ?? known.organizationName,
          },
          // п. 3.3.1 (1): the first line authenticates access requests against the authorised persons on file.
          ...(body.access &&
            known.personId && {
              authorization: {
                verified: true,
                personId: known.personId,
                organizationId: known.organizationId,
              },
            }),
        };
      }
      // п. 3.3.1 (1): by phone, the operator records how the caller was authenticated.
      if (body.access && body.authentication) {
        intake = {
          ...intake,
          authorization: {
            ...(intake.authorization ?? { verified: false }),
            method: body.authentication.method,
          },
        };
      }
      const by = actorOf(principal);
      const register = regulation.id === 'primorye' && body.register;
      const registerCommand = register
        ? ({
            type: 'register',
            by,
            ...(body.type && { requestType: body.type }),
            ...(body.assignee && { assignee: body.assignee }),
          } as Command)
        : null;
      const open = (ticketId: string) => ({
        ticketId,
        regulation: ref,
        channel: body.channel,
        receivedAt: new Date(receivedAt).toISOString(),
        intake,
        ...(body.type && { requestType: body.type }),
        by,
      });
      // A dry run through the rules: a request that cannot be registered is refused before a ticket exists.
      let trial;
      try {
        trial = openTicket(open('ID0'));
      } catch (e) {
        if (e instanceof InvalidTicketInput) throw new Problem('unprocessable', e.message);
        throw e;
      }
      if (registerCommand) {
        const decision = decide(trial.state, registerCommand, now);
        if (!decision.ok)
          throw new Problem('unprocessable', decision.refusal.message, { code: decision.refusal.code });
      }
      const source = idempotencyKey(principal, req.header('Idempotency-Key')) ?? `api:${randomUUID()}`;
      const { id, created } = await allocateTicketId(ctx.db, source, regulation.idPrefix);
      await ctx.gateway.open({
        open: open(id),
        initialCommands: registerCommand
          ? [{ ...registerCommand, commandId: `${source}:register` } as never]
          : [],
      });
      const opened = openTicket(open(id));
      const expected = registerCommand ? applyCommand(opened.state, registerCommand, now) : opened;
      return {
        status: created ? 201 : 200,
        headers: { Location: `/tickets/${id}` },
        body: ticketView(
          expected.state,
          [...opened.events, ...(registerCommand ? expected.events : [])],
          now,
        ),
      };
    },
  }),
  route({
    method: 'get',
    path: '/tickets',
    tag: 'Заявки',
    summary: 'Очередь заявок',
    description:
      'Из read-модели PostgreSQL. Фильтры: status (через запятую), type, line, assignee, organization, regulation, breached, ' +
      'awaitingOperator (true — «получен ответ инициатора»: сообщение инициатора ждёт оператора, п. 3.2), dueBefore/dueAfter; q — полнотекстовый поиск по теме, описанию и переписке (конфигурация russian). ' +
      'Сортировка по сроку SLA (sort=due, без срока — в конце) или по времени поступления (sort=received, новые первыми); ' +
      'постраничный вывод по курсору (nextCursor).',
    roles: ROLES,
    query: listQuery,
    responses: { 200: { description: 'Страница очереди', schema: ticketList } },
    handler: async ({ ctx, query, principal }) => {
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !cursor)
        throw new Problem('validation', 'Некорректный курсор: используйте nextCursor из предыдущего ответа.');
      const { rows, nextCursor } = await listQueue(
        ctx.db,
        {
          ...(query.status && {
            status: query.status
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }),
          ...(query.type && { type: query.type }),
          ...(query.line && { line: query.line }),
          ...(query.assignee && { assignee: query.assignee }),
          ...(query.organization && { organization: query.organization }),
          ...(query.regulation && { regulation: query.regulation }),
          ...(query.breached && { breached: query.breached === 'true' }),
          ...(query.awaitingOperator && { awaitingOperator: query.awaitingOperator === 'true' }),
          ...(query.dueBefore && { dueBefore: new Date(query.dueBefore) }),
          ...(query.dueAfter && { dueAfter: new Date(query.dueAfter) }),
          ...(query.q?.trim() && { q: query.q.trim() }),
          scope: principal.organizationId,
        },
        query.sort,
        query.limit,
        cursor,
      );
      return { status: 200, body: { items: rows.map(summaryOf), nextCursor } };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id',
    tag: 'Заявки',
    summary: 'Заявка: состояние, сроки с оставшимся рабочим временем, переписка, вложения',
    roles: ROLES,
    params: idParam,
    responses: {
      200: { description: 'Заявка', schema: anyObject },
      404: { description: 'Нет такой заявки', schema: problem },
    },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      const now = ctx.now();
      const [events, mail, files] = await Promise.all([
        ticketEventsOf(ctx.db, row.id),
        correspondenceOf(ctx.db, row.id),
        attachmentsOf(ctx.db, row.id),
      ]);
      const view = ticketView(stateNow(row, now), events, now);
      return {
        status: 200,
        body: {
          ...view,
          log: undefined,
          correspondence: mail.map(correspondenceItem),
          attachments: files.map((f) => ({ ...f, url: `/tickets/${row.id}/attachments/${f.id}` })),
          links: { history: `/tickets/${row.id}/history`, temporal: ctx.temporalLink(row.id) },
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id/history',
    tag: 'Заявки',
    summary: 'Журнал событий заявки и ссылка на процесс в Temporal UI',
    roles: ROLES,
    params: idParam,
    responses: { 200: { description: 'События по порядку', schema: anyObject } },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      return {
        status: 200,
        body: {
          id: row.id,
          temporal: ctx.temporalLink(row.id),
          events: await ticketEventsOf(ctx.db, row.id),
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id/correspondence',
    tag: 'Заявки',
    summary: 'Переписка по заявке, в обе стороны (без SMTP — письма, которые получил бы инициатор)',
    roles: ROLES,
    params: idParam,
    responses: { 200: { description: 'Письма', schema: anyObject } },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      return {
        status: 200,
        body: { items: (await correspondenceOf(ctx.db, row.id)).map(correspondenceItem) },
      };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id/attachments/:attachmentId',
    tag: 'Заявки',
    summary: 'Вложение заявки',
    roles: ROLES,
    params: z.strictObject({ id: z.string().max(100), attachmentId: z.string().max(100) }),
    responses: { 200: { description: 'Содержимое файла', contentType: 'application/octet-stream' } },
    handler: async ({ ctx, params, principal }) => {
      await visibleTicket(ctx, params.id, principal);
      const file = await attachmentContent(ctx.db, params.attachmentId);
      if (!file || file.ticketId !== params.id) throw new Problem('not_found', 'Вложение не найдено.');
      return {
        status: 200,
        headers: {
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
          'X-Content-Type-Options': 'nosniff',
        },
        raw: { contentType: 'application/octet-stream', data: file.content },
      };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id/live',
    tag: 'Заявки',
    summary: 'Состояние прямо из процесса заявки (запрос ticket к Temporal)',
    roles: ROLES,
    params: idParam,
    responses: {
      200: { description: 'Состояние процесса', schema: anyObject },
      503: { description: 'Temporal недоступен', schema: problem },
    },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      try {
        return { status: 200, body: await ctx.gateway.view(row.id) };
      } catch (e) {
        throw new Problem('unavailable', `Процесс заявки недоступен: ${(e as Error).message.slice(0, 200)}`);
      }
    },
  }),
  ...OPERATOR_COMMANDS.map(commandRoute),
];

export function correspondenceItem(row: Awaited<ReturnType<typeof correspondenceOf>>[number]) {
  return {
    id: row.id,
    direction: row.direction,
    template: row.template,
    status: row.status,
    messageId: row.messageId,
    from: row.fromAddress,
    to: row.toAddresses,
    subject: row.subject,
    body: row.body,
    attachments: row.attachments,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}
