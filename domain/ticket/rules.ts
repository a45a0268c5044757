/**
 * Behaviour the regulations share, written once: asking the initiator and waiting (with the
 * no-response clock), taking the answer, returning to work, outcomes, the no-response outcome,
 * messages and comments, individual deadlines, retargeting on reclassification. Regulation modules
 * compose their commands from these.
 */
import type { Duration, RegulationData } from '../regulations/types';
import { clockCalendar, minutesUntil, ms, newClock } from './clocks';
import {
  accept,
  event,
  missingText,
  nothing,
  outcomeOps,
  refuse,
  stopIfRunning,
  systemEvent,
  type Ctx,
} from './decision';
import type { CommandRule } from './module';
import type { Actor, ClockName, ClockOp, Decision, EventBody, EventDraft, OperatorCommand } from './types';
import { obsceneIn, textOf } from './intake';

type Command<K extends OperatorCommand['type']> = Extract<OperatorCommand, { type: K }>;

/** The clock of a wait for the initiator: the outcome comes when it expires (with a reminder before). */
export function noResponseStart(c: Ctx, timeout: Duration): ClockOp {
  const clock = newClock(c.regulation, c.at, timeout, 'working', {
    remindDaysBefore: c.regulation.reminderWorkingDaysBefore,
  });
  return { op: 'start', name: 'noResponse', clock };
}

/** A resolution clock with the pre-breach warning. */
export function resolutionStart(c: Ctx, target: Duration | null): ClockOp {
  const clock = newClock(c.regulation, c.at, target, 'working', { warnAt: c.regulation.slaWarningFraction });
  return { op: 'start', name: 'resolution', clock };
}

export interface Wait {
  /** The status while waiting, and its reason. */
  readonly status: string;
  readonly statusReason?: string | null;
  /** The clock the wait pauses (e.g. the resolution time), if any. */
  readonly pause?: ClockName | null;
  /** No answer within this: the no-response outcome; null: no clock. */
  readonly timeout: Duration | null;
}

/**
 * A request to the initiator that puts the ticket into a waiting status (seed 000 п. 3.2, seed 003
 * п. 3.2.7.1). Asked again while waiting, only the no-response period restarts.
 */
export function askInitiator(
  c: Ctx,
  by: Actor,
  body: Extract<EventBody, { type: 'infoRequested' }>,
  wait: Wait,
): EventDraft {
  const timer = wait.timeout ? [noResponseStart(c, wait.timeout)] : [];
  if (c.state.status === wait.status && (wait.statusReason ?? null) === c.state.statusReason) {
    return event(c, by, body, { clockOps: timer });
  }
  return event(c, by, body, {
    status: wait.status,
    ...(wait.statusReason !== undefined && { statusReason: wait.statusReason }),
    clockOps: [...(wait.pause ? [{ op: 'pause' as const, name: wait.pause }] : []), ...timer],
  });
}

/** Back from a wait: the no-response clock stops, the paused clock runs again. */
export function endWait(
  c: Ctx,
  to: { status: string; statusReason?: string | null; resume?: ClockName | null },
): Pick<EventDraft, 'status' | 'statusReason' | 'clockOps'> {
  return {
    status: to.status,
    ...(to.statusReason !== undefined && { statusReason: to.statusReason }),
    clockOps: [
      ...stopIfRunning(c.state, 'noResponse'),
      ...(to.resume ? [{ op: 'resume' as const, name: to.resume }] : []),
    ],
  };
}

/** An outcome: the status, its reason, every clock stopped, the follow-up period started. */
export function outcome(
  c: Ctx,
  by: Actor,
  body: EventBody,
  status: string,
  statusReason: string | null,
  extraOps: readonly ClockOp[] = [],
): EventDraft {
  return event(c, by, body, { status, statusReason, clockOps: [...extraOps, ...outcomeOps(c)] });
}

/** The no-response period expired while still waiting: the regulation's outcome, by the system. */
export function noResponseOutcome(
  c: Ctx,
  waiting: boolean,
  body: EventBody,
  status: string,
  statusReason: string,
): Decision {
  if (!waiting) return nothing;
  return accept(
    systemEvent(c, body, {
      status,
      statusReason,
      clockOps: [{ op: 'fire', name: 'noResponse', timer: 'expiry' }, ...outcomeOps(c)],
    }),
  );
}

/** The initiator's message as an event (text, sender, attachments, the fields it completes). */
export function messageBody(cmd: Command<'reply'>): Extract<EventBody, { type: 'messageReceived' }> {
  return {
    type: 'messageReceived',
    text: cmd.text,
    ...(cmd.subject && { subject: cmd.subject }),
    ...(cmd.from && { from: cmd.from }),
    ...(cmd.messageId && { messageId: cmd.messageId }),
    ...(cmd.attachments?.length && { attachments: cmd.attachments }),
    ...(cmd.fields && { fields: cmd.fields }),
  };
}

/** The text of a message is required (it may be empty: a message with attachments only). */
export const messageText = (cmd: Command<'reply'>): Decision | null =>
  typeof cmd.text === 'string' ? null : missingText(cmd.text, 'text', 'текст сообщения');

/** Obscene language in the initiator's words is flagged for the operator (seed 000 п. 3.5), never judged. */
export function obsceneFlag(c: Ctx, by: Actor, cmd: Command<'reply'>): EventDraft[] {
  const words = obsceneIn([cmd.text, cmd.fields ? textOf(cmd.fields) : ''].join('\n'));
  return words.length ? [event(c, by, { type: 'obsceneLanguageFlagged', words, source: 'message' })] : [];
}

/** A note in the ticket; public ones go to the initiator (the executor's answer, seed 000 п. 3.3, 3.4). */
export const comment: CommandRule<RegulationData, 'comment'> = {
  run: (c, cmd) =>
    missingText(cmd.text, 'text', 'текст комментария') ??
    accept(
      event(c, cmd.by, {
        type: 'commented',
        text: cmd.text,
        visibility: cmd.visibility === 'public' ? 'public' : 'internal',
      }),
    ),
};

/** Who may move a ticket to another organisation: supervisors of the whole desk (issue #18). */
const ORGANIZATION_CHANGERS = ['admin', 'manager'];

/**
 * The organisation a ticket belongs to decides who sees it; it changes only by this command, issued
 * by a supervisor, with the reason recorded in the timeline (issue #18, finding 2). That the actor is
 * not limited to one organisation is the shell's check (the domain knows no keys).
 */
export const changeOrganization: CommandRule<RegulationData, 'changeOrganization'> = {
  when: [
    (_c, by) =>
      by.kind === 'operator' && typeof by.role === 'string' && ORGANIZATION_CHANGERS.includes(by.role)
        ? null
        : {
            code: 'forbidden',
            message: 'Организацию заявки меняют только администратор или руководитель всей службы поддержки.',
            detail: "only admins and managers change a ticket's organisation",
          },
  ],
  run: (c, cmd) => {
    const bad =
      missingText(cmd.organizationId, 'organizationId', 'организацию') ??
      missingText(cmd.reason, 'reason', 'причину изменения организации');
    if (bad) return bad;
    const from = c.state.intake.initiator.organizationId;
    if (from === cmd.organizationId)
      return refuse(
        'same_organization',
        `Заявка уже относится к организации «${cmd.organization ?? cmd.organizationId}».`,
        'the ticket already belongs to this organisation',
      );
    return accept(
      event(c, cmd.by, {
        type: 'organizationChanged',
        ...(from && { from }),
        to: cmd.organizationId,
        ...(cmd.organization && { organization: cmd.organization }),
        reason: cmd.reason,
      }),
    );
  },
};

/**
 * Another organisation named inside a command's fields: the organisation changes only by
 * `changeOrganization` (issue #18, finding 2), never as a side effect of a message or a registration.
 */
export function organizationInFields(c: Ctx, command: OperatorCommand): Decision | null {
  const fields = (command as { fields?: { initiator?: { organizationId?: unknown } } }).fields;
  const named = fields?.initiator?.organizationId;
  if (named === undefined || named === c.state.intake.initiator.organizationId) return null;
  return refuse(
    'organization_change',
    'Организацию заявки нельзя изменить в данных инициатора: её меняет администратор или руководитель ' +
      'командой «Изменить организацию» с указанием причины.',
    "fields.initiator.organizationId differs from the ticket's organisation",
  );
}

/** An individual resolution target, as working hours or an instant (seed 000 п. 3.1.3, seed 003 п. 3.4). */
export function setResolutionTarget(
  c: Ctx,
  cmd: Command<'setDeadline'>,
  extraOps: readonly ClockOp[] = [],
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
    const cal = clockCalendar(c.regulation, clock, c.state.calendar);
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
      { clockOps: [{ op: 'retarget', name: 'resolution', target: { minutes } }, ...extraOps] },
    ),
  );
}

/**
 * The resolution target of another type, recomputed from the original start: paused time stays
 * paused (glpi-project/glpi#15605).
 */
export function retargetResolution(target: Duration | null | undefined): ClockOp {
  return {
    op: 'retarget',
    name: 'resolution',
    target: target && target.unit === 'workingHours' ? { minutes: target.value * 60 } : null,
  };
}
