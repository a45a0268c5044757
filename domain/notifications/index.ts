/**
 * Which mail each event sends, to whom, and what it says. Pure: the workflow computes these and a
 * mail activity delivers them. Every mail's subject carries the ID and the request type (seed 000
 * п. 2.3.1.5) and its body begins with the ID (п. 2.3.1.6).
 */
import { calendarOf, resolveRegulation } from '../regulations';
import type { Regulation } from '../regulations/types';
import { deadlines } from '../ticket/deadlines';
import { lineLabel, statusLabel, typeLabel } from '../ticket/labels';
import type { TicketEvent, TicketState } from '../ticket/types';
import { normalizeEmail } from '../validation';
import { formatLocal } from './format';

export { formatLocal, zoneLabel } from './format';

/** Mailboxes resolved from configuration: the desk's managers and the two services of seed 003. */
export type MailRole = 'managers' | 'regional' | 'federal';

export interface OutgoingMail {
  /** `<ticket>:<event seq>:<template>`: a retried delivery never sends a second copy. */
  readonly key: string;
  readonly ticketId: string;
  readonly eventSeq: number;
  readonly template: string;
  readonly to: readonly string[];
  readonly toRoles: readonly MailRole[];
  readonly subject: string;
  readonly text: string;
  /** Sent by the system on its own (Auto-Submitted: auto-generated), not written by a person. */
  readonly automatic: boolean;
  /** The Message-ID the ticket's thread hangs from (the initiator's request), if any. */
  readonly threadRoot: string | null;
}

type Audience = { to?: readonly string[]; roles?: readonly MailRole[] };

const TITLE_LENGTH = 80;

function title(state: TicketState): string {
  const source = state.intake.subject?.trim() || state.intake.description?.trim().split('\n')[0] || '';
  const oneLine = source.replace(/\s+/g, ' ');
  return oneLine.length > TITLE_LENGTH ? `${oneLine.slice(0, TITLE_LENGTH - 1)}…` : oneLine;
}

/** «[ID100123] Инцидент: Не списываются баллы» (п. 2.3.1.5). */
export function subjectOf(
  state: TicketState,
  regulation: Regulation = resolveRegulation(state.regulation),
): string {
  const kind = state.type in regulation.requestTypes ? typeLabel(regulation, state.type) : 'Заявка';
  const t = title(state);
  return `[${state.id}] ${kind}${t ? `: ${t}` : ''}`;
}

/** The initiator's address and additional addresses for feedback (п. 2.3.1.1), deduplicated. */
export function initiatorAddresses(state: TicketState): string[] {
  const all = [state.intake.initiator.email, ...(state.intake.initiator.extraEmails ?? [])];
  const valid = all.map((a) => (a ? normalizeEmail(a) : null)).filter((a): a is string => !!a);
  return [...new Set(valid.map((a) => a.toLowerCase()))].map((lower) =>
    valid.find((a) => a.toLowerCase() === lower)!,
  );
}

interface Ctx {
  readonly state: TicketState;
  readonly event: TicketEvent;
  readonly regulation: Regulation;
  readonly when: (iso: string | null | undefined) => string;
}

function build(
  c: Ctx,
  template: string,
  audience: Audience,
  lines: readonly string[],
  automatic = false,
): OutgoingMail | null {
  const to = audience.to ?? [];
  const toRoles = audience.roles ?? [];
  if (!to.length && !toRoles.length) return null;
  const name = c.state.intake.initiator.fullName;
  const toInitiator = to.some((a) => initiatorAddresses(c.state).includes(a));
  const greeting = name && toInitiator ? [`Здравствуйте, ${name}!`, ''] : [];
  return {
    key: `${c.state.id}:${c.event.seq}:${template}`,
    ticketId: c.state.id,
    eventSeq: c.event.seq,
    template,
    to,
    toRoles,
    subject: subjectOf(c.state, c.regulation),
    text: [c.state.id, '', ...greeting, ...lines, '', '—', c.regulation.signature, ''].join('\n'),
    automatic,
    threadRoot: c.state.intake.sourceMessageId ?? null,
  };
}

/** Mail for the initiator; seed 003 users without e-mail are informed through СП РПГУ. */
function toInitiator(c: Ctx): Audience {
  const to = initiatorAddresses(c.state);
  if (to.length || c.regulation.id !== 'epgu') return { to };
  return { roles: ['regional'] };
}

function forRegional(c: Ctx, lines: string[]): string[] {
  const audience = toInitiator(c);
  if (!audience.roles?.includes('regional')) return lines;
  const contact = c.state.intake.initiator.contact ?? 'не указан';
  return [
    `Для пользователя ${c.state.intake.initiator.fullName ?? ''} (способ связи: ${contact}), п. 3.3.3.5, 3.3.13:`,
    '',
    ...lines,
  ];
}

const staffOf = (state: TicketState): string[] => (state.assignee?.email ? [state.assignee.email] : []);

function userDataBlock(state: TicketState): string[] {
  const i = state.intake.initiator;
  return [
    `ФИО: ${i.fullName ?? '—'}`,
    `СНИЛС: ${i.snils ?? '—'}`,
    `ИНН: ${i.inn ?? '—'}`,
    `Дата рождения: ${i.birthDate ?? '—'}`,
    `Удобный способ связи: ${i.contact ?? '—'}`,
    `Суть обращения: ${state.intake.description ?? '—'}`,
  ];
}

function clockDeadline(c: Ctx, clock: string): string {
  return c.when(deadlines(c.state)[clock]);
}

function acknowledgement(c: Ctx): OutgoingMail | null {
  const { state, regulation } = c;
  const i = state.intake.initiator;
  const target = regulation.id === 'primorye' ? regulation.resolutionTargets[state.type] : null;
  const due = deadlines(state).resolution;
  const deadline =
    target && due
      ? `Срок исполнения: до ${c.when(due)} (${target.value} рабочих часов, п. 3.1).`
      : 'Срок исполнения будет установлен отдельно для вашего запроса (п. 3.1.3).';
  return build(
    c,
    'acknowledgement',
    toInitiator(c),
    [
      'Ваша заявка зарегистрирована (п. 2.4).',
      '',
      `Идентификатор заявки: ${state.id}`,
      `Тип заявки: ${typeLabel(regulation, state.type)}`,
      `Дата и время получения: ${c.when(state.receivedAt)}`,
      `Канал поступления: ${regulation.channels[state.channel]?.label ?? state.channel}`,
      `Инициатор: ${[i.fullName, i.email].filter(Boolean).join(', ')}`,
      deadline,
      '',
      `Все сообщения по заявке начинайте с идентификатора ${state.id} и сохраняйте его в теме письма (п. 2.3.1.6); удобнее всего — ответом на это письмо.`,
    ],
    true,
  );
}

function epguRegistered(c: Ctx): OutgoingMail | null {
  const due = deadlines(c.state).resolution;
  return build(
    c,
    'registered',
    toInitiator(c),
    forRegional(c, [
      `Ваше обращение зарегистрировано в СП ЕПГУ (п. 3.3.3.4).`,
      `Номер: ${c.state.id}`,
      `Вид: ${typeLabel(c.regulation, c.state.type)}`,
      due
        ? `Срок рассмотрения: до ${c.when(due)}.`
        : 'Срок рассмотрения определяется внутренними нормативами СТП ЕПГУ (п. 3.2.6, 3.3.6).',
    ]),
    true,
  );
}

function staffDeadline(
  c: Ctx,
  kind: 'deadlineWarning' | 'deadlineBreached',
  clock: string,
  dueAt: string,
): OutgoingMail | null {
  const { state, regulation } = c;
  const names: Record<string, string> = {
    registration: 'регистрации (4 часа с момента поступления, п. 2.4)',
    resolution: 'исполнения',
  };
  const what = clock.startsWith('claim:')
    ? `рассмотрения претензии ${clock.slice(6)} (7 рабочих дней)`
    : clock.startsWith('inquiry:')
      ? 'ответа на запрос о статусе (3 рабочих часа, п. 3.3.9.2)'
      : (names[clock] ?? clock);
  const roles: MailRole[] = clock.startsWith('inquiry:') ? ['federal'] : ['managers'];
  const header =
    kind === 'deadlineWarning'
      ? `Приближается срок ${what}: ${c.when(dueAt)}.`
      : `Нарушен срок ${what}: ${c.when(dueAt)}.`;
  return build(
    c,
    kind === 'deadlineWarning' ? 'slaWarning' : 'slaBreach',
    { to: staffOf(state), roles },
    [
      header,
      '',
      `Заявка: ${subjectOf(state, regulation)}`,
      `Статус: ${statusLabel(regulation, state.status)}; линия: ${lineLabel(regulation, state.line) || '—'}; исполнитель: ${state.assignee?.name ?? 'не назначен'}.`,
    ],
    true,
  );
}

function closedMail(c: Ctx, reason: string, text: string | undefined): OutgoingMail | null {
  const r = c.regulation;
  if (r.id === 'primorye') {
    return build(c, 'notReproducible', toInitiator(c), [
      'Решить инцидент не удалось: ситуацию, описанную в заявке, воспроизвести невозможно (п. 3.4).',
      ...(text ? ['', text] : []),
      '',
      'Заявка получила статус «Закрыт». Вы можете уточнить результат ответом на это письмо.',
    ]);
  }
  if (reason === 'faq_answer' || reason === 'claim_registered') return null; // told by their own mail
  const label = r.closeReasons[reason]?.label ?? reason;
  return build(
    c,
    'closed',
    toInitiator(c),
    forRegional(c, [`Обращение закрыто: ${label.toLowerCase()}.`, ...(text ? ['', text] : [])]),
    reason !== 'operator',
  );
}

/** The mail an event causes, given the ticket's state after it. */
export function notificationsFor(event: TicketEvent, state: TicketState): OutgoingMail[] {
  const regulation = resolveRegulation(state.regulation);
  const cal = calendarOf(regulation);
  const c: Ctx = { state, event, regulation, when: (iso) => (iso ? formatLocal(iso, cal.timeZone) : '—') };
  const initiator = toInitiator(c);
  const mails: (OutgoingMail | null)[] = [];
  switch (event.type) {
    case 'registered':
      mails.push(
        regulation.id === 'primorye'
          ? acknowledgement(c)
          : event.requestType === 'claim'
            ? null
            : epguRegistered(c),
      );
      break;
    case 'assigned':
      mails.push(
        build(
          c,
          'assigned',
          { to: state.assignee?.email ? [state.assignee.email] : [] },
          [
            `Вам назначена заявка ${subjectOf(state, regulation)}.`,
            `Статус: ${statusLabel(regulation, state.status)}.`,
          ],
          true,
        ),
      );
      break;
    case 'escalated':
      mails.push(
        build(
          c,
          'escalated',
          {
            to: event.assignee?.email ? [event.assignee.email] : [],
            roles: event.assignee ? [] : ['managers'],
          },
          [
            `Заявка передана: ${lineLabel(regulation, event.fromLine)} → ${lineLabel(regulation, event.toLine)}.`,
            `Причина: ${event.reason}`,
            event.assignee ? `Исполнитель: ${event.assignee.name}.` : 'Исполнитель на линии ещё не назначен.',
          ],
          true,
        ),
      );
      break;
    case 'infoRequested': {
      const timeout =
        regulation.id === 'primorye'
          ? 'заявка будет отклонена (п. 3.5)'
          : 'обращение будет закрыто (п. 3.2.7.2, 3.3.7.1)';
      mails.push(
        build(
          c,
          'infoRequest',
          initiator,
          forRegional(c, [
            ...(event.missingFields?.length
              ? [
                  'Для регистрации заявки не хватает обязательных сведений:',
                  ...event.missingFields.map((f) => `  — ${f}`),
                  '',
                ]
              : []),
            event.question,
            '',
            `Пожалуйста, ответьте на это письмо до ${clockDeadline(c, 'noResponse')}; если ответ не поступит, ${timeout}.`,
          ]),
          // Asked by the system itself (the missing-fields answer to a mail): automatic mail, under
          // the one per-recipient limit of every automatic mail (issue #10: no backscatter floods).
          event.by.kind === 'system',
        ),
      );
      break;
    }
    case 'initiatorReminded':
      mails.push(
        build(
          c,
          'reminder',
          initiator,
          forRegional(c, [
            `Напоминаем: мы ждём вашего ответа на запрос по заявке ${state.id}.`,
            `Срок ответа — до ${c.when(event.dueAt)}.`,
          ]),
          true,
        ),
      );
      break;
    case 'messageReceived':
      mails.push(
        build(
          c,
          'newMessage',
          { to: staffOf(state) },
          [
            `Новое сообщение от инициатора по заявке ${subjectOf(state, regulation)}:`,
            '',
            event.text.slice(0, 4000),
          ],
          true,
        ),
      );
      break;
    case 'resolved':
      if (regulation.id === 'primorye') {
        mails.push(
          build(c, 'resolution', initiator, [
            'Заявка выполнена.',
            '',
            event.text,
            '',
            'Если потребуется уточнить результат, ответьте на это письмо (п. 3.3).',
          ]),
        );
      } else {
        mails.push(
          build(
            c,
            'solution',
            initiator,
            forRegional(c, [
              'Решение по вашему обращению:',
              '',
              event.text,
              '',
              `Если вы не согласны с решением, сообщите об этом до ${clockDeadline(c, 'confirmation')}; иначе обращение будет закрыто (п. 3.3.13).`,
            ]),
          ),
        );
      }
      break;
    case 'closed':
      mails.push(closedMail(c, event.reason, event.text));
      break;
    case 'rejected': {
      const reason = regulation.id === 'primorye' ? regulation.rejectionReasons[event.reason] : undefined;
      mails.push(
        build(
          c,
          'rejection',
          initiator,
          [
            `В исполнении заявки отказано (${reason?.clause ?? 'п. 3.5'}).`,
            `Причина: ${reason?.label ?? event.reason}.`,
            ...(event.text ? ['', event.text] : []),
          ],
          event.by.kind === 'system',
        ),
      );
      break;
    }
    case 'commented':
      if (event.visibility === 'public')
        mails.push(build(c, 'message', initiator, forRegional(c, [event.text])));
      break;
    case 'deadlineSet':
      mails.push(
        build(
          c,
          'deadline',
          initiator,
          [`Для заявки установлен срок исполнения: до ${clockDeadline(c, 'resolution')} (п. 3.1.3).`],
          true,
        ),
      );
      break;
    case 'deadlineWarning':
    case 'deadlineBreached':
      mails.push(staffDeadline(c, event.type, event.clock, event.dueAt));
      break;
    case 'faqAnswered':
      mails.push(
        build(c, 'faqAnswer', initiator, forRegional(c, ['Ответ на ваше обращение:', '', event.answer])),
      );
      break;
    case 'forwarded':
      if (state.channel === 'email') {
        mails.push(
          build(c, 'forwarded', { roles: ['federal'] }, [
            `Обращение пользователя передаётся в СП ЕПГУ (п. 3.3.2). Ответ — в продолжение этой переписки.`,
            '',
            ...userDataBlock(state),
            ...(event.note ? ['', `Комментарий СП РПГУ: ${event.note}`] : []),
          ]),
        );
      }
      break;
    case 'returned':
      mails.push(
        build(c, 'returned', { roles: ['regional'] }, [
          `Обращение выходит за рамки компетенции СП ЕПГУ (п. 3.3.3.1).`,
          '',
          event.reason,
        ]),
      );
      break;
    case 'agencyAsked':
      mails.push(
        build(
          c,
          'agencyWait',
          initiator,
          forRegional(c, [
            `По вашему обращению направлен запрос в ${event.agency}.`,
            'После получения ответа вы будете проинформированы (п. 3.2.8.1, 3.3.8.1).',
          ]),
          true,
        ),
      );
      break;
    case 'inquiryAnswered':
      mails.push(
        build(
          c,
          'inquiryAnswer',
          { roles: ['regional'], to: initiatorAddresses(state) },
          [event.text],
          event.automatic,
        ),
      );
      break;
    case 'claimRegistered': {
      const due = deadlines(state)[`claim:${event.claimId}`];
      mails.push(
        build(
          c,
          'claimRegistered',
          initiator,
          forRegional(c, [
            `Зарегистрирована претензия № ${event.claimId} (п. 3.2.11.2, 3.3.3.3).`,
            `Срок рассмотрения: 7 рабочих дней, до ${c.when(due)}.`,
            'Претензию рассматривает Группа по работе с претензиями СП ЕПГУ; ответ на это письмо дойдёт до неё.',
          ]),
          true,
        ),
      );
      break;
    }
    case 'claimResolved':
      mails.push(
        build(
          c,
          'claimResolved',
          initiator,
          forRegional(c, [`Решение по претензии № ${event.claimId}:`, '', event.text]),
        ),
      );
      break;
    default:
      break;
  }
  return mails.filter((m): m is OutgoingMail => m !== null);
}
