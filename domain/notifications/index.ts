/**
 * Which mail each event sends, to whom, and what it says. Pure: the workflow computes these and a
 * mail activity delivers them. A regulation module's templates come first; the staff notices every
 * regulation shares (assignment, escalation, a new message, deadlines, reminders) are here.
 */
import { calendarOf, regulationModule, resolveRegulation } from '../regulations';
import type { RegulationData } from '../regulations/types';
import { deadlines } from '../ticket/deadlines';
import { lineLabel, statusLabel } from '../ticket/labels';
import type { MailCtx, MailSpec, MailTemplates } from '../ticket/module';
import type { TicketEvent, TicketState } from '../ticket/types';
import { buildMail, initiatorAddresses, staffOf, subjectOf, type MailRole, type OutgoingMail } from './build';
import { formatLocal } from './format';

export { formatLocal, zoneLabel } from './format';
export {
  initiatorAddresses,
  recipientsOf,
  subjectOf,
  type MailRole,
  type OutgoingMail,
  type RoleMailboxes,
} from './build';

const REMINDERS: Record<string, { what: (c: MailCtx) => string; managers: boolean }> = {
  // seed 000 п. 3.2: the initiator answered; the clock stays stopped until the operator returns the request.
  'remind:answer': {
    what: () =>
      'Инициатор ответил на запрос, заявка ждёт оператора: проверьте ответ и верните заявку в работу (п. 3.2).',
    managers: false,
  },
  'remind:answer:manager': {
    what: () =>
      'Ответ Инициатора не рассмотрен больше рабочего дня: заявка ждёт оператора, срок исполнения остановлен (п. 3.2).',
    managers: true,
  },
  // seed 000 п. 3.1.3
  'remind:deadline': {
    what: () =>
      'Для запроса на изменение не установлен срок исполнения: он определяется отдельно для каждого запроса (п. 3.1.3).',
    managers: true,
  },
};

function staffLines(c: MailCtx): string[] {
  const { state, rules } = c;
  return [
    `Заявка: ${subjectOf(state, rules)}`,
    `Статус: ${statusLabel(rules, state.status)}; линия: ${lineLabel(rules, state.line) || '—'}; исполнитель: ${state.assignee?.name ?? 'не назначен'}.`,
  ];
}

/** The engine's staff notices; a module's template for the same event replaces its. */
const STAFF: MailTemplates<RegulationData> = {
  assigned: (c) => ({
    template: 'assigned',
    audience: { to: staffOf(c.state) },
    lines: [
      `Вам назначена заявка ${subjectOf(c.state, c.rules)}.`,
      `Статус: ${statusLabel(c.rules, c.state.status)}.`,
    ],
    automatic: true,
  }),
  escalated: (c, e) => ({
    template: 'escalated',
    audience: {
      to: e.assignee?.email ? [e.assignee.email] : [],
      roles: e.assignee ? [] : ['managers'],
    },
    lines: [
      `Заявка передана: ${lineLabel(c.rules, e.fromLine)} → ${lineLabel(c.rules, e.toLine)}.`,
      `Причина: ${e.reason}`,
      e.assignee ? `Исполнитель: ${e.assignee.name}.` : 'Исполнитель на линии ещё не назначен.',
    ],
    automatic: true,
  }),
  messageReceived: (c, e) => ({
    template: 'newMessage',
    audience: { to: staffOf(c.state) },
    lines: [
      `Новое сообщение от инициатора по заявке ${subjectOf(c.state, c.rules)}:`,
      '',
      e.text.slice(0, 4000),
    ],
    automatic: true,
  }),
  deadlineWarning: (c, e) => staffDeadline(c, 'deadlineWarning', e.clock, e.dueAt),
  deadlineBreached: (c, e) => staffDeadline(c, 'deadlineBreached', e.clock, e.dueAt),
  staffReminded: (c, e) => {
    const reminder = REMINDERS[e.clock];
    const assignee = staffOf(c.state);
    const managers = reminder?.managers || !assignee.length;
    return {
      template:
        e.clock === 'remind:deadline'
          ? 'deadlineNotSet'
          : managers
            ? 'answerWaitingManager'
            : 'answerWaiting',
      audience: { to: assignee, roles: managers ? ['managers'] : [] },
      lines: [reminder?.what(c) ?? `Напоминание по заявке (${e.clock}).`, '', ...staffLines(c)],
      automatic: true,
    };
  },
};

function staffDeadline(
  c: MailCtx,
  kind: 'deadlineWarning' | 'deadlineBreached',
  clock: string,
  dueAt: string,
): MailSpec {
  const names: Record<string, string> = {
    registration: 'регистрации (4 часа с момента поступления, п. 2.4)',
    resolution: 'исполнения',
  };
  const named = regulationModule(c.rules.id).clockNames?.(clock) ?? null;
  const what = named?.what ?? names[clock] ?? clock;
  const roles: readonly MailRole[] = named?.roles ?? ['managers'];
  const header =
    kind === 'deadlineWarning'
      ? `Приближается срок ${what}: ${c.whenDue(dueAt)}.`
      : `Нарушен срок ${what}: ${c.whenDue(dueAt)}.`;
  return {
    template: kind === 'deadlineWarning' ? 'slaWarning' : 'slaBreach',
    audience: { to: staffOf(c.state), roles },
    lines: [header, '', ...staffLines(c)],
    automatic: true,
  };
}

/** The mail an event causes, given the ticket's state after it. */
export function notificationsFor(event: TicketEvent, state: TicketState): OutgoingMail[] {
  const rules = resolveRegulation(state.regulation);
  const module = regulationModule(state.regulation.id);
  const cal = calendarOf(rules, state.calendar);
  const when = (iso: string | null | undefined): string => (iso ? formatLocal(iso, cal.timeZone) : '—');
  let due: Record<string, string | null> | null = null;
  const dueOf = (clock: string): string | null => (due ??= deadlines(state))[clock] ?? null;
  // Issue #20: a deadline past the last loaded production calendar is stated as provisional.
  const whenDue = (iso: string | null | undefined): string =>
    iso && cal.isProvisional(Date.parse(iso)) ? `${when(iso)} (предварительный срок)` : when(iso);
  const c: MailCtx = {
    state,
    event,
    rules,
    when,
    due: dueOf,
    deadline: (clock) => whenDue(dueOf(clock)),
    whenDue,
    initiator: { to: initiatorAddresses(state) },
  };
  type AnyTemplate = (c: MailCtx, e: TicketEvent) => MailSpec | readonly (MailSpec | null)[] | null;
  const template = (module.mail[event.type] ?? STAFF[event.type]) as AnyTemplate | undefined;
  if (!template) return [];
  const specs = template(c, event);
  const list = specs === null ? [] : Array.isArray(specs) ? specs : [specs as MailSpec];
  return list
    .filter((s): s is MailSpec => s !== null)
    .map((s) => buildMail(state, event, rules, s))
    .filter((m): m is OutgoingMail => m !== null);
}
