/**
 * Seed 003: who hears what. The written channel goes through СП РПГУ: once an appeal is with the
 * federal service, every message for the user goes to the regional service's mailbox, which relays it
 * (п. 3.3.3.3–3.3.3.5, 3.3.5.1, 3.3.7, 3.3.9.2, 3.3.12–3.3.13). СП ЕПГУ itself tells the user only that
 * an agency was asked (п. 3.3.8.1), and answers callers directly (п. 3.2.11).
 */
import { initiatorAddresses } from '../../notifications/build';
import { typeLabel } from '../../ticket/labels';
import type { Audience, MailCtx, MailSpec, MailTemplates } from '../../ticket/module';
import type { TicketState } from '../../ticket/types';
import type { EpguRegulation } from '../types';
import { atFederal } from './commands';

type C = MailCtx<EpguRegulation>;

/** The user directly; a user without e-mail is informed through СП РПГУ. */
function direct(state: TicketState): Audience {
  const to = initiatorAddresses(state);
  return to.length ? { to } : { roles: ['regional'] };
}

/** A written appeal held by the federal service is answered through СП РПГУ, else the user directly. */
export function userAudience(state: TicketState): Audience {
  return state.channel === 'email' && atFederal(state) ? { roles: ['regional'] } : direct(state);
}

/** Mail for СП РПГУ to relay starts by naming the user and how to reach them. */
function forUser(
  c: C,
  lines: readonly string[],
  audience: Audience = userAudience(c.state),
): MailSpec['lines'] {
  if (!audience.roles?.includes('regional')) return lines;
  const i = c.state.intake.initiator;
  return [
    `Для пользователя ${i.fullName ?? ''} (способ связи: ${i.contact ?? 'не указан'}), п. 3.3.3.5, 3.3.13:`,
    '',
    ...lines,
  ];
}

const toUser = (c: C, template: string, lines: readonly string[], automatic = false): MailSpec => {
  const audience = userAudience(c.state);
  return { template, audience, lines: forUser(c, lines, audience), automatic };
};

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

export const mail: MailTemplates<EpguRegulation> = {
  registered: (c, e) =>
    e.requestType === 'claim'
      ? null // told by the claim's own mail
      : toUser(
          c,
          'registered',
          [
            'Ваше обращение зарегистрировано в СП ЕПГУ (п. 3.3.3.4).',
            `Номер: ${c.state.id}`,
            `Вид: ${typeLabel(c.rules, c.state.type)}`,
            c.due('resolution')
              ? `Срок рассмотрения: до ${c.deadline('resolution')}.`
              : 'Срок рассмотрения определяется внутренними нормативами СТП ЕПГУ (п. 3.2.6, 3.3.6).',
          ],
          true,
        ),
  infoRequested: (c, e) =>
    toUser(
      c,
      'infoRequest',
      [
        ...(e.missingFields?.length
          ? [
              'Для регистрации заявки не хватает обязательных сведений:',
              ...e.missingFields.map((f) => `  — ${f}`),
              '',
            ]
          : []),
        e.question,
        '',
        `Пожалуйста, ответьте на это письмо до ${c.deadline('noResponse')}; если ответ не поступит, обращение будет закрыто (п. 3.2.7.2, 3.3.7.1).`,
      ],
      e.by.kind === 'system',
    ),
  initiatorReminded: (c, e) =>
    toUser(
      c,
      'reminder',
      [
        `Напоминаем: мы ждём вашего ответа на запрос по заявке ${c.state.id}.`,
        `Срок ответа — до ${c.when(e.dueAt)}.`,
      ],
      true,
    ),
  resolved: (c, e) =>
    toUser(c, 'solution', [
      'Решение по вашему обращению:',
      '',
      e.text,
      '',
      `Если вы не согласны с решением, сообщите об этом до ${c.deadline('confirmation')}; иначе обращение будет закрыто (п. 3.3.13).`,
    ]),
  closed: (c, e) => {
    if (e.reason === 'faq_answer' || e.reason === 'claim_registered') return null; // told by their own mail
    const label = c.rules.closeReasons[e.reason]?.label ?? e.reason;
    return toUser(
      c,
      'closed',
      [`Обращение закрыто: ${label.toLowerCase()}.`, ...(e.text ? ['', e.text] : [])],
      e.by.kind === 'system',
    );
  },
  commented: (c, e) => (e.visibility === 'public' ? toUser(c, 'message', [e.text]) : null),
  deadlineSet: (c) =>
    toUser(
      c,
      'deadline',
      [`Для обращения установлен срок рассмотрения: до ${c.deadline('resolution')} (п. 3.4).`],
      true,
    ),
  faqAnswered: (c, e) => toUser(c, 'faqAnswer', ['Ответ на ваше обращение:', '', e.answer]),
  forwarded: (c, e) =>
    c.state.channel === 'email'
      ? {
          template: 'forwarded',
          audience: { roles: ['federal'] },
          lines: [
            'Обращение пользователя передаётся в СП ЕПГУ (п. 3.3.2). Ответ — в продолжение этой переписки.',
            '',
            ...userDataBlock(c.state),
            ...(e.faqCheck
              ? [
                  '',
                  e.faqCheck === 'no_answer'
                    ? 'FAQ СП РПГУ: ответа на вопрос нет (п. 3.3.1, 3.3.2).'
                    : `FAQ СП РПГУ: статья ${e.faqArticleId ?? ''} не помогла (п. 3.3.1, 3.3.2).`,
                ]
              : []),
            ...(e.note ? ['', `Комментарий СП РПГУ: ${e.note}`] : []),
          ],
        }
      : null,
  returned: (_c, e) => ({
    template: 'returned',
    audience: { roles: ['regional'] },
    lines: ['Обращение выходит за рамки компетенции СП ЕПГУ (п. 3.3.3.1).', '', e.reason],
  }),
  // п. 3.3.8.1: СП ЕПГУ tells the user itself that an agency was asked.
  agencyAsked: (c, e) => {
    const audience = direct(c.state);
    return {
      template: 'agencyWait',
      audience,
      lines: forUser(
        c,
        [
          `По вашему обращению направлен запрос в ${e.agency}.`,
          'После получения ответа вы будете проинформированы (п. 3.2.8.1, 3.3.8.1).',
        ],
        audience,
      ),
      automatic: true,
    };
  },
  inquiryAnswered: (c, e) => {
    const inquiry = c.state.inquiries.find((q) => q.id === e.inquiryId);
    // п. 3.3.9.2: СП ЕПГУ answers СП РПГУ; a regional inquiry is answered to the user (п. 3.3.1.2).
    const audience: Audience =
      inquiry?.service === 'regional'
        ? direct(c.state)
        : inquiry?.service === 'federal'
          ? { ...userAudience(c.state), roles: ['regional'] }
          : { roles: ['regional'], to: initiatorAddresses(c.state) };
    return { template: 'inquiryAnswer', audience, lines: [e.text], automatic: e.automatic };
  },
  claimRegistered: (c, e) =>
    toUser(
      c,
      'claimRegistered',
      [
        `Зарегистрирована претензия № ${e.claimId} (п. 3.2.11.2, 3.3.3.3).`,
        `Срок рассмотрения: 7 рабочих дней, до ${c.deadline(`claim:${e.claimId}`)}.`,
        'Претензию рассматривает Группа по работе с претензиями СП ЕПГУ.',
        `Контакты СП ЕПГУ для прямого взаимодействия по претензии (п. 3.2.11.2): ${c.rules.federalContacts}.`,
      ],
      true,
    ),
  claimResolved: (c, e) => toUser(c, 'claimResolved', [`Решение по претензии № ${e.claimId}:`, '', e.text]),
};
