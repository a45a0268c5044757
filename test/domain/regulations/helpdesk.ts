/**
 * A small third regulation, written only against the domain's public interface, as docs/regulations.md
 * («Adding a regulation») describes: an internal IT help desk. Requests are «Вопрос» (8 working
 * hours) or «Сбой» (16); the desk may ask the author, who has 3 working days to answer (then the
 * request is closed); the engine gives it the follow-up period, the reminders, the staff mail.
 */
import { defineRegulation, kit, type RegulationData } from '../../../domain';

export interface HelpdeskRules extends RegulationData {
  readonly targets: Readonly<Record<string, { unit: 'workingHours'; value: number }>>;
  readonly answerWithin: { unit: 'workingDays'; value: number; mode: 'sameTime' };
}

export const helpdeskRules: HelpdeskRules = {
  id: 'helpdesk',
  version: '1',
  title: 'Регламент внутренней службы ИТ-поддержки',
  source: 'test/domain/regulations/helpdesk.ts',
  workingHours: {
    timeZone: 'Europe/Moscow',
    workdayStart: '09:00',
    workdayEnd: '18:00',
    shortenPreHolidays: false,
  },
  signature: 'Служба ИТ-поддержки',
  idPrefix: 'HD',
  statuses: {
    open: { label: 'Открыта', clause: '§ 1', terminal: false },
    in_work: { label: 'В работе', clause: '§ 2', terminal: false },
    waiting: { label: 'Ждёт автора', clause: '§ 3', terminal: false },
    solved: { label: 'Решена', clause: '§ 4', terminal: true },
    closed: { label: 'Закрыта', clause: '§ 3', terminal: true },
  },
  requestTypes: {
    question: { label: 'Вопрос', subjectLabel: 'Вопрос', clause: '§ 1' },
    failure: { label: 'Сбой', subjectLabel: 'Сбой', clause: '§ 1' },
  },
  lines: { desk: { label: 'Служба поддержки', clause: '§ 1' } },
  channels: { email: { label: 'электронная почта', clause: '§ 1' } },
  slaWarningFraction: null,
  reminderWorkingDaysBefore: 1,
  followUp: { unit: 'calendarDays', value: 7 },
  followUpFromLastMessage: true,
  operatorReminders: {
    assignee: { unit: 'workingHours', value: 1 },
    manager: { unit: 'workingDays', value: 1, mode: 'sameTime' },
  },
  permissions: { assign: ['manager', 'second_line'], resolve: ['second_line'], requestInfo: ['second_line'] },
  lineRoles: {},
  targets: { question: { unit: 'workingHours', value: 8 }, failure: { unit: 'workingHours', value: 16 } },
  answerWithin: { unit: 'workingDays', value: 3, mode: 'sameTime' },
};

type C = kit.Ctx<HelpdeskRules>;

export const helpdesk = defineRegulation<HelpdeskRules>({
  versions: [helpdeskRules],
  // § 1: the resolution time runs from receipt.
  open: (rules, request, at) => {
    const type = request.requestType === 'failure' ? 'failure' : 'question';
    return {
      status: 'open',
      requestType: type,
      line: 'desk',
      clockOps: [{ op: 'start', name: 'resolution', clock: kit.newClock(rules, at, rules.targets[type]!) }],
      flagObsceneLanguage: false,
    };
  },
  commands: {
    assign: {
      when: [kit.inStatus('assign', 'open', 'in_work')],
      run: (c, cmd) =>
        kit.isPerson(cmd.assignee)
          ? kit.accept(
              kit.event(c, cmd.by, { type: 'assigned', assignee: cmd.assignee }, { status: 'in_work' }),
            )
          : kit.badAssignee(),
    },
    // § 3: asking the author stops the clock; 3 working days without an answer close the request.
    requestInfo: {
      when: [kit.inStatus('requestInfo', 'in_work', 'waiting')],
      run: (c: C, cmd) =>
        kit.missingText(cmd.question, 'question', 'вопрос автору') ??
        kit.accept(
          kit.askInitiator(
            c,
            cmd.by,
            { type: 'infoRequested', question: cmd.question },
            { status: 'waiting', pause: 'resolution', timeout: c.regulation.answerWithin },
          ),
        ),
    },
    reply: {
      initiator: true,
      run: (c, cmd) =>
        kit.messageText(cmd) ??
        kit.accept(
          kit.event(
            c,
            cmd.by,
            kit.messageBody(cmd),
            c.state.status === 'waiting' ? kit.endWait(c, { status: 'in_work', resume: 'resolution' }) : {},
          ),
        ),
    },
    resolve: {
      when: [kit.inStatus('resolve', 'in_work')],
      run: (c, cmd) =>
        kit.missingText(cmd.text, 'text', 'решение') ??
        kit.accept(kit.outcome(c, cmd.by, { type: 'resolved', text: cmd.text }, 'solved', null)),
    },
    comment: kit.comment,
  },
  expiries: {
    noResponse: (c) =>
      kit.noResponseOutcome(
        c,
        c.state.status === 'waiting',
        { type: 'closed', reason: 'no_answer' },
        'closed',
        'no_answer',
      ),
  },
  mail: {
    resolved: (c, e) => ({ template: 'solution', audience: c.initiator, lines: ['Решение:', '', e.text] }),
    infoRequested: (c, e) => ({
      template: 'question',
      audience: c.initiator,
      lines: [e.question, '', `Ответьте до ${c.deadline('noResponse')}.`],
    }),
  },
  reasonLabel: (_rules, code) =>
    code === 'no_answer' ? 'Автор не ответил за 3 рабочих дня (§ 3)' : undefined,
});
