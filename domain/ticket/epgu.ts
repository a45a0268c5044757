/**
 * Seed 003 (СП РПГУ ↔ СП ЕПГУ): the regional service fixes the appeal and answers from the FAQ, or
 * forwards it with the user's data; the federal service returns it, answers from its knowledge base,
 * or registers a ticket (incident, information request, claim) that may wait for the user
 * («В ожидании», «Запрошена информация (пользователь)») or for an agency («Отклонено на ведомство»),
 * is solved («Решен») and closed on confirmation, on silence, or reopened on disagreement.
 */
import type { EpguRegulation } from '../regulations/types';
import { newClock } from './clocks';
import {
  accept,
  event,
  followUpStart,
  isPerson,
  isTerminal,
  missingText,
  notInRegulation,
  nothing,
  outcomeOps,
  refuse,
  stopIfRunning,
  wrongStatus,
  type Ctx,
} from './decision';
import { invalidFields, listLabels, mergeIntake, missingFields } from './intake';
import { statusLabel, typeLabel } from './labels';
import { setResolutionTarget } from './primorye';
import type { Actor, ClockOp, Decision, EventDraft, IntakePatch, OperatorCommand } from './types';

type C = Ctx<EpguRegulation>;

const REGIONAL = ['received', 'returned'];
const IN_WORK = ['assigned', 'pending'];
const TICKET_KINDS = ['incident', 'information_request'];

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
  const invalid = invalidFields(intake);
  if (invalid.length) {
    return refuse(
      'invalid_fields',
      `Исправьте данные: ${invalid.map((p) => p.message).join('; ')}.`,
      `invalid fields: ${invalid.map((p) => p.field).join(', ')}`,
    );
  }
  return null;
}

function noResponseStart(c: C): ClockOp {
  const clock = newClock(c.regulation, c.at, c.regulation.userInfoTimeout, 'working', {
    remindDaysBefore: c.regulation.reminderWorkingDaysBefore,
  });
  return { op: 'start', name: 'noResponse', clock };
}

function resolutionStart(c: C, kind: string): ClockOp {
  const clock = newClock(c.regulation, c.at, c.regulation.resolutionTargets[kind] ?? null, 'working', {
    warnAt: c.regulation.slaWarningFraction,
  });
  return { op: 'start', name: 'resolution', clock };
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
      {
        status: 'closed',
        statusReason: 'claim_registered',
        clockOps: [...stops, start],
      },
    ),
  ];
}

function reply(c: C, cmd: Extract<OperatorCommand, { type: 'reply' }>): Decision {
  const s = c.state;
  if (typeof cmd.text !== 'string') return missingText(cmd.text, 'text', 'текст сообщения')!;
  const body = {
    type: 'messageReceived' as const,
    text: cmd.text,
    ...(cmd.from && { from: cmd.from }),
    ...(cmd.messageId && { messageId: cmd.messageId }),
    ...(cmd.attachments?.length && { attachments: cmd.attachments }),
    ...(cmd.fields && { fields: cmd.fields }),
  };
  if (s.status === 'pending' && s.statusReason === 'user_info') {
    // п. 3.2.7.3, 3.3.7.2: the information came in time, work resumes as «назначен».
    return accept(
      event(c, cmd.by, body, {
        status: 'assigned',
        statusReason: null,
        clockOps: [...stopIfRunning(s, 'noResponse'), { op: 'resume', name: 'resolution' }],
      }),
    );
  }
  if (s.status === 'pending' && s.statusReason === 'user_data') {
    return accept(
      event(c, cmd.by, body, {
        status: s.resumeStatus ?? 'received',
        statusReason: null,
        clockOps: stopIfRunning(s, 'noResponse'),
      }),
    );
  }
  return accept(event(c, cmd.by, body));
}

function requestInfo(c: C, cmd: Extract<OperatorCommand, { type: 'requestInfo' }>): Decision {
  const s = c.state;
  const bad = missingText(cmd.question, 'question', 'какую информацию запросить у пользователя');
  if (bad) return bad;
  const body = { type: 'infoRequested' as const, question: cmd.question };
  if (REGIONAL.includes(s.status)) {
    // п. 3.3.2.2: the regional service asks the user for the missing data before forwarding.
    const missing = missingFields(s.intake, c.regulation.userDataFields).map((m) => m.label);
    return accept(
      event(
        c,
        cmd.by,
        { ...body, ...(missing.length && { missingFields: missing }) },
        {
          status: 'pending',
          statusReason: 'user_data',
          clockOps: [noResponseStart(c)],
        },
      ),
    );
  }
  if (s.status === 'assigned') {
    // п. 3.2.7.1: «В ожидании», причина «Запрошена информация (пользователь)».
    return accept(
      event(c, cmd.by, body, {
        status: 'pending',
        statusReason: 'user_info',
        clockOps: [{ op: 'pause', name: 'resolution' }, noResponseStart(c)],
      }),
    );
  }
  if (s.status === 'pending' && s.statusReason !== 'agency') {
    return accept(event(c, cmd.by, body, { clockOps: [noResponseStart(c)] }));
  }
  return wrongStatus(c, 'requestInfo', ['received', 'returned', 'assigned']);
}

function answerFromFaq(c: C, cmd: Extract<OperatorCommand, { type: 'answerFromFaq' }>): Decision {
  const s = c.state;
  const bad =
    missingText(cmd.articleId, 'articleId', 'статью FAQ') ??
    missingText(cmd.answer, 'answer', 'текст ответа');
  if (bad) return bad;
  const body = { type: 'faqAnswered' as const, articleId: cmd.articleId, answer: cmd.answer };
  if (REGIONAL.includes(s.status)) {
    // п. 3.2.1.1, 3.3.1.1: the answer is given without involving СП ЕПГУ.
    return accept(
      event(c, cmd.by, body, { status: 'closed', statusReason: 'faq_answer', clockOps: outcomeOps(c) }),
    );
  }
  if (s.status === 'forwarded' || s.status === 'assigned') {
    if (s.channel === 'phone') {
      // п. 3.2.4.1: answered to the user on the call.
      return accept(
        event(c, cmd.by, body, { status: 'closed', statusReason: 'faq_answer', clockOps: outcomeOps(c) }),
      );
    }
    // п. 3.3.5.1: the answer goes to СП РПГУ for the user, like a solution (п. 3.3.13).
    return accept(event(c, cmd.by, body, { status: 'solved', statusReason: null, clockOps: solvedOps(c) }));
  }
  return wrongStatus(c, 'answerFromFaq', [...REGIONAL, 'forwarded', 'assigned']);
}

function registerTicket(c: C, cmd: Extract<OperatorCommand, { type: 'register' }>): Decision {
  const s = c.state;
  if (s.status !== 'forwarded') return wrongStatus(c, 'register', ['forwarded']);
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
  if (cmd.assignee !== undefined && !isPerson(cmd.assignee)) {
    return refuse('invalid_arguments', 'Укажите исполнителя (id и имя).', 'assignee must have id and name');
  }
  const events = [
    event(
      c,
      cmd.by,
      { type: 'registered', requestType: kind, ...(cmd.fields && { fields: cmd.fields }) },
      {
        status: 'assigned',
        statusReason: null,
        line: 'sp_epgu',
        clockOps: [resolutionStart(c, kind)],
      },
    ),
  ];
  if (cmd.assignee) events.push(event(c, cmd.by, { type: 'assigned', assignee: cmd.assignee }));
  return accept(...events);
}

function statusInquiry(c: C, cmd: Extract<OperatorCommand, { type: 'statusInquiry' }>): Decision {
  const s = c.state;
  const channel = cmd.channel === 'phone' ? 'phone' : 'email';
  const inquiryId = String(s.inquiries.length + 1);
  const name = `inquiry:${inquiryId}`;
  const events: EventDraft[] = [];
  // п. 3.3.9.2: by email the answer is due within 3 working hours; by phone it is given on the call.
  const clockOps: ClockOp[] =
    channel === 'email'
      ? [{ op: 'start', name, clock: newClock(c.regulation, c.at, c.regulation.statusInquiryDeadline) }]
      : [];
  events.push(
    event(
      c,
      cmd.by,
      { type: 'inquiryReceived', inquiryId, channel, ...(cmd.text && { text: cmd.text }) },
      { clockOps },
    ),
  );
  // п. 3.2.8.3, 3.3.9.2: a comment about the repeated inquiry goes into the ticket.
  events.push(
    event(c, cmd.by, {
      type: 'commented',
      text: 'Повторное обращение пользователя за уточнением сроков рассмотрения.',
      visibility: 'internal',
    }),
  );
  if (channel === 'email' && c.regulation.autoAnswerStatusInquiries) {
    events.push(
      event(
        c,
        { kind: 'system', name: 'reglament' },
        { type: 'inquiryAnswered', inquiryId, text: statusSummary(c), automatic: true },
        {
          clockOps: [{ op: 'stop', name }],
        },
      ),
    );
  }
  return accept(...events);
}

/** What the user is told about the ticket's progress (п. 3.2.8.3, 3.3.9.2). */
export function statusSummary(c: C): string {
  const s = c.state;
  const status = statusLabel(c.regulation, s.status);
  if (s.status === 'pending' && s.statusReason === 'agency') {
    return `Обращение ${s.id}: информация передана в ${s.agency ?? 'ФОИВ'}; после получения ответа вы будете проинформированы.`;
  }
  return `Обращение ${s.id} (${typeLabel(c.regulation, s.type)}): статус «${status}».`;
}

export function decideEpgu(c: C, cmd: OperatorCommand): Decision {
  const s = c.state;
  switch (cmd.type) {
    case 'answerFromFaq':
      return answerFromFaq(c, cmd);
    case 'forward': {
      if (!REGIONAL.includes(s.status)) return wrongStatus(c, 'forward', REGIONAL);
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
          },
          {
            status: 'forwarded',
            statusReason: null,
            line: 'sp_epgu',
            clockOps: stopIfRunning(s, 'noResponse'),
          },
        ),
      );
    }
    case 'return': {
      if (s.status !== 'forwarded' && s.status !== 'assigned')
        return wrongStatus(c, 'return', ['forwarded', 'assigned']);
      const bad = missingText(cmd.reason, 'reason', 'почему обращение вне компетенции СП ЕПГУ');
      if (bad) return bad;
      // п. 3.2.2.1, 3.3.3.1: not the federal service's competence, back to СП РПГУ.
      return accept(
        event(
          c,
          cmd.by,
          { type: 'returned', reason: cmd.reason },
          {
            status: 'returned',
            statusReason: 'not_competent',
            line: 'rpgu',
            clockOps: stopIfRunning(s, 'resolution'),
          },
        ),
      );
    }
    case 'register':
      return registerTicket(c, cmd);
    case 'requestInfo':
      return requestInfo(c, cmd);
    case 'reply':
      return reply(c, cmd);
    case 'assign': {
      if (!['forwarded', ...IN_WORK].includes(s.status))
        return wrongStatus(c, 'assign', ['forwarded', ...IN_WORK]);
      if (!isPerson(cmd.assignee))
        return refuse(
          'invalid_arguments',
          'Укажите исполнителя (id и имя).',
          'assignee must have id and name',
        );
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
    }
    case 'escalate': {
      if (!IN_WORK.includes(s.status)) return wrongStatus(c, 'escalate', IN_WORK);
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
    }
    case 'askAgency': {
      if (s.status !== 'assigned') return wrongStatus(c, 'askAgency', ['assigned']);
      const bad = missingText(cmd.agency, 'agency', 'ФОИВ');
      if (bad) return bad;
      // п. 3.2.8: «В ожидании» / «Отклонено на ведомство»; no work until the agency answers (п. 3.2.8.2).
      return accept(
        event(
          c,
          cmd.by,
          { type: 'agencyAsked', agency: cmd.agency, ...(cmd.question && { question: cmd.question }) },
          {
            status: 'pending',
            statusReason: 'agency',
            clockOps: [{ op: 'pause', name: 'resolution' }],
          },
        ),
      );
    }
    case 'agencyAnswered': {
      if (!(s.status === 'pending' && s.statusReason === 'agency'))
        return wrongStatus(c, 'agencyAnswered', ['pending']);
      const bad = missingText(cmd.text, 'text', 'ответ ФОИВ');
      if (bad) return bad;
      // п. 3.2.9, 3.3.10: the answer goes into the ticket as a comment and work resumes.
      return accept(
        event(
          c,
          cmd.by,
          { type: 'agencyAnswered', text: cmd.text },
          {
            status: 'assigned',
            statusReason: null,
            clockOps: [{ op: 'resume', name: 'resolution' }],
          },
        ),
      );
    }
    case 'resume': {
      if (!(s.status === 'pending' && s.statusReason !== 'agency'))
        return wrongStatus(c, 'resume', ['pending']);
      const back = s.statusReason === 'user_info' ? 'assigned' : (s.resumeStatus ?? 'received');
      return accept(
        event(
          c,
          cmd.by,
          { type: 'resumed', ...(cmd.note && { note: cmd.note }) },
          {
            status: back,
            statusReason: null,
            clockOps: [
              ...stopIfRunning(s, 'noResponse'),
              ...(back === 'assigned' ? [{ op: 'resume', name: 'resolution' } as ClockOp] : []),
            ],
          },
        ),
      );
    }
    case 'statusInquiry':
      return statusInquiry(c, cmd);
    case 'answerInquiry': {
      const open = s.inquiries.filter((q) => q.answeredAt === null);
      const inquiry = cmd.inquiryId ? open.find((q) => q.id === cmd.inquiryId) : open.at(-1);
      if (!inquiry)
        return refuse('no_inquiry', 'Нет неотвеченных запросов о статусе.', 'no open status inquiry');
      const bad = missingText(cmd.text, 'text', 'ответ о статусе');
      if (bad) return bad;
      return accept(
        event(
          c,
          cmd.by,
          { type: 'inquiryAnswered', inquiryId: inquiry.id, text: cmd.text, automatic: false },
          {
            clockOps: stopIfRunning(s, `inquiry:${inquiry.id}`),
          },
        ),
      );
    }
    case 'resolve': {
      if (s.status !== 'assigned') return wrongStatus(c, 'resolve', ['assigned']);
      const bad = missingText(cmd.text, 'text', 'решение для пользователя');
      if (bad) return bad;
      // п. 3.2.10–3.2.11, 3.3.11–3.3.13: «Решен», the solution goes to the user.
      return accept(
        event(
          c,
          cmd.by,
          { type: 'resolved', text: cmd.text },
          { status: 'solved', statusReason: null, clockOps: solvedOps(c) },
        ),
      );
    }
    case 'confirm': {
      if (s.status !== 'solved') return wrongStatus(c, 'confirm', ['solved']);
      // п. 3.2.11.1, 3.3.13.1.
      return accept(
        event(
          c,
          cmd.by,
          { type: 'solutionConfirmed', ...(cmd.text && { text: cmd.text }) },
          {
            status: 'closed',
            statusReason: 'confirmed',
            clockOps: outcomeOps(c),
          },
        ),
      );
    }
    case 'disagree': {
      if (s.status !== 'solved') return wrongStatus(c, 'disagree', ['solved']);
      const bad = missingText(cmd.text, 'text', 'ответ пользователя');
      if (bad) return bad;
      if (s.channel === 'phone') {
        // п. 3.2.11.2: by phone, a disagreement is registered as a claim for ГРП (7 working days).
        return accept(
          event(c, cmd.by, { type: 'solutionDisputed', text: cmd.text }),
          ...claimEvents(c, cmd.by, cmd.text, true),
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
    }
    case 'registerClaim': {
      const bad = missingText(cmd.text, 'text', 'суть претензии');
      if (bad) return bad;
      if (s.status === 'forwarded') {
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
      if (s.status === 'solved') return accept(...claimEvents(c, cmd.by, cmd.text, true));
      if (s.status === 'closed') return accept(...claimEvents(c, cmd.by, cmd.text, false));
      return wrongStatus(c, 'registerClaim', ['forwarded', 'solved', 'closed']);
    }
    case 'resolveClaim': {
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
      if (s.type === 'claim' && s.status === 'assigned') {
        // The ticket is the claim: its resolution is the solution the user confirms (п. 3.3.13).
        return accept(
          event(
            c,
            cmd.by,
            { type: 'claimResolved', claimId: claim.id, text: cmd.text },
            { clockOps: [stop] },
          ),
          event(
            c,
            cmd.by,
            { type: 'resolved', text: cmd.text },
            { status: 'solved', statusReason: null, clockOps: solvedOps(c) },
          ),
        );
      }
      const othersOpen = s.claims.some((x) => x.id !== claim.id && x.resolvedAt === null);
      // The last claim of a closed ticket resolved: the follow-up period starts (see outcomeOps).
      const followUp = isTerminal(c) && !othersOpen ? [followUpStart(c)] : [];
      return accept(
        event(
          c,
          cmd.by,
          { type: 'claimResolved', claimId: claim.id, text: cmd.text },
          { clockOps: [stop, ...followUp] },
        ),
      );
    }
    case 'close': {
      if (isTerminal(c))
        return wrongStatus(
          c,
          'close',
          Object.keys(c.regulation.statuses).filter((x) => !isTerminal(c, x)),
        );
      const bad = missingText(cmd.text, 'text', 'что сообщено пользователю');
      if (bad) return bad;
      const reason = s.status === 'returned' ? 'not_competent' : 'operator';
      return accept(
        event(
          c,
          cmd.by,
          { type: 'closed', reason, text: cmd.text },
          { status: 'closed', statusReason: reason, clockOps: outcomeOps(c) },
        ),
      );
    }
    case 'comment': {
      const bad = missingText(cmd.text, 'text', 'текст комментария');
      if (bad) return bad;
      return accept(
        event(c, cmd.by, {
          type: 'commented',
          text: cmd.text,
          visibility: cmd.visibility === 'public' ? 'public' : 'internal',
        }),
      );
    }
    case 'setDeadline':
      if (!IN_WORK.includes(s.status)) return wrongStatus(c, 'setDeadline', IN_WORK);
      // п. 3.4: SLA agreed by separate protocols.
      return setResolutionTarget(c, cmd);
    case 'reclassify': {
      if (!IN_WORK.includes(s.status)) return wrongStatus(c, 'reclassify', IN_WORK);
      if (!TICKET_KINDS.includes(cmd.requestType) || cmd.requestType === s.type) {
        return refuse(
          'invalid_type',
          'Вид тикета меняется между «Инцидент» и «Информационный запрос».',
          `cannot reclassify to ${cmd.requestType}`,
        );
      }
      const target = c.regulation.resolutionTargets[cmd.requestType] ?? null;
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
          {
            clockOps: [
              {
                op: 'retarget',
                name: 'resolution',
                target: target?.unit === 'workingHours' ? { minutes: target.value * 60 } : null,
              },
            ],
          },
        ),
      );
    }
    default:
      return notInRegulation(c, cmd.type);
  }
}

/** Expiry of a wait for the user: the ticket closes (п. 3.2.7.2, 3.3.7.1). */
export function epguNoResponse(c: C): Decision {
  if (c.state.status !== 'pending' || c.state.statusReason === 'agency') return nothing;
  return accept(
    event(
      c,
      { kind: 'system', name: 'reglament' },
      { type: 'closed', reason: 'no_user_info' },
      {
        status: 'closed',
        statusReason: 'no_user_info',
        clockOps: [{ op: 'fire', name: 'noResponse', timer: 'expiry' }, ...outcomeOps(c)],
      },
    ),
  );
}

/** No answer to the solution within the confirmation period: closed (п. 3.3.13.3). */
export function epguConfirmationExpired(c: C): Decision {
  if (c.state.status !== 'solved') return nothing;
  return accept(
    event(
      c,
      { kind: 'system', name: 'reglament' },
      { type: 'closed', reason: 'no_objection' },
      {
        status: 'closed',
        statusReason: 'no_objection',
        clockOps: [{ op: 'fire', name: 'confirmation', timer: 'expiry' }, ...outcomeOps(c)],
      },
    ),
  );
}
