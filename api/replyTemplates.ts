/**
 * Reply templates: the regulations' own wordings with the ticket's fields filled in, so an operator
 * answers in one click what the regulation says to answer. Pure: from the ticket's state only.
 */
import {
  deadlines,
  formatLocal,
  listLabels,
  missingFields,
  resolveRegulation,
  typeLabel,
  type OperatorCommandType,
  type TicketState,
} from '../domain';

export interface ReplyTemplate {
  readonly id: string;
  readonly title: string;
  readonly clause: string;
  /** The command whose text it fills: a public comment, a request for details, a resolution… */
  readonly command: OperatorCommandType;
  /** For `comment`: public (to the initiator) or internal. For `reject`: the reason code. */
  readonly visibility?: 'public' | 'internal';
  readonly reason?: string;
  readonly text: string;
}

export function replyTemplates(state: TicketState): ReplyTemplate[] {
  const regulation = resolveRegulation(state.regulation);
  const zone = regulation.workingHours.timeZone;
  const i = state.intake.initiator;
  const greeting = i.fullName ? `Здравствуйте, ${i.fullName}!` : 'Здравствуйте!';
  const about = `${typeLabel(regulation, state.type)} ${state.id}${state.intake.subject ? ` «${state.intake.subject}»` : ''}`;
  const due = deadlines(state).resolution;
  const out: ReplyTemplate[] = [];
  if (regulation.id === 'primorye') {
    const required = [
      ...regulation.requiredFields.all,
      ...(regulation.requiredFields.byType[state.type] ?? []),
    ];
    const missing = missingFields(state.intake, required);
    if (missing.length)
      out.push({
        id: 'missing-fields',
        title: 'Запрос недостающих сведений',
        clause: 'п. 2.3.1.1',
        command: 'requestInfo',
        text: `${greeting}\n\nДля исполнения заявки ${state.id} просим сообщить: ${listLabels(missing)}.`,
      });
    if (regulation.infoRequestTypes.includes(state.type))
      out.push({
        id: 'clarify-incident',
        title: 'Уточнение по инциденту',
        clause: 'п. 3.2, 2.3.1.2',
        command: 'requestInfo',
        text:
          `${greeting}\n\nДля исполнения заявки ${about} просим уточнить: последовательность действий, ` +
          'при которых возникает ошибка, дату и время её появления и, при возможности, приложить снимок экрана.',
      });
    out.push({
      id: 'in-work',
      title: 'Заявка в работе',
      clause: 'п. 2.4, 3.1',
      command: 'comment',
      visibility: 'public',
      text: `${greeting}\n\nЗаявка ${about} принята в работу.${due ? ` Плановый срок исполнения — ${formatLocal(due, zone)}.` : ''}`,
    });
    out.push({
      id: 'done',
      title: 'Заявка выполнена',
      clause: 'п. 3.3',
      command: 'resolve',
      text: `${greeting}\n\nЗаявка ${about} выполнена: `,
    });
    if (state.type === 'incident')
      out.push({
        id: 'not-reproducible',
        title: 'Инцидент не воспроизводится',
        clause: 'п. 3.4',
        command: 'closeUnreproducible',
        text: `${greeting}\n\nПо заявке ${state.id} проведена проверка: описанная ошибка не воспроизводится. Если она повторится, сообщите дату, время и порядок действий.`,
      });
    for (const [code, reason] of Object.entries(regulation.rejectionReasons)) {
      if (reason.automaticOnly || (reason.types && !reason.types.includes(state.type))) continue;
      out.push({
        id: `reject-${code}`,
        title: `Отклонение: ${reason.label}`,
        clause: reason.clause,
        command: 'reject',
        reason: code,
        text: `${greeting}\n\nВ исполнении заявки ${state.id} отказано по основанию п. 3.5: ${reason.label.toLowerCase()}.`,
      });
    }
    if (state.type === 'change')
      out.push({
        id: 'change-deadline',
        title: 'Срок исполнения запроса на изменение',
        clause: 'п. 3.1.3',
        command: 'comment',
        visibility: 'public',
        text: `${greeting}\n\nСрок исполнения запроса на изменение ${state.id} определён индивидуально${due ? `: ${formatLocal(due, zone)}` : ''}.`,
      });
  } else {
    const missing = missingFields(state.intake, regulation.userDataFields);
    if (missing.length)
      out.push({
        id: 'user-data',
        title: 'Запрос данных пользователя для передачи в СП ЕПГУ',
        clause: 'п. 3.3.2.2',
        command: 'requestInfo',
        text: `${greeting}\n\nДля передачи обращения ${state.id} в службу поддержки ЕПГУ сообщите, пожалуйста: ${listLabels(missing)}.`,
      });
    out.push({
      id: 'user-info',
      title: 'Запрос информации у пользователя',
      clause: 'п. 3.2.7.1',
      command: 'requestInfo',
      text: `${greeting}\n\nДля решения обращения ${state.id} просим уточнить: `,
    });
    out.push({
      id: 'forwarded',
      title: 'Обращение передано в СП ЕПГУ',
      clause: 'п. 3.2.2, 3.3.2',
      command: 'comment',
      visibility: 'public',
      text: `${greeting}\n\nВаше обращение ${state.id} передано в службу поддержки ЕПГУ. О результате мы сообщим.`,
    });
    out.push({
      id: 'agency',
      title: 'Запрос направлен в ведомство',
      clause: 'п. 3.2.8.1, 3.3.8.1',
      command: 'comment',
      visibility: 'public',
      text: `${greeting}\n\nПо обращению ${state.id} направлен запрос в федеральный орган исполнительной власти. О его ответе мы сообщим дополнительно.`,
    });
    out.push({
      id: 'solution',
      title: 'Решение по обращению',
      clause: 'п. 3.2.10, 3.3.11',
      command: 'resolve',
      text: `${greeting}\n\nПо обращению ${about} найдено решение: `,
    });
    out.push({
      id: 'not-competent',
      title: 'Вне компетенции СП ЕПГУ',
      clause: 'п. 3.2.2.1, 3.3.3.1',
      command: 'return',
      text: 'Обращение не относится к компетенции СП ЕПГУ: ',
    });
  }
  out.push({
    id: 'internal-note',
    title: 'Внутренняя заметка для коллег',
    clause: '—',
    command: 'comment',
    visibility: 'internal',
    text: `${state.id}: `,
  });
  return out;
}
