/**
 * Seed 000 «Социальный процессинг» (id `primorye`) as one module: its rules (data.ts), commands with
 * their preconditions (commands.ts), the clocks whose expiry changes a ticket, and its mail (mail.ts).
 */
import { newClock } from '../../ticket/clocks';
import { defineRegulation, workingDays } from '../../ticket/module';
import { noResponseOutcome } from '../../ticket/rules';
import type { PrimoryeRegulation } from '../types';
import type { TicketState } from '../../ticket/types';
import { commands, registrationFields } from './commands';
import { primorye, primorye20230420 } from './data';
import { mail } from './mail';

export { primorye, primorye20230420 } from './data';

/** п. 3.1.3: an open change request whose individual deadline is not set yet. */
function deadlineNotSet(rules: PrimoryeRegulation, state: TicketState): boolean {
  const resolution = state.clocks.resolution;
  return (
    !rules.statuses[state.status]?.terminal &&
    state.type === 'change' &&
    !!resolution &&
    resolution.stoppedAt === null &&
    resolution.target === null
  );
}

export const primoryeModule = defineRegulation<PrimoryeRegulation>({
  versions: [primorye20230420, primorye],
  // п. 2.2: заявки обрабатывает Оператор ИС ЦП, вторая и третья линии — «в рабочие дни с 9 до 18 часов
  // МСК+7»; п. 3.1 считает сроки «до 18:00 … с 9:00 следующего рабочего дня». График один — Оператора,
  // а не организаций-инициаторов, поэтому организация не меняет ни часы, ни календарь своих заявок.
  organizationSchedules: {
    allowed: false,
    basis:
      'Регламент «Социальный процессинг» (п. 2.2, 3.1): один график Оператора ИС ЦП — рабочие дни с 9 до 18 часов МСК+7; организации его не меняют.',
  },
  applySettings: (rules, s) =>
    s.individualDeadlineReminderDays === undefined || !rules.individualDeadlineReminder
      ? rules
      : {
          ...rules,
          individualDeadlineReminder:
            s.individualDeadlineReminderDays === null
              ? null
              : workingDays('individualDeadlineReminderDays', s.individualDeadlineReminderDays),
        },
  // п. 2.4: the 4-hour registration clock starts at receipt (the first line works 24/7, п. 2.2).
  open: (rules, request, at) => ({
    requestType:
      request.requestType && request.requestType in rules.requestTypes ? request.requestType : 'unclassified',
    line: rules.firstLine,
    clockOps: [{ op: 'start', name: 'registration', clock: newClock(rules, at, rules.registrationDeadline) }],
    flagObsceneLanguage: true,
  }),
  commands,
  registrationFields,
  expiries: {
    // п. 3.5: no answer within 2 working days of the request — rejected automatically.
    noResponse: (c) =>
      noResponseOutcome(
        c,
        c.state.status === 'awaiting_reply',
        { type: 'rejected', reason: 'no_feedback' },
        'rejected',
        'no_feedback',
      ),
  },
  mail,
  reasonLabel: (rules, code) =>
    rules.rejectionReasons[code]?.label ??
    (code === 'not_reproducible' ? 'Инцидент не воспроизводится (п. 3.4)' : undefined),
  shownClocks: ['registration', 'resolution', 'noResponse'],
  attention: (rules, state) =>
    // п. 3.1.3: a change request's deadline is set individually; until then it is flagged.
    deadlineNotSet(rules, state)
      ? [{ code: 'deadline_not_set', label: 'срок исполнения не установлен (п. 3.1.3)' }]
      : [],
  nextSteps: (rules, state) => {
    const deadline = deadlineNotSet(rules, state) ? (['setDeadline'] as const) : [];
    switch (state.status) {
      case 'received': // п. 2.4: the first line registers the request
        return ['register'];
      case 'new': // п. 2.4: a registered request gets its assignee
        return [...deadline, 'assign'];
      case 'in_progress': // п. 3.2–3.4: the assignee resolves, asks the initiator or escalates
        return [...deadline, 'resolve', 'requestInfo', 'escalate'];
      case 'awaiting_reply':
        // п. 3.2: the initiator's answer (by phone) or back to work; once it came, back to work first.
        return state.awaitingOperator ? ['resume', 'reply'] : ['reply', 'resume'];
      case 'awaiting_approval': // п. 3.5: the ministry approves (back to work) or not (rejected)
        return ['resume', 'reject'];
      default:
        return [];
    }
  },
});
