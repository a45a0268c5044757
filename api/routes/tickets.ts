import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  advanceTo,
  AWAITING_OPERATOR,
  currentRef,
  decide,
  InvalidTicketInput,
  latestRegulation,
  lineLabel,
  OPERATOR_COMMANDS,
  openWithCommands,
  REGULATION_IDS,
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
  type Refusal,
  type RegulationId,
  type Role,
  type TicketState,
} from '../../domain';
import type { ApiPrincipal } from '../../db/repositories/apiKeys';
import { attachmentContent, attachmentsOf } from '../../db/repositories/attachments';
import { correspondenceOf } from '../../db/repositories/correspondence';
import { senderChecksOf } from '../../db/repositories/inbox';
import { senderAuthView } from '../../mail/auth/verdict';
import { whoIs } from '../../db/repositories/organizations';
import { findUser, type UserRow } from '../../db/repositories/users';
import { organizations } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { assigneesOf, deskAssignee } from '../assignees';
import { decodeCursor, listQueue, type QueueRow, type TicketRow } from '../../db/repositories/queue';
import {
  allocateTicketId,
  findTicket,
  saveAnsweredTicket,
  ticketEventsOf,
} from '../../db/repositories/tickets';
import { getFaqArticle } from '../../db/repositories/faq';
import { problemsOf } from '../../db/repositories/problems';
import { flagIfMissing, NothingToRestoreError, openReadable, restoreTicket } from '../../workflows/lifecycle';
import type { UpdateCommand } from '../../workflows/messages';
import type { ApiContext } from '../context';
import { Problem } from '../problems';
import { ticketOwner } from '../owners';
import { ORGANIZATION, route, type RouteSpec, type Scope } from '../route';
import {
  anyObject,
  commandBodies,
  commandResult,
  createTicket,
  idParam,
  kebab,
  listQuery,
  problem,
  ticketList,
} from '../schemas';
import { ticketDetail, ticketHistory } from '../viewSchemas';

/** A route addressing one ticket: the ticket must be the key's organisation's (api/route.ts). */
export const ticketScope: Scope<{ id: string }> = {
  kind: 'organization',
  owners: async ({ ctx, params }) => [await ticketOwner(ctx.db, params.id)],
  notFound: (params) => `Заявка ${params.id} не найдена.`,
};

/**
 * What a command reads before its Update, read once per request and while the key is checked (issue
 * #21: the ticket was read twice, then the assignee, one round trip after another): the scope check
 * (api/route.ts) starts it, the handler uses it. Keyed by the request's parsed path parameters, which
 * both receive. The assignee is only looked up here; the handler checks the validated body's.
 */
interface CommandReads {
  readonly row: Promise<TicketRow | null>;
  /** The assignee named in the body as sent, and its record. */
  readonly assigneeId: string | null;
  readonly assignee: Promise<UserRow | null> | null;
}
const commandReads = new WeakMap<object, CommandReads>();
const readsOf = (ctx: ApiContext, params: { id: string }, body: unknown): CommandReads => {
  let reads = commandReads.get(params);
  if (!reads) {
    const sent = (body as { assignee?: { id?: unknown } } | null)?.assignee?.id;
    reads = {
      row: findTicket(ctx.db, params.id),
      assigneeId: typeof sent === 'string' ? sent : null,
      assignee: typeof sent === 'string' && sent ? findUser(ctx.db, sent) : null,
    };
    reads.assignee?.catch(() => undefined); // a refused request does not wait for it
    commandReads.set(params, reads);
  }
  return reads;
};

const commandScope: Scope<{ id: string }> = {
  ...ticketScope,
  owners: async ({ ctx, params, body }) => {
    const row = await readsOf(ctx, params, body).row;
    return [row ? row.organizationId : undefined];
  },
};

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
    slaDueProvisional: row.slaDueProvisional,
    slaBreached: row.slaBreached,
    slaPaused: row.slaPaused,
    awaitingOperator: row.awaitingOperator,
    // «получен ответ инициатора»: the initiator's message waits for the operator (seed 000 п. 3.2).
    attention: row.awaitingOperator && !row.archived ? [AWAITING_OPERATOR] : [],
    flaggedObscene: row.obscene,
    archived: row.archived,
    workflowMissing: row.workflowMissing,
  };
}

/** A ticket the key may see: other organisations' tickets do not exist for a scoped key. */
export async function visibleTicket(
  ctx: ApiContext,
  id: string,
  principal: ApiPrincipal,
): Promise<TicketRow> {
  const row = await findTicket(ctx.db, id);
  if (!row || (principal.organizationId && row.organizationId !== principal.organizationId)) {
    throw new Problem('not_found', `Заявка ${id} не найдена.`);
  }
  return row;
}

/** What an operator's form says about a request, as the API receives it (POST /tickets, /tickets/check). */
export interface IntakeBody {
  readonly description?: string;
  readonly subject?: string;
  readonly expectedResult?: string;
  readonly actualResult?: string;
  readonly initiator: Intake['initiator'];
  readonly access?: Intake['access'];
  readonly authentication?: { readonly method: string };
}

/**
 * The intake of a request an operator enters: the key's organisation, the organisation and the
 * authorised person on file for the initiator's address, and how a caller was authenticated.
 */
export async function intakeOf(ctx: ApiContext, principal: ApiPrincipal, body: IntakeBody): Promise<Intake> {
  let intake: Intake = {
    ...(body.description && { description: body.description }),
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
  return intake;
}

/** The statuses of a comma-separated filter, each one some regulation's. */
function knownStatuses(list: string): string[] {
  const statuses = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set(REGULATION_IDS.flatMap((id) => Object.keys(latestRegulation(id).statuses)));
  const unknown = statuses.filter((s) => !known.has(s));
  if (unknown.length)
    throw new Problem(
      'validation',
      `Неизвестные статусы: ${unknown.join(', ')}. Статусы регламентов: ${[...known].join(', ')}.`,
    );
  return statuses;
}

/** How far back a phone request's time of receipt may be given (a request noted and entered later). */
const RECEIVED_AT_MAX_AGE_MS = 30 * 86_400_000;

/** A refusal by the rules as a problem: 409 with the Russian reason and the stable code. */
export const refusalProblem = (refusal: Refusal): Problem =>
  new Problem('conflict', refusal.message, { code: refusal.code });

/** The state as of now: the snapshot with every timer due by now fired (as the workflow will). */
export function stateNow(row: TicketRow, now: number): TicketState {
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
      'Команда передаётся процессу заявки (Temporal Update): правила регламента (decide) проверяют её по настоящему ' +
      'состоянию заявки. Ответ 200 — события, которые она вызвала, и состояние заявки после неё; 409 — отказ процесса ' +
      'с причиной (detail) и кодом (code); 503 — Temporal недоступен, повторите позже с тем же Idempotency-Key: ' +
      'команда с тем же ключом выполняется один раз.',
    roles: ROLES,
    scope: commandScope,
    params: idParam,
    body,
    responses: {
      200: { description: 'Выполнено: события и состояние заявки после команды', schema: commandResult },
      403: { description: 'Роль не допускается регламентом', schema: problem },
      404: { description: 'Нет такой заявки', schema: problem },
      409: { description: 'Регламент не допускает действие сейчас', schema: problem },
      503: { description: 'Temporal или база данных недоступны', schema: problem },
    },
    handler: async ({ ctx, params, body: args, principal, req }) => {
      const reads = readsOf(ctx, params, args);
      const row = await reads.row;
      if (!row || (principal.organizationId && row.organizationId !== principal.organizationId))
        throw new Problem('not_found', `Заявка ${params.id} не найдена.`);
      const state = row.state as TicketState;
      const regulation = resolveRegulation(state.regulation);
      const forbidden = roleRefusal(regulation, type, principal.role);
      if (forbidden) throw new Problem('forbidden', forbidden.message, { code: forbidden.code });
      const sent = (args as { assignee?: { id?: string } }).assignee?.id;
      const found = reads.assignee && sent === reads.assigneeId ? reads.assignee : undefined;
      const extra = await commandExtras(ctx, type, args as Record<string, unknown>, principal, state, found);
      // A reply is the initiator's message, entered by the operator (phone); the role was checked above.
      const by: Actor =
        type === 'reply'
          ? {
              kind: 'initiator',
              name: state.intake.initiator.fullName ?? 'Инициатор',
              email: (args as { from?: string }).from ?? state.intake.initiator.email,
            }
          : actorOf(principal);
      const commandId = idempotencyKey(principal, req.header('Idempotency-Key')) ?? `api:${randomUUID()}`;
      const command = { ...(args as object), ...extra, type, by, commandId } as UpdateCommand;
      if (row.archived) {
        // The workflow of an archived ticket has ended; the rules' refusal is the answer.
        const decision = decide(state, command, ctx.now());
        if (!decision.ok) throw refusalProblem(decision.refusal);
      }
      let outcome;
      try {
        outcome = await ctx.gateway.execute(row.id, command);
      } catch (e) {
        await flagIfMissing(ctx.db, e);
        throw e;
      }
      // Read your writes: the queue shows the result as soon as the operator sees it.
      await saveAnsweredTicket(ctx.db, outcome.state, outcome.events, ctx.now());
      ctx.metrics.commands.inc({ command: type });
      return {
        status: 200,
        body: {
          commandId,
          duplicate: outcome.duplicate,
          events: outcome.events,
          ticket: { ...ticketView(outcome.state, [], ctx.now()), log: undefined },
        },
      };
    },
  });
}

/** Arguments a command needs from the database: the FAQ article's text for answer-from-faq. */
async function commandExtras(
  ctx: ApiContext,
  type: OperatorCommandType,
  args: Record<string, unknown>,
  principal: ApiPrincipal,
  state: TicketState,
  found?: Promise<UserRow | null>,
): Promise<Record<string, unknown>> {
  if (type === 'changeOrganization') return organizationChange(ctx, principal, String(args.organizationId));
  const people = await assigneesOf(ctx, principal, state, type, args, found);
  if (people) return people;
  if (type === 'answerFromFaq') {
    const article = await getFaqArticle(ctx.db, String(args.articleId));
    if (!article) throw new Problem('not_found', `Статья FAQ ${String(args.articleId)} не найдена.`);
    return { answer: (args.answer as string | undefined) ?? article.answer };
  }
  return {};
}

/**
 * Issue #18, finding 2: a ticket moves to another organisation only by an actor of the whole
 * installation (a scoped key would hand its ticket to someone else), and only to one on file.
 */
async function organizationChange(
  ctx: ApiContext,
  principal: ApiPrincipal,
  organizationId: string,
): Promise<Record<string, unknown>> {
  if (principal.organizationId)
    throw new Problem(
      'forbidden',
      'Организацию заявки меняет администратор или руководитель всей службы, а не сотрудник организации.',
      { code: 'organization_scope' },
    );
  const [org] = await ctx.db
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  if (!org)
    throw new Problem('unprocessable', `Организация «${organizationId}» не найдена.`, {
      code: 'unknown_organization',
    });
  return { organization: org.name };
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
    scope: ORGANIZATION,
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
      if (regulation.id === 'primorye' && body.requestType === 'change') {
        throw new Problem(
          'unprocessable',
          'Запросы на изменение принимаются только по электронной почте (п. 2.3.1.11).',
          { code: 'channel_not_allowed' },
        );
      }
      if (regulation.id === 'epgu' && body.requestType && body.requestType !== 'appeal') {
        throw new Problem(
          'unprocessable',
          'СП РПГУ фиксирует обращение; вид тикета («Инцидент», «Информационный запрос») определяет СП ЕПГУ при ' +
            'регистрации (п. 3.2.1, 3.2.4.2). Не указывайте requestType или укажите «appeal».',
          { code: 'invalid_type' },
        );
      }
      if (body.requestType && !(body.requestType in regulation.requestTypes)) {
        throw new Problem(
          'unprocessable',
          `Неизвестный тип заявки «${body.requestType}»: ${Object.entries(regulation.requestTypes)
            .map(([id, t]) => `${id} («${t.label}»)`)
            .join(', ')}.`,
          { code: 'invalid_type' },
        );
      }
      const now = ctx.now();
      if (body.receivedAt) {
        const receivedAt = Date.parse(body.receivedAt);
        if (receivedAt > now + 60_000)
          throw new Problem('validation', 'Время поступления не может быть в будущем.');
        if (receivedAt < now - RECEIVED_AT_MAX_AGE_MS)
          throw new Problem(
            'validation',
            `Время поступления — не раньше чем за ${RECEIVED_AT_MAX_AGE_MS / 86_400_000} дней до регистрации.`,
          );
      }
      const intake = await intakeOf(ctx, principal, body);
      const by = actorOf(principal);
      const requestType = body.requestType;
      const register = regulation.id === 'primorye' && body.register;
      // Issue #18, finding 9: the assignee is the person on file who works the first line.
      const assignee =
        register && body.assignee
          ? await deskAssignee(
              ctx,
              principal,
              { regulation: ref, organizationId: intake.initiator.organizationId ?? null },
              (regulation as { firstLine?: string }).firstLine ?? '',
              body.assignee,
            )
          : undefined;
      const registerCommand = register
        ? ({
            type: 'register',
            by,
            ...(requestType && { requestType }),
            ...(assignee && { assignee }),
          } as Command)
        : null;
      const open = (ticketId: string, at: number) => ({
        ticketId,
        regulation: ref,
        channel: body.channel,
        receivedAt: body.receivedAt ? new Date(body.receivedAt).toISOString() : new Date(at).toISOString(),
        intake,
        ...(requestType && { requestType }),
        by,
      });
      // A dry run through the rules: a request that cannot be registered is refused before a ticket exists.
      try {
        const trial = openWithCommands(open('ID0', now), registerCommand ? [registerCommand] : [], now);
        if (trial.refusal)
          throw new Problem('unprocessable', trial.refusal.message, { code: trial.refusal.code });
      } catch (e) {
        if (e instanceof InvalidTicketInput) throw new Problem('unprocessable', e.message);
        throw e;
      }
      const source = idempotencyKey(principal, req.header('Idempotency-Key')) ?? `api:${randomUUID()}`;
      const { id, created, at } = await allocateTicketId(ctx.db, source, regulation.idPrefix, new Date(now));
      // Opening is decided at the allocation instant, so a retried request opens the same ticket.
      await openReadable(ctx.db, ctx.gateway, {
        open: open(id, at.getTime()),
        initialCommands: registerCommand ? [{ ...registerCommand, commandId: `${source}:register` }] : [],
        openedAt: at.toISOString(),
      });
      const row = await findTicket(ctx.db, id);
      const events = await ticketEventsOf(ctx.db, id);
      return {
        status: created ? 201 : 200,
        headers: { Location: `/tickets/${id}` },
        body: ticketView(stateNow(row!, now), events, now),
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
    scope: ORGANIZATION,
    query: listQuery,
    responses: { 200: { description: 'Страница очереди', schema: ticketList } },
    handler: async ({ ctx, query, principal }) => {
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !cursor)
        throw new Problem('validation', 'Некорректный курсор: используйте nextCursor из предыдущего ответа.');
      const { rows, nextCursor } = await listQueue(
        ctx.db,
        {
          ...(query.status && { status: knownStatuses(query.status) }),
          ...(query.type && { type: query.type }),
          ...(query.line && { line: query.line }),
          ...(query.assignee && { assignee: query.assignee }),
          ...(query.organization && { organization: query.organization }),
          ...(query.regulation && { regulation: query.regulation }),
          ...(query.breached && { breached: query.breached === 'true' }),
          ...(query.awaitingOperator && { awaitingOperator: query.awaitingOperator === 'true' }),
          ...(query.workflowMissing && { workflowMissing: query.workflowMissing === 'true' }),
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
    scope: ticketScope,
    params: idParam,
    responses: {
      200: { description: 'Заявка', schema: ticketDetail },
      404: { description: 'Нет такой заявки', schema: problem },
    },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      const now = ctx.now();
      const [events, mail, files, problems, checks] = await Promise.all([
        ticketEventsOf(ctx.db, row.id),
        correspondenceOf(ctx.db, row.id),
        attachmentsOf(ctx.db, row.id),
        problemsOf(ctx.db, row.id),
        senderChecksOf(ctx.db, row.id),
      ]);
      const view = ticketView(stateNow(row, now), events, now);
      return {
        status: 200,
        body: {
          ...view,
          log: undefined,
          workflowMissing: row.workflowMissing,
          workflowProblem: row.workflowProblem,
          correspondence: mail.map((m) => correspondenceItem(m, checks)),
          attachments: files.map((f) => ({ ...f, url: `/tickets/${row.id}/attachments/${f.id}` })),
          // What could not be stored or delivered and will not be retried (issue #10).
          problems,
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
    scope: ticketScope,
    params: idParam,
    responses: { 200: { description: 'События по порядку', schema: ticketHistory } },
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
    scope: ticketScope,
    params: idParam,
    responses: { 200: { description: 'Письма', schema: anyObject } },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      const [mail, checks] = await Promise.all([
        correspondenceOf(ctx.db, row.id),
        senderChecksOf(ctx.db, row.id),
      ]);
      return { status: 200, body: { items: mail.map((m) => correspondenceItem(m, checks)) } };
    },
  }),
  route({
    method: 'get',
    path: '/tickets/:id/attachments/:attachmentId',
    tag: 'Заявки',
    summary: 'Вложение заявки',
    roles: ROLES,
    scope: ticketScope as Scope<{ id: string; attachmentId: string }>,
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
    scope: ticketScope,
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
        await flagIfMissing(ctx.db, e);
        throw e;
      }
    },
  }),
  route({
    method: 'post',
    path: '/tickets/:id/restore',
    tag: 'Заявки',
    summary: 'Восстановить процесс заявки, потерянный в Temporal, из сохранённого состояния',
    description:
      'Для открытых заявок с workflowMissing: процесс запускается заново с состоянием из read-модели — все сроки ' +
      'как были (просроченные за время отсутствия срабатывают сразу), переписка и журнал сохранены.',
    roles: ['admin'],
    scope: ticketScope,
    params: idParam,
    responses: {
      200: { description: 'Процесс запущен; заявка', schema: anyObject },
      409: { description: 'Процесс заявки работает или заявка в архиве', schema: problem },
    },
    handler: async ({ ctx, params, principal }) => {
      const row = await visibleTicket(ctx, params.id, principal);
      try {
        await restoreTicket(ctx.db, ctx.gateway, row.id);
      } catch (e) {
        if (e instanceof NothingToRestoreError)
          throw new Problem('conflict', `Восстанавливать нечего: ${e.message}.`, {
            code: 'nothing_to_restore',
          });
        throw e;
      }
      const restored = await findTicket(ctx.db, row.id);
      return { status: 200, body: summaryOf(restored!) };
    },
  }),
  ...OPERATOR_COMMANDS.map(commandRoute),
];

export function correspondenceItem(
  row: Awaited<ReturnType<typeof correspondenceOf>>[number],
  checks: ReadonlyMap<string, unknown> = new Map(),
) {
  return {
    id: row.id,
    direction: row.direction,
    template: row.template,
    status: row.status,
    messageId: row.messageId,
    /** The message it answers: the initiator's request, so the initiator's mail client threads it. */
    inReplyTo: row.inReplyTo,
    from: row.fromAddress,
    to: row.toAddresses,
    subject: row.subject,
    body: row.body,
    attachments: row.attachments,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    /** Incoming mail: the intake's sender check (issue #18); null when not checked. */
    senderAuth: row.direction === 'in' && row.messageId ? senderAuthView(checks.get(row.messageId)) : null,
  };
}
