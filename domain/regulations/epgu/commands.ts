/**
 * Seed 003 (СП РПГУ ↔ СП ЕПГУ): the regional service fixes the appeal and answers from the FAQ, or
 * forwards it with the user's data; the federal service returns it, answers from its knowledge base,
 * or registers a ticket (incident, information request, claim) that may wait for the user
 * («В ожидании», «Запрошена информация (пользователь)») or for an agency («Отклонено на ведомство»),
 * is solved («Решен») and closed on confirmation, on silence, or reopened on disagreement.
 */
import { newClock } from '../../ticket/clocks';
import {
  accept,
  badAssignee,
  event,
  followUpStart,
  inStatus,
  isPerson,
  isTerminal,
  missingText,
  notTerminal,
  outcomeOps,
  refusal,
  refuse,
  stopIfRunning,
  systemEvent,
  wrongStatusRefusal,
  type Ctx,
} from '../../ticket/decision';
import { invalidFields, listLabels, localDate, mergeIntake, missingFields } from '../../ticket/intake';
import { statusLabel, typeLabel } from '../../ticket/labels';
import type { CommandOf, CommandTable, Guard } from '../../ticket/module';
import {
  askInitiator,
  changeOrganization,
  comment,
  endWait,
  messageBody,
  messageText,
  noResponseStart,
  outcome,
  resolutionStart,
  retargetResolution,
  setResolutionTarget,
} from '../../ticket/rules';
import type {
  Actor,
  Channel,
  ClockOp,
  Decision,
  EventBody,
  EventDraft,
  InquiryService,
  IntakePatch,
  TicketState,
} from '../../ticket/types';
import type { EpguRegulation } from '../types';

type C = Ctx<EpguRegulation>;
type G = Guard<EpguRegulation>;

const REGIONAL = ['received', 'returned'];
const IN_WORK = ['assigned', 'pending'];
const TICKET_KINDS = ['incident', 'information_request'];

/** The appeal is with the federal service: forwarded and not returned (lines СП ЕПГУ, СТП ЕПГУ, ГРП). */
export const atFederal = (s: TicketState): boolean => s.line !== 'rpgu';

const waitingForAgency = (s: TicketState): boolean => s.status === 'pending' && s.statusReason === 'agency';

function userDataProblem(c: C, patch: IntakePatch | undefined, clause: string): Decision | null {
  const intake = mergeIntake(c.state.intake, patch);
  const missing = missingFields(intake, c.regulation.userDataFields);
  if (missing.length) {
    return refuse(
      'missing_fields',
      `Для передачи в СП ЕПГУ не хватает данных пользователя: ${listLabels(missing)} (${clause}). ` +
        'Запросите их у пользователя; до получения данных обращение в СП ЕПГУ не направляется (п. 3.3.2.2–3.3.2.3).',
      `missing user data: ${missing.map((m) => m.field).join(', ')}`,
    );
  }
  const invalid = invalidFields(intake, localDate(c.now, c.regulation.workingHours.timeZone));
  if (invalid.length) {
    return refuse(
      'invalid_fields',
      `Исправьте данные: ${invalid.map((p) => p.message).join('; ')}.`,
      `invalid fields: ${invalid.map((p) => p.field).join(', ')}`,
    );
  }
  return null;
}

/** The solution goes to the user; the confirmation window opens (п. 3.3.13). */
function solvedOps(c: C): ClockOp[] {
  const clock = newClock(c.regulation, c.at, c.regulation.confirmationPeriod, 'working', {
    remindDaysBefore: c.regulation.reminderWorkingDaysBefore,
  });
  const resolution = c.state.clocks.resolution;
  return [
    ...(resolution && resolution.stoppedAt === null ? [{ op: 'pause', name: 'resolution' } as ClockOp] : []),
    ...stopIfRunning(c.state, 'noResponse'),
    { op: 'start', name: 'confirmation', clock },
  ];
}

const solved = (c: C, by: Actor, body: EventBody): EventDraft =>
  event(c, by, body, { status: 'solved', statusReason: null, clockOps: solvedOps(c) });

function claimEvents(c: C, by: Actor, text: string, closeTicket: boolean): EventDraft[] {
  const claimId = `${c.state.id}-C${c.state.claims.length + 1}`;
  const clock = newClock(c.regulation, c.at, c.regulation.claimDeadline, 'working', {
    warnAt: c.regulation.slaWarningFraction,
  });
  const start: ClockOp = { op: 'start', name: `claim:${claimId}`, clock };
  if (!closeTicket)
    return [
      event(
        c,
        by,
        { type: 'claimRegistered', claimId, text },
        { clockOps: [start, ...stopIfRunning(c.state, 'followUp')] },
      ),
    ];
  // The disputed solution ends the ticket; the claim lives on as its own item (п. 3.2.11.2).
  const stops = Object.entries(c.state.clocks)
    .filter(([name, clock]) => clock.stoppedAt === null && !name.startsWith('claim:'))
    .map(([name]) => ({ op: 'stop', name }) as ClockOp);
  return [
    event(
      c,
      by,
      { type: 'claimRegistered', claimId, text },
      { status: 'closed', statusReason: 'claim_registered', clockOps: [...stops, start] },
    ),
  ];
}

/** What the user is told about the ticket's progress (п. 3.2.8.3, 3.3.9.2). */
export function statusSummary(c: C): string {
  const s = c.state;
  if (waitingForAgency(s)) {
    return `Обращение ${s.id}: информация передана в ${s.agency ?? 'ФОИВ'}; после получения ответа вы будете проинформированы.`;
  }
  return `Обращение ${s.id} (${typeLabel(c.regulation, s.type)}): статус «${statusLabel(c.regulation, s.status)}».`;
}

/**
 * A user asks how the appeal is going (п. 3.2.8.3, 3.3.9). While СП ЕПГУ holds the ticket it is a
 * repeated inquiry to it: a comment in the ticket and, in writing, an answer due in 3 working hours.
 * An appeal СП ЕПГУ does not hold (answered from the FAQ, returned, not yet forwarded) is the regional
 * service's to answer by its own rules (п. 3.2.1.2, 3.3.1.2): no inquiry to СП ЕПГУ is logged.
 */
function inquiry(c: C, by: Actor, channel: Channel, text: string | undefined): EventDraft[] {
  const s = c.state;
  const inquiryId = String(s.inquiries.length + 1);
  const name = `inquiry:${inquiryId}`;
  const service: InquiryService = !c.regulation.inquiriesByService || atFederal(s) ? 'federal' : 'regional';
  const federal = service === 'federal';
  // п. 3.3.9.2: by email the answer is due within 3 working hours; by phone it is given on the call.
  const clockOps: ClockOp[] =
    federal && channel === 'email'
      ? [{ op: 'start', name, clock: newClock(c.regulation, c.at, c.regulation.statusInquiryDeadline) }]
      : [];
  const events: EventDraft[] = [
    event(
      c,
      by,
      {
        type: 'inquiryReceived',
        inquiryId,
        channel,
        ...(text && { text }),
        ...(c.regulation.inquiriesByService && { service }),
      },
      { clockOps },
    ),
  ];
  // п. 3.2.8.3, 3.3.9.2: a comment about the repeated inquiry goes into the ticket.
  if (federal) {
    const comment = {
      type: 'commented' as const,
      text: 'Повторное обращение пользователя за уточнением сроков рассмотрения.',
      visibility: 'internal' as const,
    };
    // The note is the desk's, also when the user's own message brought the inquiry.
    events.push(by.kind === 'operator' ? event(c, by, comment) : systemEvent(c, comment));
  }
  if (channel === 'email' && c.regulation.autoAnswerStatusInquiries) {
    events.push(
      systemEvent(
        c,
        { type: 'inquiryAnswered', inquiryId, text: statusSummary(c), automatic: true },
        { clockOps: clockOps.length ? [{ op: 'stop', name }] : [] },
      ),
    );
  }
  return events;
}

const inquiryChannel = (c: C, cmd: CommandOf<'statusInquiry'>): Channel =>
  cmd.channel === 'phone' || cmd.channel === 'email'
    ? cmd.channel
    : c.regulation.inquiriesByService
      ? c.state.channel
      : 'email';

// ---- preconditions ---------------------------------------------------------------------------

const infoRequestPossible: G = (c) => {
  const s = c.state;
  return REGIONAL.includes(s.status) ||
    s.status === 'assigned' ||
    (s.status === 'pending' && !waitingForAgency(s))
    ? null
    : wrongStatusRefusal(c, 'requestInfo', ['received', 'returned', 'assigned']);
};

const waitingForUser: G = (c) =>
  c.state.status === 'pending' && !waitingForAgency(c.state)
    ? null
    : wrongStatusRefusal(c, 'resume', ['pending']);

/** п. 3.2.8.2: until the agency answers, no work is done on the ticket (technical analysis included). */
const notWaitingForAgency: G = (c) =>
  waitingForAgency(c.state)
    ? refusal(
        'waiting_for_agency',
        `Тикет ожидает ответа ${c.state.agency ?? 'ФОИВ'}: до ответа ведомства работа по нему не производится (п. 3.2.8.2). ` +
          'Передать его в СТП ЕПГУ можно после ответа («Получен ответ ФОИВ»).',
        'no work while the ticket waits for a federal agency',
      )
    : null;

const agencyAsked: G = (c) =>
  waitingForAgency(c.state) ? null : wrongStatusRefusal(c, 'agencyAnswered', ['pending']);

/** Closing needs a regulated basis: a reason the text names for the ticket's status. */
const closeReasonsIn = (c: C): string[] =>
  Object.entries(c.regulation.closeReasons)
    .filter(([, r]) => r.byOperatorIn?.includes(c.state.status))
    .map(([code]) => code);

const closable: G = (c) => {
  if (closeReasonsIn(c).length) return null;
  const s = c.state;
  if (isTerminal(c)) return notTerminal('close')(c, { kind: 'system' });
  const where = Object.values(c.regulation.closeReasons)
    .flatMap((r) => r.byOperatorIn ?? [])
    .map((st) => `«${statusLabel(c.regulation, st)}»`);
  return refusal(
    'no_close_basis',
    (waitingForAgency(s)
      ? 'Тикет ожидает ответа ФОИВ: до ответа он остаётся «В ожидании» (п. 3.2.8.2), закрытие оператором регламентом не предусмотрено. '
      : `В статусе «${statusLabel(c.regulation, s.status)}» регламент не называет оснований для закрытия оператором. `) +
      `Оператор закрывает обращение в статусах ${[...new Set(where)].join(', ')}; решённое — подтверждением решения (п. 3.3.13.1).`,
    `no regulated closing reason in status ${s.status}`,
  );
};

const openClaim: G = (c) =>
  c.state.claims.some((x) => x.resolvedAt === null)
    ? null
    : refusal('no_claim', 'Нет открытой претензии.', 'no open claim');

const openInquiry: G = (c) =>
  c.state.inquiries.some((q) => q.answeredAt === null)
    ? null
    : refusal('no_inquiry', 'Нет неотвеченных запросов о статусе.', 'no open status inquiry');

// ---- commands --------------------------------------------------------------------------------

export const commands: CommandTable<EpguRegulation> = {
  answerFromFaq: {
    when: [inStatus('answerFromFaq', ...REGIONAL, 'forwarded', 'assigned')],
    run: (c, cmd) => {
      const s = c.state;
      const bad =
        missingText(cmd.articleId, 'articleId', 'статью FAQ') ??
        missingText(cmd.answer, 'answer', 'текст ответа');
      if (bad) return bad;
      const body = { type: 'faqAnswered' as const, articleId: cmd.articleId, answer: cmd.answer };
      // п. 3.2.1.1, 3.3.1.1: the answer is given without involving СП ЕПГУ; п. 3.2.4.1: on the call.
      if (REGIONAL.includes(s.status) || s.channel === 'phone')
        return accept(outcome(c, cmd.by, body, 'closed', 'faq_answer'));
      // п. 3.3.5.1: the answer goes to СП РПГУ for the user, like a solution (п. 3.3.13).
      return accept(solved(c, cmd.by, body));
    },
  },

  forward: {
    when: [inStatus('forward', ...REGIONAL)],
    run: (c, cmd) => {
      const s = c.state;
      // п. 3.2.1, 3.3.1: the FAQ first; forwarding records what it gave (п. 3.2.2, 3.3.2: «в случае отсутствия ответа»).
      if (c.regulation.faqCheckBeforeForward) {
        if (cmd.faqCheck !== 'no_answer' && cmd.faqCheck !== 'not_helpful') {
          return refuse(
            'faq_not_checked',
            'Сначала найдите ответ в FAQ (п. 3.2.1, 3.3.1): укажите, что ответа в FAQ нет, или статью FAQ, которая не помогла.',
            'forward needs faqCheck: no_answer or not_helpful',
          );
        }
        if (cmd.faqCheck === 'not_helpful') {
          const bad = missingText(cmd.faqArticleId, 'faqArticleId', 'статью FAQ, которая не помогла');
          if (bad) return bad;
        }
      }
      // п. 3.3.2.1: a written appeal goes with the user's data; a call is transferred (п. 3.2.2).
      if (s.channel === 'email') {
        const problem = userDataProblem(c, cmd.fields, 'п. 3.3.2.1');
        if (problem) return problem;
      }
      return accept(
        event(
          c,
          cmd.by,
          {
            type: 'forwarded',
            ...(cmd.note && { note: cmd.note }),
            ...(cmd.fields && { fields: cmd.fields }),
            ...(cmd.faqCheck && { faqCheck: cmd.faqCheck }),
            ...(cmd.faqCheck === 'not_helpful' && cmd.faqArticleId && { faqArticleId: cmd.faqArticleId }),
          },
          {
            status: 'forwarded',
            statusReason: null,
            line: 'sp_epgu',
            clockOps: stopIfRunning(s, 'noResponse'),
          },
        ),
      );
    },
  },

  return: {
    when: [inStatus('return', 'forwarded', 'assigned')],
    run: (c, cmd) =>
      missingText(cmd.reason, 'reason', 'почему обращение вне компетенции СП ЕПГУ') ??
      // п. 3.2.2.1, 3.3.3.1: not the federal service's competence, back to СП РПГУ.
      accept(
        event(
          c,
          cmd.by,
          { type: 'returned', reason: cmd.reason },
          {
            status: 'returned',
            statusReason: 'not_competent',
            line: 'rpgu',
            clockOps: stopIfRunning(c.state, 'resolution'),
          },
        ),
      ),
  },

  register: {
    when: [inStatus('register', 'forwarded')],
    run: (c, cmd) => {
      const kind = cmd.requestType ?? '';
      if (!TICKET_KINDS.includes(kind)) {
        return refuse(
          'invalid_type',
          'Укажите вид тикета: «Инцидент» или «Информационный запрос»; претензия регистрируется отдельно (п. 3.2.4.2, 3.3.3.2).',
          `register needs requestType incident or information_request, got "${kind}"`,
        );
      }
      // п. 3.2.4.2: the user's data is asked for when the ticket is registered.
      const problem = userDataProblem(c, cmd.fields, 'п. 3.2.4.2');
      if (problem) return problem;
      if (cmd.assignee !== undefined && !isPerson(cmd.assignee)) return badAssignee();
      const target = c.regulation.resolutionTargets[kind] ?? null;
      const events = [
        event(
          c,
          cmd.by,
          { type: 'registered', requestType: kind, ...(cmd.fields && { fields: cmd.fields }) },
          { status: 'assigned', statusReason: null, line: 'sp_epgu', clockOps: [resolutionStart(c, target)] },
        ),
      ];
      if (cmd.assignee) events.push(event(c, cmd.by, { type: 'assigned', assignee: cmd.assignee }));
      return accept(...events);
    },
  },

  requestInfo: {
    when: [infoRequestPossible],
    run: (c, cmd) => {
      const s = c.state;
      const bad = missingText(cmd.question, 'question', 'какую информацию запросить у пользователя');
      if (bad) return bad;
      const body = { type: 'infoRequested' as const, question: cmd.question };
      const timeout = c.regulation.userInfoTimeout;
      if (REGIONAL.includes(s.status)) {
        // п. 3.3.2.2: the regional service asks the user for the missing data before forwarding.
        const missing = missingFields(s.intake, c.regulation.userDataFields).map((m) => m.label);
        return accept(
          askInitiator(
            c,
            cmd.by,
            { ...body, ...(missing.length && { missingFields: missing }) },
            { status: 'pending', statusReason: 'user_data', timeout },
          ),
        );
      }
      // п. 3.2.7.1: «В ожидании», причина «Запрошена информация (пользователь)»; asked again, the
      // 3 working days restart.
      if (s.status === 'pending')
        return accept(event(c, cmd.by, body, { clockOps: [noResponseStart(c, timeout)] }));
      return accept(
        askInitiator(c, cmd.by, body, {
          status: 'pending',
          statusReason: 'user_info',
          pause: 'resolution',
          timeout,
        }),
      );
    },
  },

  reply: {
    initiator: true,
    run: (c, cmd) => {
      const s = c.state;
      const bad = messageText(cmd);
      if (bad) return bad;
      const body = messageBody(cmd);
      if (s.status === 'pending' && s.statusReason === 'user_info') {
        // п. 3.2.7.3, 3.3.7.2: the information came in time, work resumes as «назначен».
        return accept(
          event(
            c,
            cmd.by,
            body,
            endWait(c, { status: 'assigned', statusReason: null, resume: 'resolution' }),
          ),
        );
      }
      if (s.status === 'pending' && s.statusReason === 'user_data') {
        return accept(
          event(c, cmd.by, body, endWait(c, { status: s.resumeStatus ?? 'received', statusReason: null })),
        );
      }
      if (waitingForAgency(s) && c.regulation.inquiriesByService) {
        // п. 3.2.8.2–3.2.8.3, 3.3.9: nothing is awaited from the user; a message is a repeated inquiry.
        return accept(event(c, cmd.by, body), ...inquiry(c, cmd.by, s.channel, cmd.text || undefined));
      }
      return accept(event(c, cmd.by, body));
    },
  },

  assign: {
    when: [inStatus('assign', 'forwarded', ...IN_WORK)],
    run: (c, cmd) => {
      if (!isPerson(cmd.assignee)) return badAssignee();
      if (cmd.line !== undefined && !(cmd.line in c.regulation.lines)) {
        return refuse('invalid_line', `Неизвестная служба «${cmd.line}».`, `unknown line ${cmd.line}`);
      }
      return accept(
        event(
          c,
          cmd.by,
          { type: 'assigned', assignee: cmd.assignee },
          { ...(cmd.line !== undefined && { line: cmd.line }) },
        ),
      );
    },
  },

  escalate: {
    when: [inStatus('escalate', ...IN_WORK), notWaitingForAgency],
    run: (c, cmd) => {
      const s = c.state;
      const bad = missingText(cmd.reason, 'reason', 'зачем нужен технический анализ');
      if (bad) return bad;
      const toLine = cmd.toLine ?? 'stp_epgu';
      if (toLine !== 'stp_epgu' || s.line === 'stp_epgu') {
        return refuse(
          'invalid_line',
          'Тикет передаётся для технического анализа в СТП ЕПГУ (п. 3.2.5, 3.3.5.3) один раз.',
          `cannot escalate to ${toLine}`,
        );
      }
      return accept(
        event(
          c,
          cmd.by,
          { type: 'escalated', fromLine: s.line, toLine, reason: cmd.reason, assignee: cmd.assignee ?? null },
          { line: toLine },
        ),
      );
    },
  },

  askAgency: {
    when: [inStatus('askAgency', 'assigned')],
    run: (c, cmd) =>
      missingText(cmd.agency, 'agency', 'ФОИВ') ??
      // п. 3.2.8: «В ожидании» / «Отклонено на ведомство»; no work until the agency answers (п. 3.2.8.2).
      accept(
        event(
          c,
          cmd.by,
          { type: 'agencyAsked', agency: cmd.agency, ...(cmd.question && { question: cmd.question }) },
          { status: 'pending', statusReason: 'agency', clockOps: [{ op: 'pause', name: 'resolution' }] },
        ),
      ),
  },

  agencyAnswered: {
    when: [agencyAsked],
    run: (c, cmd) =>
      missingText(cmd.text, 'text', 'ответ ФОИВ') ??
      // п. 3.2.9, 3.3.10: the answer goes into the ticket as a comment and work resumes.
      accept(
        event(
          c,
          cmd.by,
          { type: 'agencyAnswered', text: cmd.text },
          { status: 'assigned', statusReason: null, clockOps: [{ op: 'resume', name: 'resolution' }] },
        ),
      ),
  },

  resume: {
    when: [waitingForUser],
    run: (c, cmd) => {
      const s = c.state;
      const back = s.statusReason === 'user_info' ? 'assigned' : (s.resumeStatus ?? 'received');
      return accept(
        event(
          c,
          cmd.by,
          { type: 'resumed', ...(cmd.note && { note: cmd.note }) },
          endWait(c, { status: back, statusReason: null, resume: back === 'assigned' ? 'resolution' : null }),
        ),
      );
    },
  },

  statusInquiry: {
    initiator: true,
    run: (c, cmd) => accept(...inquiry(c, cmd.by, inquiryChannel(c, cmd), cmd.text)),
  },

  answerInquiry: {
    when: [openInquiry],
    run: (c, cmd) => {
      const s = c.state;
      const open = s.inquiries.filter((q) => q.answeredAt === null);
      const found = cmd.inquiryId ? open.find((q) => q.id === cmd.inquiryId) : open.at(-1);
      if (!found)
        return refuse('no_inquiry', 'Нет неотвеченных запросов о статусе.', 'no open status inquiry');
      const bad = missingText(cmd.text, 'text', 'ответ о статусе');
      if (bad) return bad;
      // Each service answers its own: СП ЕПГУ the inquiries about its tickets, СП РПГУ the others.
      const service = found.service ?? 'federal';
      const role = cmd.by.role;
      if (
        (service === 'federal' && role === 'regional_operator') ||
        (service === 'regional' && role === 'federal_operator')
      ) {
        return refuse(
          'forbidden',
          service === 'federal'
            ? 'На запрос о статусе тикета отвечает СП ЕПГУ (п. 3.3.9.2).'
            : 'Обращение не передавалось в СП ЕПГУ (или возвращено): на запрос о статусе отвечает СП РПГУ (п. 3.3.1.2).',
          `${service} inquiries are answered by the ${service} service`,
        );
      }
      return accept(
        event(
          c,
          cmd.by,
          { type: 'inquiryAnswered', inquiryId: found.id, text: cmd.text, automatic: false },
          { clockOps: stopIfRunning(s, `inquiry:${found.id}`) },
        ),
      );
    },
  },

  resolve: {
    when: [inStatus('resolve', 'assigned')],
    run: (c, cmd) =>
      missingText(cmd.text, 'text', 'решение для пользователя') ??
      // п. 3.2.10–3.2.11, 3.3.11–3.3.13: «Решен», the solution goes to the user.
      accept(solved(c, cmd.by, { type: 'resolved', text: cmd.text })),
  },

  confirm: {
    when: [inStatus('confirm', 'solved')],
    initiator: true,
    run: (c, cmd) =>
      // п. 3.2.11.1, 3.3.13.1.
      accept(
        outcome(
          c,
          cmd.by,
          { type: 'solutionConfirmed', ...(cmd.text && { text: cmd.text }) },
          'closed',
          'confirmed',
        ),
      ),
  },

  disagree: {
    when: [inStatus('disagree', 'solved')],
    initiator: true,
    run: (c, cmd) => {
      const s = c.state;
      const bad = missingText(cmd.text, 'text', 'ответ пользователя');
      if (bad) return bad;
      if (s.channel === 'phone') {
        // п. 3.2.11.2: by phone, a disagreement is registered as a claim for ГРП (7 working days).
        return accept(
          event(c, cmd.by, { type: 'solutionDisputed', text: cmd.text }),
          ...claimEvents(c, cmd.by, cmd.text, true),
        );
      }
      if (c.regulation.disputedAppealReprocessed && !TICKET_KINDS.includes(s.type)) {
        // п. 3.3.5.1, 3.3.13.2: the knowledge-base answer went to an appeal never registered; it is
        // processed anew by п. 4.1–4.12 (3.3.1–3.3.12), so it is back with СП ЕПГУ to be analysed and
        // registered as an incident or information request with its number and terms.
        return accept(
          event(
            c,
            cmd.by,
            { type: 'solutionDisputed', text: cmd.text },
            {
              status: 'forwarded',
              statusReason: null,
              line: 'sp_epgu',
              clockOps: stopIfRunning(s, 'confirmation'),
            },
          ),
        );
      }
      // п. 3.3.13.2: in writing, СП ЕПГУ continues working on the ticket.
      return accept(
        event(
          c,
          cmd.by,
          { type: 'solutionDisputed', text: cmd.text },
          {
            status: 'assigned',
            clockOps: [...stopIfRunning(s, 'confirmation'), { op: 'resume', name: 'resolution' }],
          },
        ),
      );
    },
  },

  registerClaim: {
    when: [inStatus('registerClaim', 'forwarded', 'solved', 'closed')],
    run: (c, cmd) => {
      const s = c.state;
      const bad = missingText(cmd.text, 'text', 'суть претензии');
      if (bad) return bad;
      if (s.status === 'forwarded') {
        // п. 3.2.4.2: a claim is a ticket too: it is registered with the user's data.
        const problem = userDataProblem(c, undefined, 'п. 3.2.4.2');
        if (problem) return problem;
        // п. 3.3.3.2–3.3.3.3: the appeal itself is a claim, handled by ГРП.
        return accept(
          event(
            c,
            cmd.by,
            { type: 'registered', requestType: 'claim' },
            { status: 'assigned', statusReason: null, line: 'grp' },
          ),
          ...claimEvents(c, cmd.by, cmd.text, false),
        );
      }
      return accept(...claimEvents(c, cmd.by, cmd.text, s.status === 'solved'));
    },
  },

  resolveClaim: {
    when: [openClaim],
    run: (c, cmd) => {
      const s = c.state;
      const claim = s.claims.find((x) => x.id === cmd.claimId);
      if (!claim || claim.resolvedAt !== null) {
        return refuse(
          'no_claim',
          `Нет открытой претензии «${String(cmd.claimId)}».`,
          `no open claim ${String(cmd.claimId)}`,
        );
      }
      const bad = missingText(cmd.text, 'text', 'решение по претензии');
      if (bad) return bad;
      const stop: ClockOp = { op: 'stop', name: `claim:${claim.id}` };
      const resolvedClaim = event(
        c,
        cmd.by,
        { type: 'claimResolved', claimId: claim.id, text: cmd.text },
        { clockOps: [stop] },
      );
      if (s.type === 'claim' && s.status === 'assigned') {
        // The ticket is the claim: its resolution is the solution the user confirms (п. 3.3.13).
        return accept(resolvedClaim, solved(c, cmd.by, { type: 'resolved', text: cmd.text }));
      }
      const othersOpen = s.claims.some((x) => x.id !== claim.id && x.resolvedAt === null);
      // The last claim of a closed ticket resolved: the follow-up period starts (see outcomeOps).
      const followUp = isTerminal(c) && !othersOpen ? [followUpStart(c)] : [];
      return accept({ ...resolvedClaim, clockOps: [stop, ...followUp] });
    },
  },

  close: {
    when: [closable],
    run: (c, cmd) => {
      const s = c.state;
      const bad = missingText(cmd.text, 'text', 'что сообщено пользователю');
      if (bad) return bad;
      const allowed = closeReasonsIn(c);
      const reason = cmd.reason ?? (allowed.length === 1 ? allowed[0]! : '');
      if (!allowed.includes(reason)) {
        return refuse(
          'invalid_reason',
          `Укажите основание закрытия из регламента: ${allowed
            .map(
              (code) =>
                `«${c.regulation.closeReasons[code]!.label}» (${c.regulation.closeReasons[code]!.clause})`,
            )
            .join('; ')}.`,
          `close reason must be one of ${allowed.join(', ')} in status ${s.status}`,
        );
      }
      return accept(
        event(
          c,
          cmd.by,
          { type: 'closed', reason, text: cmd.text },
          { status: 'closed', statusReason: reason, clockOps: outcomeOps(c) },
        ),
      );
    },
  },

  changeOrganization,
  comment,

  setDeadline: {
    when: [inStatus('setDeadline', ...IN_WORK)],
    // п. 3.4: SLA agreed by separate protocols.
    run: (c, cmd) => setResolutionTarget(c, cmd),
  },

  reclassify: {
    when: [inStatus('reclassify', ...IN_WORK)],
    run: (c, cmd) => {
      const s = c.state;
      if (!TICKET_KINDS.includes(cmd.requestType) || cmd.requestType === s.type) {
        return refuse(
          'invalid_type',
          'Вид тикета меняется между «Инцидент» и «Информационный запрос».',
          `cannot reclassify to ${cmd.requestType}`,
        );
      }
      return accept(
        event(
          c,
          cmd.by,
          {
            type: 'reclassified',
            from: s.type,
            to: cmd.requestType,
            ...(cmd.reason && { reason: cmd.reason }),
          },
          { clockOps: [retargetResolution(c.regulation.resolutionTargets[cmd.requestType] ?? null)] },
        ),
      );
    },
  },
};
