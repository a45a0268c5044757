/**
 * Seed 000 («Социальный процессинг», Приморский край): received → «Новая» → «В работе» ⇄ «Ожидает
 * ответа» (⇄ «На согласовании в министерстве» for change requests) → «Выполнена» | «Закрыт» |
 * «Отклонена». Clause numbers refer to the regulation's text.
 */
import { newClock } from '../../ticket/clocks';
import {
  accept,
  badAssignee,
  event,
  inStatus,
  isPerson,
  isRunningClock,
  missingText,
  refusal,
  refuse,
  refused,
  stopIfRunning,
  wrongStatusRefusal,
  type Ctx,
} from '../../ticket/decision';
import { invalidFields, listLabels, localDate, mergeIntake, missingFields } from '../../ticket/intake';
import { lineLabel, typeLabel } from '../../ticket/labels';
import type { CommandTable, Guard } from '../../ticket/module';
import {
  askInitiator,
  changeOrganization,
  comment,
  endWait,
  messageBody,
  messageText,
  obsceneFlag,
  outcome,
  resolutionStart,
  retargetResolution,
  setResolutionTarget,
} from '../../ticket/rules';
import type {
  Authentication,
  Channel,
  ClockOp,
  Decision,
  EventDraft,
  Intake,
  IntakePatch,
  TicketState,
} from '../../ticket/types';
import type { FieldRequirement, PrimoryeRegulation } from '../types';

type C = Ctx<PrimoryeRegulation>;
type G = Guard<PrimoryeRegulation>;

const WORKING = ['new', 'in_progress', 'awaiting_reply'];
const APPROVAL = 'awaiting_approval';

/** Statuses of the rules in force that exist in this version (the approval status came with r2). */
const existing = (c: C, statuses: readonly string[]): string[] =>
  statuses.filter((s) => s in c.regulation.statuses);
const working = (c: C): string[] => existing(c, [...WORKING, APPROVAL]);
const open = (c: C): string[] => ['received', ...working(c)];

export const isPreRegistration = (s: TicketState): boolean =>
  s.status === 'received' || (s.status === 'awaiting_reply' && s.resumeStatus === 'received');

/** A service request about access to the module (п. 3.3.1–3.3.2). */
export const isAccessRequest = (type: string, intake: Intake): boolean =>
  type === 'service' && !!intake.access;

/** п. 3.1.3: a change request has no deadline until one is set; staff are reminded to set it. */
function deadlineReminderStart(c: C, target: unknown): ClockOp[] {
  const after = c.regulation.individualDeadlineReminder;
  if (target !== null || !after || isRunningClock(c.state, 'remind:deadline')) return [];
  return [{ op: 'start', name: 'remind:deadline', clock: newClock(c.regulation, c.at, after) }];
}

function resolutionClockOps(c: C, type: string): ClockOp[] {
  const target = c.regulation.resolutionTargets[type] ?? null;
  return [resolutionStart(c, target), ...deadlineReminderStart(c, target)];
}

const required = (r: PrimoryeRegulation, type: string): FieldRequirement[] => [
  ...r.requiredFields.all,
  ...(r.requiredFields.byType[type] ?? []),
];

/** п. 2.3.1.9, 2.3.1.12: what the operator's registration form must carry for the type. */
function formFields(r: PrimoryeRegulation, type: string, channel: Channel): FieldRequirement[] {
  if (channel !== 'phone' || !r.contentRequiredByPhone) return [];
  return (r.contentByType[type] ?? [])
    .filter((item) => item.required && item.field)
    .map((item) => ({ field: item.field!, label: item.label, clause: item.clause }));
}

/**
 * Every field registering a request of this type, received by this channel, requires (п. 2.3.1.1,
 * 2.3.1.3, 2.3.1.9, 2.3.1.12): what `register` checks, and what the operator's form marks.
 */
export const registrationFields = (
  r: PrimoryeRegulation,
  type: string,
  channel: Channel,
): FieldRequirement[] => [...required(r, type), ...formFields(r, type, channel)];

/** п. 3.3.1 (1), 3.3.2: the initiator of an access request is an authenticated authorised person. */
function accessProblem(c: C, intake: Intake, channel: Channel): Decision | null {
  const auth = intake.authorization;
  if (!auth?.verified) {
    return refuse(
      'not_authorized',
      'Запрос на получение, изменение или деактивацию доступа принимается только от уполномоченного лица, ' +
        'прошедшего аутентификацию первой линией (п. 3.3.1, 3.3.2).',
      'access requests need an authenticated authorised person',
    );
  }
  if (channel === 'phone' && c.regulation.accessAuthenticationMethodRequired && !auth.method?.trim()) {
    return refuse(
      'authentication_not_recorded',
      'Укажите, как первая линия аутентифицировала звонящего как уполномоченное лицо (п. 3.3.1 (1)).',
      'a phone access request records how the caller was authenticated',
    );
  }
  if (intake.access!.kind === 'deactivation') {
    // The user's organisation: as the request names it, else the initiator's own.
    const target = intake.access!.targetOrganizationId ?? intake.initiator.organizationId;
    if (!target || !auth.organizationId || target !== auth.organizationId) {
      return refuse(
        'not_authorized',
        'Деактивацию доступа может запросить уполномоченное лицо той организации, к которой относится пользователь (п. 3.3.2)' +
          (!target || !auth.organizationId
            ? ': организация пользователя или уполномоченного лица не установлена.'
            : '.'),
        'deactivation must come from an authorised person of the user’s organisation',
      );
    }
  }
  return null;
}

/** What keeps a request from being registered as this type (п. 2.3.1.1–2.3.1.12, 3.3.1–3.3.2). */
function registrationProblem(c: C, type: string, intake: Intake): Decision | null {
  const r = c.regulation;
  const channel = c.state.channel;
  if (!(type in r.requestTypes)) {
    return refuse(
      'invalid_type',
      `Укажите тип заявки: ${Object.values(r.requestTypes)
        .map((t) => `«${t.label}»`)
        .join(', ')} (п. 2.3.1.4).`,
      `unknown request type "${type}"`,
    );
  }
  if (!r.channelsByType[type]?.includes(channel)) {
    return refuse(
      'channel_not_allowed',
      `Заявки типа «${typeLabel(r, type)}» принимаются только по электронной почте (п. 2.3.1.11).`,
      `${type} requests are accepted by email only`,
    );
  }
  const missing = missingFields(intake, registrationFields(r, type, channel));
  if (missing.length) {
    return refuse(
      'missing_fields',
      `Не заполнены обязательные поля: ${listLabels(missing)} (${[...new Set(missing.map((m) => m.clause))].join(', ')}). ` +
        'Запросите их у Инициатора или отклоните заявку по п. 3.5.',
      `missing required fields: ${missing.map((m) => m.field).join(', ')}`,
    );
  }
  const invalid = invalidFields(intake, localDate(c.now, c.regulation.workingHours.timeZone));
  if (invalid.length) {
    return refuse(
      'invalid_fields',
      `Исправьте поля: ${invalid.map((p) => p.message).join('; ')}.`,
      `invalid fields: ${invalid.map((p) => p.field).join(', ')}`,
    );
  }
  return isAccessRequest(type, intake) ? accessProblem(c, intake, channel) : null;
}

/** п. 3.3.1 (1): the operator's record of how a caller was authenticated joins the authorisation. */
function withAuthentication(
  c: C,
  fields: IntakePatch | undefined,
  authentication: Authentication | undefined,
): IntakePatch | undefined | Decision {
  if (authentication === undefined) return fields;
  if (typeof authentication?.method !== 'string' || !authentication.method.trim()) {
    return refuse(
      'invalid_arguments',
      'Укажите способ аутентификации звонящего (п. 3.3.1 (1)).',
      'authentication.method must be a non-empty string',
    );
  }
  const current = mergeIntake(c.state.intake, fields).authorization ?? { verified: false };
  return { ...fields, authorization: { ...current, method: authentication.method.trim() } };
}

const isDecision = (x: unknown): x is Decision =>
  !!x && typeof x === 'object' && 'ok' in (x as object) && typeof (x as Decision).ok === 'boolean';

// ---- preconditions ---------------------------------------------------------------------------

const beforeRegistration: G = (c) =>
  isPreRegistration(c.state) ? null : wrongStatusRefusal(c, 'register', ['received', 'awaiting_reply']);

const registered: G = (c) =>
  c.state.status === 'received'
    ? refusal('not_registered', 'Сначала зарегистрируйте заявку (п. 2.4).', 'register before assigning')
    : null;

const inWork =
  (command: 'assign' | 'escalate' | 'setDeadline', withApproval: boolean): G =>
  (c) => {
    const allowed = withApproval ? working(c) : WORKING;
    return allowed.includes(c.state.status) ? null : wrongStatusRefusal(c, command, allowed);
  };

const inOpen =
  (command: 'reject' | 'reclassify'): G =>
  (c) =>
    open(c).includes(c.state.status) ? null : wrongStatusRefusal(c, command, open(c));

const executing =
  (command: 'resolve' | 'closeUnreproducible'): G =>
  (c) =>
    ['in_progress', 'awaiting_reply'].includes(c.state.status) && !isPreRegistration(c.state)
      ? null
      : wrongStatusRefusal(c, command, ['in_progress', 'awaiting_reply']);

/** п. 3.2: only an incident's assignee asks for details with the clock paused. */
const infoRequestPossible: G = (c) => {
  const s = c.state;
  if (s.status === 'received' || s.status === 'awaiting_reply') return null;
  if (!c.regulation.infoRequestTypes.includes(s.type)) {
    return refusal(
      'info_request_not_allowed',
      'Уточнение исходных данных у Инициатора с приостановкой срока предусмотрено только для заявок типа «Инцидент» (п. 3.2). ' +
        'При нечеткой постановке задачи заявку можно отклонить (п. 3.5).',
      `info requests pause the clock for incidents only (got ${s.type})`,
    );
  }
  return s.status === 'in_progress'
    ? null
    : wrongStatusRefusal(c, 'requestInfo', ['received', 'in_progress', 'awaiting_reply']);
};

const waiting: G = (c) => {
  const allowed = existing(c, c.state.type === 'change' ? ['awaiting_reply', APPROVAL] : ['awaiting_reply']);
  return allowed.includes(c.state.status) ? null : wrongStatusRefusal(c, 'resume', allowed);
};

/** п. 2.4: the status after an escalation, which hands the request to the new line's assignee (or nobody). */
function escalatedStatus(c: C, assignee: unknown): string {
  const s = c.state;
  if (s.status === 'new' && assignee) return 'in_progress';
  if (s.status === 'in_progress' && !assignee && c.regulation.escalationUnassigns) return 'new';
  return s.status;
}

/** п. 1: the third line is the last one. */
const canEscalate: G = (c) => {
  const order = c.regulation.lineOrder;
  if (order.indexOf(c.state.line) === order.length - 1)
    return refusal(
      'invalid_line',
      'Заявка уже на третьей линии: дальше эскалировать некуда (п. 1).',
      `cannot escalate from ${c.state.line}`,
    );
  // п. 3.3.1 (3): access requests are executed by the second line itself.
  if (isAccessRequest(c.state.type, c.state.intake) && c.state.line === c.regulation.accessLine)
    return refusal(
      'invalid_line',
      `Запросы на получение, изменение и деактивацию доступа исполняет ${lineLabel(c.regulation, c.regulation.accessLine).toLowerCase()} (п. 3.3.1 (3)).`,
      'access requests are executed by the access line',
    );
  return null;
};

const assigned: G = (c) =>
  c.state.assignee ? null : refusal('not_assigned', 'Сначала назначьте исполнителя.', 'no assignee');

const incidentOnly: G = (c) =>
  c.state.type === 'incident'
    ? null
    : refusal(
        'invalid_type',
        'Закрытие без решения предусмотрено только для инцидентов, которые не удалось воспроизвести (п. 3.4).',
        'incidents only',
      );

/** п. 3.1.1–3.1.4: only a change request's deadline is set individually (п. 3.1.3). */
const individualDeadline: G = (c) =>
  c.regulation.resolutionTargets[c.state.type] === null
    ? null
    : refusal(
        'deadline_fixed',
        `Срок исполнения заявок типа «${typeLabel(c.regulation, c.state.type)}» установлен регламентом (п. 3.1); ` +
          'индивидуально срок устанавливается только для запросов на изменение (п. 3.1.3).',
        `the deadline of ${c.state.type} requests is fixed by the regulation`,
      );

const approvalInRules: G = (c) =>
  APPROVAL in c.regulation.statuses
    ? null
    : refusal(
        'not_in_regulation',
        'Направление на согласование в министерство не предусмотрено версией правил этой заявки.',
        `version ${c.regulation.version} has no approval status`,
      );

const changeRequest: G = (c) =>
  c.state.type === 'change'
    ? null
    : refusal(
        'invalid_type',
        'На согласование в министерство направляются запросы на изменение (п. 3.5).',
        'only change requests are approved by the ministry',
      );

const noGenericClose: G = () =>
  refusal(
    'not_in_regulation',
    'Регламент предусматривает исходы «Выполнена», «Закрыт» (инцидент не воспроизводится, п. 3.4) и «Отклонена» (п. 3.5).',
    'primorye has no generic close; use resolve, closeUnreproducible or reject',
  );

// ---- line moves (п. 1, 3.3.1) ----------------------------------------------------------------

/**
 * Where a request may move: up one line at a time (п. 1), never down; an access request stays with
 * the line that executes it (п. 3.3.1 (2)–(3)).
 */
function lineMoveProblem(c: C, toLine: string, how: 'escalate' | 'assign'): Decision | null {
  const r = c.regulation;
  const order = r.lineOrder;
  const from = order.indexOf(c.state.line);
  const to = order.indexOf(toLine);
  if (to < 0)
    return refuse('invalid_line', `Неизвестная линия поддержки «${toLine}».`, `unknown line ${toLine}`);
  if (to === from) return null;
  if (isAccessRequest(c.state.type, c.state.intake) && toLine !== r.accessLine) {
    return refuse(
      'invalid_line',
      `Запросы на получение, изменение и деактивацию доступа исполняет ${lineLabel(r, r.accessLine).toLowerCase()} (п. 3.3.1 (2)–(3)).`,
      `access requests stay on ${r.accessLine}`,
    );
  }
  if (to < from) {
    return refuse(
      'invalid_line',
      `Заявка передаётся только на следующую линию поддержки, не назад: сейчас — «${lineLabel(r, c.state.line)}» (п. 1).`,
      `cannot move from ${c.state.line} down to ${toLine}`,
    );
  }
  if (to > from + 1) {
    return refuse(
      'invalid_line',
      `Линии поддержки не пропускаются: заявка с линии «${lineLabel(r, c.state.line)}» передаётся на линию «${lineLabel(r, order[from + 1]!)}» (п. 1).`,
      `${how} from ${c.state.line} to ${toLine} skips a line`,
    );
  }
  return null;
}

// ---- commands --------------------------------------------------------------------------------

export const commands: CommandTable<PrimoryeRegulation> = {
  register: {
    when: [beforeRegistration],
    run: (c, cmd) => {
      const s = c.state;
      const type = cmd.requestType ?? s.type;
      const fields = withAuthentication(c, cmd.fields, cmd.authentication);
      if (isDecision(fields)) return fields;
      const intake = mergeIntake(s.intake, fields);
      const problem = registrationProblem(c, type, intake);
      if (problem) return problem;
      if (cmd.assignee !== undefined && !isPerson(cmd.assignee)) return badAssignee();
      // п. 3.3.1 (2)–(3): access requests go to the second line.
      const line = isAccessRequest(type, intake) ? c.regulation.accessLine : c.regulation.firstLine;
      const events: EventDraft[] = [
        event(
          c,
          cmd.by,
          { type: 'registered', requestType: type, ...(fields && { fields }) },
          {
            status: 'new',
            statusReason: null,
            line,
            clockOps: [...stopIfRunning(s, 'registration', 'noResponse'), ...resolutionClockOps(c, type)],
          },
        ),
      ];
      if (cmd.assignee)
        events.push(
          event(c, cmd.by, { type: 'assigned', assignee: cmd.assignee }, { status: 'in_progress' }),
        );
      return accept(...events);
    },
  },

  assign: {
    when: [registered, inWork('assign', true)],
    // п. 1: a line's people take and hand out the requests that line holds; managers any.
    ownLine: true,
    run: (c, cmd) => {
      if (!isPerson(cmd.assignee)) return badAssignee();
      const move = cmd.line !== undefined ? lineMoveProblem(c, cmd.line, 'assign') : null;
      if (move) return move;
      // п. 2.4: после назначения исполнителя — «В работе».
      return accept(
        event(
          c,
          cmd.by,
          { type: 'assigned', assignee: cmd.assignee },
          {
            ...(c.state.status === 'new' && { status: 'in_progress' }),
            ...(cmd.line !== undefined && cmd.line !== c.state.line && { line: cmd.line }),
          },
        ),
      );
    },
  },

  escalate: {
    when: [inWork('escalate', false), canEscalate],
    ownLine: true,
    run: (c, cmd) => {
      const s = c.state;
      const bad = missingText(cmd.reason, 'reason', 'причину эскалации');
      if (bad) return bad;
      const order = c.regulation.lineOrder;
      const toLine = cmd.toLine ?? order[order.indexOf(s.line) + 1]!;
      if (toLine === s.line) {
        return refuse(
          'invalid_line',
          `Эскалация возможна только на следующую линию поддержки, сейчас — «${lineLabel(c.regulation, s.line)}» (п. 1).`,
          `cannot escalate from ${s.line} to ${toLine}`,
        );
      }
      const move = lineMoveProblem(c, toLine, 'escalate');
      if (move) return move;
      if (cmd.assignee !== undefined && !isPerson(cmd.assignee)) return badAssignee();
      const status = escalatedStatus(c, cmd.assignee);
      return accept(
        event(
          c,
          cmd.by,
          { type: 'escalated', fromLine: s.line, toLine, reason: cmd.reason, assignee: cmd.assignee ?? null },
          { line: toLine, ...(status !== s.status && { status }) },
        ),
      );
    },
  },

  requestInfo: {
    when: [infoRequestPossible],
    ownLine: true,
    run: (c, cmd) => {
      const s = c.state;
      const bad = missingText(cmd.question, 'question', 'вопрос к Инициатору');
      if (bad) return bad;
      const missing = missingFields(s.intake, required(c.regulation, s.type)).map((m) => m.label);
      const body = {
        type: 'infoRequested' as const,
        question: cmd.question,
        ...(missing.length && { missingFields: missing }),
      };
      const pre = isPreRegistration(s);
      // п. 2.3.1.1: before registration the registration clock waits for the initiator; п. 3.2: after
      // it, «Ожидает ответа» interrupts the resolution time. п. 3.5: 2 working days from the request.
      return accept(
        askInitiator(c, cmd.by, body, {
          status: 'awaiting_reply',
          pause: pre ? 'registration' : 'resolution',
          timeout: c.regulation.noResponseTimeout,
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
      let extras = {};
      if (s.status === 'awaiting_reply') {
        extras =
          s.resumeStatus === 'received'
            ? // Before registration the answer returns the request to the first line's queue.
              endWait(c, { status: 'received', resume: 'registration' })
            : // п. 3.2: the clock resumes only when the operator returns the request to «В работе».
              { clockOps: stopIfRunning(s, 'noResponse') };
      }
      return accept(event(c, cmd.by, messageBody(cmd), extras), ...obsceneFlag(c, cmd.by, cmd));
    },
  },

  resume: {
    when: [waiting],
    ownLine: true,
    run: (c, cmd) => {
      const s = c.state;
      const body = { type: 'resumed' as const, ...(cmd.note && { note: cmd.note }) };
      // п. 3.5: the ministry approved the change request; work goes on.
      if (s.status === APPROVAL) return accept(event(c, cmd.by, body, { status: 'in_progress' }));
      const pre = s.resumeStatus === 'received';
      return accept(
        event(
          c,
          cmd.by,
          body,
          endWait(c, {
            status: pre ? 'received' : 'in_progress',
            resume: pre ? 'registration' : 'resolution',
          }),
        ),
      );
    },
  },

  resolve: {
    when: [executing('resolve'), assigned],
    ownLine: true,
    run: (c, cmd) =>
      missingText(cmd.text, 'text', 'результат выполнения для уведомления Инициатора') ??
      // п. 3.3, 3.4: after the notification the status becomes «Выполнена».
      accept(outcome(c, cmd.by, { type: 'resolved', text: cmd.text }, 'done', null)),
  },

  closeUnreproducible: {
    when: [incidentOnly, executing('closeUnreproducible')],
    ownLine: true,
    run: (c, cmd) =>
      missingText(cmd.text, 'text', 'текст уведомления о невозможности решения') ??
      accept(
        outcome(
          c,
          cmd.by,
          { type: 'closed', reason: 'not_reproducible', text: cmd.text },
          'closed',
          'not_reproducible',
        ),
      ),
  },

  reject: {
    when: [inOpen('reject')],
    run: (c, cmd) => {
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
      if (reason.statuses && !reason.statuses.includes(s.status)) {
        return refuse(
          'invalid_reason',
          'Отклонить запрос на изменение из-за отсутствия согласования министерства можно только после того, как он направлен на согласование (п. 3.5).',
          `${cmd.reason} only in ${reason.statuses.join(', ')}`,
        );
      }
      return accept(
        outcome(
          c,
          cmd.by,
          { type: 'rejected', reason: cmd.reason, ...(cmd.text && { text: cmd.text }) },
          'rejected',
          cmd.reason,
        ),
      );
    },
  },

  changeOrganization,
  comment,

  setDeadline: {
    when: [individualDeadline, inWork('setDeadline', true)],
    run: (c, cmd) => setResolutionTarget(c, cmd, stopIfRunning(c.state, 'remind:deadline')),
  },

  reclassify: {
    when: [inOpen('reclassify')],
    run: (c, cmd) => {
      const s = c.state;
      if (cmd.requestType === s.type) return refuse('no_change', 'Заявка уже этого типа.', 'same type');
      if (isPreRegistration(s)) {
        if (!(cmd.requestType in c.regulation.requestTypes))
          return registrationProblem(c, cmd.requestType, s.intake)!;
        return accept(event(c, cmd.by, { type: 'reclassified', from: s.type, to: cmd.requestType }));
      }
      // The new type's requirements apply as at registration, the access check included (п. 3.3.1).
      const problem = registrationProblem(c, cmd.requestType, s.intake);
      if (problem) return problem;
      const target = c.regulation.resolutionTargets[cmd.requestType] ?? null;
      const ops: ClockOp[] = [
        retargetResolution(target),
        ...(target === null ? deadlineReminderStart(c, null) : stopIfRunning(s, 'remind:deadline')),
      ];
      // п. 3.3.1 (2): an access request goes to the second line.
      const order = c.regulation.lineOrder;
      const toAccessLine =
        isAccessRequest(cmd.requestType, s.intake) &&
        order.indexOf(s.line) < order.indexOf(c.regulation.accessLine);
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
          { clockOps: ops, ...(toAccessLine && { line: c.regulation.accessLine }) },
        ),
      );
    },
  },

  requestApproval: {
    when: [approvalInRules, changeRequest, inStatus('requestApproval', 'new', 'in_progress')],
    run: (c, cmd) =>
      // п. 3.5 (причина 3): the change request waits for the ministry; its answer resumes the work
      // (`resume`) or rejects the request (`reject`, no_ministry_approval).
      accept(
        event(
          c,
          cmd.by,
          { type: 'approvalRequested', ...(cmd.note && { note: cmd.note }) },
          { status: APPROVAL },
        ),
      ),
  },

  close: { when: [noGenericClose], run: (c, cmd) => refused(noGenericClose(c, cmd.by)!) },
};
