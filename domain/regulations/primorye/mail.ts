/** Seed 000: what the initiator is told, and when (п. 2.4, 2.3.1.1, 3.1.3, 3.2–3.5). */
import { typeLabel } from '../../ticket/labels';
import type { MailCtx, MailTemplates } from '../../ticket/module';
import { fieldValue } from '../../ticket/intake';
import type { PrimoryeRegulation } from '../types';

type C = MailCtx<PrimoryeRegulation>;

/**
 * п. 2.3.1.2, 2.3.1.9, 2.3.1.10, 2.3.1.12: what a request of its type should say, beyond the fields,
 * for the missing-fields mail before registration; items the request already carries are left out.
 */
function contentHints(c: C): string[] {
  const { state, rules } = c;
  if (state.registeredAt !== null) return [];
  const items = (rules.contentByType[state.type] ?? []).filter(
    (item) => !item.field || !fieldValue(state.intake, item.field)?.trim(),
  );
  if (!items.length) return [];
  return [
    `Для заявки типа «${typeLabel(rules, state.type)}» опишите также (обязательное отмечено «*»):`,
    ...items.map((i) => `  — ${i.label}${i.required ? ' *' : ''} (${i.clause})`),
    '',
  ];
}

function acknowledgement(c: C) {
  const { state, rules } = c;
  const i = state.intake.initiator;
  const target = rules.resolutionTargets[state.type];
  const due = c.due('resolution');
  const deadline =
    target && due
      ? `Срок исполнения: до ${c.whenDue(due)} (${target.value} рабочих часов, п. 3.1).`
      : 'Срок исполнения будет установлен отдельно для вашего запроса (п. 3.1.3).';
  return {
    template: 'acknowledgement',
    audience: c.initiator,
    lines: [
      'Ваша заявка зарегистрирована (п. 2.4).',
      '',
      `Идентификатор заявки: ${state.id}`,
      `Тип заявки: ${typeLabel(rules, state.type)}`,
      `Дата и время получения: ${c.when(state.receivedAt)}`,
      `Канал поступления: ${rules.channels[state.channel]?.label ?? state.channel}`,
      `Инициатор: ${[i.fullName, i.email].filter(Boolean).join(', ')}`,
      deadline,
      '',
      `Все сообщения по заявке начинайте с идентификатора ${state.id} и сохраняйте его в теме письма (п. 2.3.1.6); удобнее всего — ответом на это письмо.`,
    ],
    automatic: true,
  };
}

export const mail: MailTemplates<PrimoryeRegulation> = {
  registered: acknowledgement,
  infoRequested: (c, e) => ({
    template: 'infoRequest',
    audience: c.initiator,
    lines: [
      ...(e.missingFields?.length
        ? [
            'Для регистрации заявки не хватает обязательных сведений:',
            ...e.missingFields.map((f) => `  — ${f}`),
            '',
          ]
        : []),
      ...contentHints(c),
      e.question,
      '',
      `Пожалуйста, ответьте на это письмо до ${c.deadline('noResponse')}; если ответ не поступит, заявка будет отклонена (п. 3.5).`,
    ],
    // Asked by the system itself (the missing-fields answer to a mail): automatic mail, under the one
    // per-recipient limit of every automatic mail (no backscatter floods).
    automatic: e.by.kind === 'system',
  }),
  initiatorReminded: (c, e) => ({
    template: 'reminder',
    audience: c.initiator,
    lines: [
      `Напоминаем: мы ждём вашего ответа на запрос по заявке ${c.state.id}.`,
      `Срок ответа — до ${c.when(e.dueAt)}.`,
    ],
    automatic: true,
  }),
  resolved: (c, e) => ({
    template: 'resolution',
    audience: c.initiator,
    lines: [
      'Заявка выполнена.',
      '',
      e.text,
      '',
      'Если потребуется уточнить результат, ответьте на это письмо (п. 3.3).',
    ],
  }),
  closed: (c, e) => ({
    template: 'notReproducible',
    audience: c.initiator,
    lines: [
      'Решить инцидент не удалось: ситуацию, описанную в заявке, воспроизвести невозможно (п. 3.4).',
      ...(e.text ? ['', e.text] : []),
      '',
      'Заявка получила статус «Закрыт». Вы можете уточнить результат ответом на это письмо.',
    ],
  }),
  rejected: (c, e) => {
    const reason = c.rules.rejectionReasons[e.reason];
    return {
      template: 'rejection',
      audience: c.initiator,
      lines: [
        `В исполнении заявки отказано (${reason?.clause ?? 'п. 3.5'}).`,
        `Причина: ${reason?.label ?? e.reason}.`,
        ...(e.text ? ['', e.text] : []),
      ],
      automatic: e.by.kind === 'system',
    };
  },
  commented: (c, e) =>
    e.visibility === 'public' ? { template: 'message', audience: c.initiator, lines: [e.text] } : null,
  deadlineSet: (c) => ({
    template: 'deadline',
    audience: c.initiator,
    lines: [`Для заявки установлен срок исполнения: до ${c.deadline('resolution')} (п. 3.1.3).`],
    automatic: true,
  }),
  approvalRequested: (c) => ({
    template: 'approvalRequested',
    audience: c.initiator,
    lines: [
      'Запрос на изменение направлен на согласование в министерство цифрового развития и связи Приморского края (п. 3.5).',
      'О результате согласования мы сообщим в продолжение этой переписки.',
    ],
    automatic: true,
  }),
};
