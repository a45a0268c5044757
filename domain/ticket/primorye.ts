/**
 * Seed 000 («Социальный процессинг», Приморский край): received → «Новая» → «В работе» ⇄ «Ожидает
 * ответа» → «Выполнена» | «Закрыт» | «Отклонена». Clause numbers refer to the regulation's text.
 */
import type { PrimoryeRegulation } from '../regulations/types';
import { clockCalendar, minutesUntil, ms, newClock } from './clocks';
import {
  accept,
  event,
  isPerson,
  missingText,
  notInRegulation,
  nothing,
  outcomeOps,
  refuse,
  stopIfRunning,
  wrongStatus,
  type Ctx,
} from './decision';
import { invalidFields, listLabels, mergeIntake, missingFields, obsceneIn, textOf } from './intake';
import { lineLabel, typeLabel } from './labels';
import type { ClockOp, Decision, EventDraft, Intake, OperatorCommand, TicketState } from './types';

type C = Ctx<PrimoryeRegulation>;

const WORKING = ['new', 'in_progress', 'awaiting_reply'];
const OPEN = ['received', ...WORKING];

const isPreRegistration = (s: TicketState): boolean =>
  s.status === 'received' || (s.status === 'awaiting_reply' && s.resumeStatus === 'received');

function resolutionClockOps(c: C, type: string): ClockOp[] {
  const target = c.regulation.resolutionTargets[type] ?? null;
  const clock = newClock(c.regulation, c.at, target, 'working', { warnAt: c.regulation.slaWarningFraction });
  return [{ op: 'start', name: 'resolution', clock }];
}

function noResponseStart(c: C): ClockOp {
  const clock = newClock(c.regulation, c.at, c.regulation.noResponseTimeout, 'working', {
    remindDaysBefore: c.regulation.reminderWorkingDaysBefore,
  });
  return { op: 'start', name: 'noResponse', clock };
}

/** What keeps a request from being registered as this type (п. 2.3.1.1–2.3.1.11, 3.3.1–3.3.2). */
function registrationProblem(c: C, type: string, intake: Intake, checkAccess = true): Decision | null {
  const r = c.regulation;
  if (!(type in r.requestTypes)) {
    return refuse(
      'invalid_type',
      `Укажите тип заявки: ${Object.values(r.requestTypes)
        .map((t) => `«${t.label}»`)
        .join(', ')} (п. 2.3.1.4).`,
      `unknown request type "${type}"`,
    );
  }
  if (!r.channelsByType[type]?.includes(c.state.channel)) {
    return refuse(
      'channel_not_allowed',
      `Заявки типа «${typeLabel(r, type)}» принимаются только по электронной почте (п. 2.3.1.11).`,
      `${type} requests are accepted by email only`,
    );
  }
  const missing = missingFields(intake, [...r.requiredFields.all, ...(r.requiredFields.byType[type] ?? [])]);
  if (missing.length) {
    return refuse(
      'missing_fields',
      `Не заполнены обязательные поля: ${listLabels(missing)} (${[...new Set(missing.map((m) => m.clause))].join(', ')}). ` +
        'Запросите их у Инициатора или отклоните заявку по п. 3.5.',
      `missing required fields: ${missing.map((m) => m.field).join(', ')}`,
    );
  }
  const invalid = invalidFields(intake);
  if (invalid.length) {
    return refuse(
      'invalid_fields',
      `Исправьте поля: ${invalid.map((p) => p.message).join('; ')}.`,
      `invalid fields: ${invalid.map((p) => p.field).join(', ')}`,
    );
  }
  if (checkAccess && type === 'service' && intake.access) {
    const auth = intake.authorization;
    if (!auth?.verified) {
      return refuse(
        'not_authorized',
        'Запрос на получение, изменение или деактивацию доступа принимается только от уполномоченного лица, ' +
          'прошедшего аутентификацию первой линией (п. 3.3.1, 3.3.2).',
        'access requests need an authenticated authorised person',
      );
    }
    const target = intake.access.targetOrganizationId;
    if (
      intake.access.kind === 'deactivation' &&
      target &&
      auth.organizationId &&
      target !== auth.organizationId
    ) {
      return refuse(
        'not_authorized',
        'Деактивацию доступа может запросить уполномоченное лицо той организации, к которой относится пользователь (п. 3.3.2).',
        'deactivation must come from an authorised person of the user’s organisation',
      );
    }
  }
  return null;
}

function register(c: C, cmd: Extract<OperatorCommand, { type: 'register' }>): Decision {
  const s = c.state;
  if (!isPreRegistration(s)) return wrongStatus(c, 'register', ['received', 'awaiting_reply']);
  const type = cmd.requestType ?? s.type;
  const intake = mergeIntake(s.intake, cmd.fields);
  const problem = registrationProblem(c, type, intake);
  if (problem) return problem;
  if (cmd.assignee !== undefined && !isPerson(cmd.assignee)) {
    return refuse('invalid_arguments', 'Укажите исполнителя (id и имя).', 'assignee must have id and name');
  }
  // п. 3.3.1 (2)–(3): access requests go to the second line.
  const line = type === 'service' && intake.access ? c.regulation.accessLine : c.regulation.firstLine;
  const events: EventDraft[] = [
    event(
      c,
      cmd.by,
      { type: 'registered', requestType: type, ...(cmd.fields && { fields: cmd.fields }) },
      {
        status: 'new',
        statusReason: null,
        line,
        clockOps: [...stopIfRunning(s, 'registration', 'noResponse'), ...resolutionClockOps(c, type)],
      },
    ),
  ];
  if (cmd.assignee)
    events.push(event(c, cmd.by, { type: 'assigned', assignee: cmd.assignee }, { status: 'in_progress' }));
  return accept(...events);
}

function requestInfo(c: C, cmd: Extract<OperatorCommand, { type: 'requestInfo' }>): Decision {
  const s = c.state;
  const bad = missingText(cmd.question, 'question', 'вопрос к Инициатору');
  if (bad) return bad;
  const missing = missingFields(s.intake, [
    ...c.regulation.requiredFields.all,
    ...(c.regulation.requiredFields.byType[s.type] ?? []),
  ]).map((m) => m.label);
  const body = {
    type: 'infoRequested' as const,
    question: cmd.question,
    ...(missing.length && { missingFields: missing }),
  };
  if (s.status === 'awaiting_reply') {
    // A further question restarts the 2 working days (п. 3.5: «с момента направления Запроса»).
    return accept(event(c, cmd.by, body, { clockOps: [noResponseStart(c)] }));
  }
  if (s.status === 'received') {
    // Missing mandatory data (п. 2.3.1.1): the registration clock waits for the initiator.
    return accept(
      event(c, cmd.by, body, {
        status: 'awaiting_reply',
        clockOps: [{ op: 'pause', name: 'registration' }, noResponseStart(c)],
      }),
    );
  }
  if (!c.regulation.infoRequestTypes.includes(s.type)) {
    return refuse(
      'info_request_not_allowed',
      'Уточнение исходных данных у Инициатора с приостановкой срока предусмотрено только для заявок типа «Инцидент» (п. 3.2). ' +
        'При нечеткой постановке задачи заявку можно отклонить (п. 3.5).',
      `info requests pause the clock for incidents only (got ${s.type})`,
    );
  }
  if (s.status !== 'in_progress')
    return wrongStatus(c, 'requestInfo', ['received', 'in_progress', 'awaiting_reply']);
  // п. 3.2: «Ожидает ответа», the resolution time is interrupted.
  return accept(
    event(c, cmd.by, body, {
      status: 'awaiting_reply',
      clockOps: [{ op: 'pause', name: 'resolution' }, noResponseStart(c)],
    }),
  );
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
  let extras = {};
  if (s.status === 'awaiting_reply') {
    extras =
      s.resumeStatus === 'received'
        ? // Before registration the answer returns the request to the first line's queue.
          {
            status: 'received',
            clockOps: [
              { op: 'stop', name: 'noResponse' },
              { op: 'resume', name: 'registration' },
            ] as ClockOp[],
          }
        : // п. 3.2: the clock resumes only when the operator returns the request to «В работе».
          { clockOps: stopIfRunning(s, 'noResponse') };
  }
  const events = [event(c, cmd.by, body, extras)];
  const words = obsceneIn([cmd.text, cmd.fields ? textOf(cmd.fields) : ''].join('\n'));
  if (words.length)
    events.push(event(c, cmd.by, { type: 'obsceneLanguageFlagged', words, source: 'message' }));
  return accept(...events);
}

function resume(c: C, cmd: Extract<OperatorCommand, { type: 'resume' }>): Decision {
  const s = c.state;
  if (s.status !== 'awaiting_reply') return wrongStatus(c, 'resume', ['awaiting_reply']);
  const pre = s.resumeStatus === 'received';
  return accept(
    event(
      c,
      cmd.by,
      { type: 'resumed', ...(cmd.note && { note: cmd.note }) },
      {
        status: pre ? 'received' : 'in_progress',
        clockOps: [
          ...stopIfRunning(s, 'noResponse'),
          { op: 'resume', name: pre ? 'registration' : 'resolution' },
        ],
      },
    ),
  );
}

function escalate(c: C, cmd: Extract<OperatorCommand, { type: 'escalate' }>): Decision {
  const s = c.state;
  if (!WORKING.includes(s.status)) return wrongStatus(c, 'escalate', WORKING);
  const bad = missingText(cmd.reason, 'reason', 'причину эскалации');
  if (bad) return bad;
  const order = c.regulation.lineOrder;
  const from = order.indexOf(s.line);
  const to = cmd.toLine === undefined ? from + 1 : order.indexOf(cmd.toLine);
  if (to <= from || to >= order.length) {
    return refuse(
      'invalid_line',
      from === order.length - 1
        ? 'Заявка уже на третьей линии: дальше эскалировать некуда (п. 1).'
        : `Эскалация возможна только на следующую линию поддержки, сейчас — «${lineLabel(c.regulation, s.line)}» (п. 1).`,
      `cannot escalate from ${s.line} to ${cmd.toLine ?? 'next line'}`,
    );
  }
  if (cmd.assignee !== undefined && !isPerson(cmd.assignee)) {
    return refuse('invalid_arguments', 'Укажите исполнителя (id и имя).', 'assignee must have id and name');
  }
  const toLine = order[to]!;
  return accept(
    event(
      c,
      cmd.by,
      { type: 'escalated', fromLine: s.line, toLine, reason: cmd.reason, assignee: cmd.assignee ?? null },
      { line: toLine, ...(s.status === 'new' && cmd.assignee && { status: 'in_progress' }) },
    ),
  );
}

function reject(c: C, cmd: Extract<OperatorCommand, { type: 'reject' }>): Decision {
  const s = c.state;
  const reason = c.regulation.rejectionReasons[cmd.reason];
  if (!reason) {
    const list = Object.values(c.regulation.rejectionReasons)
      .filter((r) => !r.automaticOnly)
      .map((r) => `«${r.label}»`)
      .join('; ');
    return refuse(
      'invalid_reason',
      `Отклонить заявку можно только по одной из причин п. 3.5: ${list}.`,
      `unknown reason ${cmd.reason}`,
    );
  }
  if (reason.automaticOnly) {
    return refuse(
      'invalid_reason',
      'Эта причина применяется автоматически, когда Инициатор не отвечает 2 рабочих дня на запрос (п. 3.5).',
      `${cmd.reason} is applied by the no-response timer only`,
    );
  }
  if (reason.types && !reason.types.includes(s.type)) {
    return refuse(
      'invalid_reason',
      `Причина «${reason.label}» применима только к запросам на изменение (п. 3.5).`,
      `${cmd.reason} applies to ${reason.types.join(', ')} only`,
    );
  }
  if (!OPEN.includes(s.status)) return wrongStatus(c, 'reject', OPEN);
  return accept(
    event(
      c,
      cmd.by,
      { type: 'rejected', reason: cmd.reason, ...(cmd.text && { text: cmd.text }) },
      {
        status: 'rejected',
        statusReason: cmd.reason,
        clockOps: outcomeOps(c),
      },
    ),
  );
}

function setDeadline(c: C, cmd: Extract<OperatorCommand, { type: 'setDeadline' }>): Decision {
  const s = c.state;
  if (c.regulation.resolutionTargets[s.type] !== null) {
    return refuse(
      'deadline_fixed',
      `Срок исполнения заявок типа «${typeLabel(c.regulation, s.type)}» установлен регламентом (п. 3.1); ` +
        'индивидуально срок устанавливается только для запросов на изменение (п. 3.1.3).',
      `the deadline of ${s.type} requests is fixed by the regulation`,
    );
  }
  if (!WORKING.includes(s.status)) return wrongStatus(c, 'setDeadline', WORKING);
  return setResolutionTarget(c, cmd);
}

/** Shared by both regulations: an individual resolution target, as working hours or an instant. */
export function setResolutionTarget(
  c: Ctx,
  cmd: Extract<OperatorCommand, { type: 'setDeadline' }>,
): Decision {
  const clock = c.state.clocks.resolution;
  if (!clock)
    return refuse('no_clock', 'Срок исполнения отсчитывается после регистрации.', 'no resolution clock yet');
  let minutes: number;
  if (cmd.workingHours !== undefined) {
    if (!(typeof cmd.workingHours === 'number' && cmd.workingHours > 0 && cmd.workingHours <= 10_000)) {
      return refuse(
        'invalid_arguments',
        'Срок — положительное число рабочих часов.',
        'workingHours must be > 0',
      );
    }
    minutes = Math.round(cmd.workingHours * 60);
  } else {
    const due = typeof cmd.dueAt === 'string' ? ms(cmd.dueAt) : NaN;
    if (!(due > c.now)) {
      return refuse(
        'invalid_arguments',
        'Укажите срок в будущем (дата и время) или число рабочих часов.',
        'dueAt must be a future instant',
      );
    }
    const cal = clockCalendar(c.regulation, clock);
    if (!cal.contains(due)) {
      return refuse(
        'calendar_range',
        'Дата срока вне производственного календаря.',
        'dueAt is outside the calendar',
      );
    }
    minutes = minutesUntil(clock, cal, due);
  }
  return accept(
    event(
      c,
      cmd.by,
      { type: 'deadlineSet', minutes },
      { clockOps: [{ op: 'retarget', name: 'resolution', target: { minutes } }] },
    ),
  );
}

function reclassify(c: C, cmd: Extract<OperatorCommand, { type: 'reclassify' }>): Decision {
  const s = c.state;
  if (!OPEN.includes(s.status)) return wrongStatus(c, 'reclassify', OPEN);
  if (cmd.requestType === s.type) return refuse('no_change', 'Заявка уже этого типа.', 'same type');
  if (isPreRegistration(s)) {
    if (!(cmd.requestType in c.regulation.requestTypes))
      return registrationProblem(c, cmd.requestType, s.intake)!;
    return accept(event(c, cmd.by, { type: 'reclassified', from: s.type, to: cmd.requestType }));
  }
  // Access was checked at registration (п. 3.3.1); the new type's own requirements still apply.
  const problem = registrationProblem(c, cmd.requestType, s.intake, false);
  if (problem) return problem;
  // The target is recomputed from the original start; paused time stays paused (glpi#15605).
  const target = c.regulation.resolutionTargets[cmd.requestType] ?? null;
  const ops: ClockOp[] = [
    {
      op: 'retarget',
      name: 'resolution',
      target: target && target.unit === 'workingHours' ? { minutes: target.value * 60 } : null,
    },
  ];
  return accept(
    event(
      c,
      cmd.by,
      { type: 'reclassified', from: s.type, to: cmd.requestType, ...(cmd.reason && { reason: cmd.reason }) },
      { clockOps: ops },
    ),
  );
}

export function decidePrimorye(c: C, cmd: OperatorCommand): Decision {
  const s = c.state;
  switch (cmd.type) {
    case 'register':
      return register(c, cmd);
    case 'assign': {
      if (!WORKING.includes(s.status)) {
        return s.status === 'received'
          ? refuse('not_registered', 'Сначала зарегистрируйте заявку (п. 2.4).', 'register before assigning')
          : wrongStatus(c, 'assign', WORKING);
      }
      if (!isPerson(cmd.assignee))
        return refuse(
          'invalid_arguments',
          'Укажите исполнителя (id и имя).',
          'assignee must have id and name',
        );
      if (cmd.line !== undefined && !(cmd.line in c.regulation.lines)) {
        return refuse(
          'invalid_line',
          `Неизвестная линия поддержки «${cmd.line}».`,
          `unknown line ${cmd.line}`,
        );
      }
      // п. 2.4: после назначения исполнителя — «В работе».
      return accept(
        event(
          c,
          cmd.by,
          { type: 'assigned', assignee: cmd.assignee },
          {
            ...(s.status === 'new' && { status: 'in_progress' }),
            ...(cmd.line !== undefined && { line: cmd.line }),
          },
        ),
      );
    }
    case 'escalate':
      return escalate(c, cmd);
    case 'requestInfo':
      return requestInfo(c, cmd);
    case 'reply':
      return reply(c, cmd);
    case 'resume':
      return resume(c, cmd);
    case 'resolve': {
      if (!['in_progress', 'awaiting_reply'].includes(s.status) || isPreRegistration(s)) {
        return wrongStatus(c, 'resolve', ['in_progress', 'awaiting_reply']);
      }
      const bad = missingText(cmd.text, 'text', 'результат выполнения для уведомления Инициатора');
      if (bad) return bad;
      if (!s.assignee) return refuse('not_assigned', 'Сначала назначьте исполнителя.', 'no assignee');
      // п. 3.3, 3.4: after the notification the status becomes «Выполнена».
      return accept(
        event(
          c,
          cmd.by,
          { type: 'resolved', text: cmd.text },
          { status: 'done', statusReason: null, clockOps: outcomeOps(c) },
        ),
      );
    }
    case 'closeUnreproducible': {
      if (s.type !== 'incident') {
        return refuse(
          'invalid_type',
          'Закрытие без решения предусмотрено только для инцидентов, которые не удалось воспроизвести (п. 3.4).',
          'incidents only',
        );
      }
      if (!['in_progress', 'awaiting_reply'].includes(s.status) || isPreRegistration(s)) {
        return wrongStatus(c, 'closeUnreproducible', ['in_progress', 'awaiting_reply']);
      }
      const bad = missingText(cmd.text, 'text', 'текст уведомления о невозможности решения');
      if (bad) return bad;
      return accept(
        event(
          c,
          cmd.by,
          { type: 'closed', reason: 'not_reproducible', text: cmd.text },
          {
            status: 'closed',
            statusReason: 'not_reproducible',
            clockOps: outcomeOps(c),
          },
        ),
      );
    }
    case 'reject':
      return reject(c, cmd);
    case 'comment': {
      const bad = missingText(cmd.text, 'text', 'текст комментария');
      if (bad) return bad;
      // п. 3.3, 3.4: after the outcome the executor may still answer the initiator.
      return accept(
        event(c, cmd.by, {
          type: 'commented',
          text: cmd.text,
          visibility: cmd.visibility === 'public' ? 'public' : 'internal',
        }),
      );
    }
    case 'setDeadline':
      return setDeadline(c, cmd);
    case 'reclassify':
      return reclassify(c, cmd);
    case 'close':
      return refuse(
        'not_in_regulation',
        'Регламент предусматривает исходы «Выполнена», «Закрыт» (инцидент не воспроизводится, п. 3.4) и «Отклонена» (п. 3.5).',
        'primorye has no generic close; use resolve, closeUnreproducible or reject',
      );
    default:
      return notInRegulation(c, cmd.type);
  }
}

/** Expiry of the no-response clock: automatic rejection (п. 3.5). */
export function primoryeNoResponse(c: C): Decision {
  if (c.state.status !== 'awaiting_reply') return nothing;
  return accept(
    event(
      c,
      { kind: 'system', name: 'reglament' },
      { type: 'rejected', reason: 'no_feedback' },
      {
        status: 'rejected',
        statusReason: 'no_feedback',
        clockOps: [{ op: 'fire', name: 'noResponse', timer: 'expiry' }, ...outcomeOps(c)],
      },
    ),
  );
}
