/**
 * Seed 003 (СП РПГУ ↔ СП ЕПГУ, id `epgu`) as one module: its rules (data.ts), commands with their
 * preconditions (commands.ts), the clocks whose expiry changes a ticket, and its mail (mail.ts).
 */
import { defineRegulation, workingHours } from '../../ticket/module';
import { accept, outcomeOps, nothing, systemEvent } from '../../ticket/decision';
import { noResponseOutcome } from '../../ticket/rules';
import type { Duration, EpguRegulation } from '../types';
import { commands } from './commands';
import { epgu, epgu2017, epgu2017r2 } from './data';
import { mail } from './mail';

export { epgu, epgu2017, epgu2017r2 } from './data';

export const epguModule = defineRegulation<EpguRegulation>({
  versions: [epgu2017, epgu2017r2, epgu],
  // Регламент связывает СП ЕПГУ со службами эксплуатации партнёрских сайтов — региональными СП РПГУ
  // (раздел 1); своего графика и часового пояса он не называет, порядок и сроки СП РПГУ определяются её
  // «внутренними требованиями» (п. 3.2.1.2, 3.3.1.2), а сроки и SLA согласуются с каждой отдельными
  // протоколами (п. 3.4). Поэтому организация (служба региона) может назвать свой календарь и график.
  organizationSchedules: {
    allowed: true,
    basis:
      'Регламент взаимодействия с СП ЕПГУ (п. 3.2.1.2, 3.3.1.2, 3.4): порядок и сроки СП РПГУ определяются её внутренними требованиями и протоколами — организация может назвать свой календарь и график.',
  },
  applySettings: (rules, s) => {
    const confirmation: Duration | undefined =
      s.confirmationDaysKind === 'calendar'
        ? { unit: 'calendarDays', value: rules.confirmationPeriod.value }
        : s.confirmationDaysKind === 'working'
          ? { unit: 'workingDays', value: rules.confirmationPeriod.value, mode: 'sameTime' }
          : undefined;
    const targets = { ...rules.resolutionTargets };
    for (const [kind, hours] of Object.entries(s.resolutionHours ?? {})) {
      if (!(kind in rules.requestTypes))
        throw new RangeError(`resolutionHours: unknown ticket kind "${kind}"`);
      targets[kind] = workingHours(`resolutionHours.${kind}`, hours);
    }
    return {
      ...rules,
      resolutionTargets: targets,
      ...(confirmation && { confirmationPeriod: confirmation }),
      ...(s.autoAnswerStatusInquiries !== undefined && {
        autoAnswerStatusInquiries: s.autoAnswerStatusInquiries,
      }),
      ...(s.federalContacts !== undefined && { federalContacts: s.federalContacts }),
    };
  },
  // п. 3.2.1, 3.3.1: the regional service fixes the appeal; no clock runs for it (п. 3.2.1.2, 3.3.1.2).
  open: () => ({ requestType: 'appeal', line: 'rpgu', clockOps: [], flagObsceneLanguage: false }),
  commands,
  expiries: {
    // п. 3.2.7.2, 3.3.7.1: no information from the user within 3 working days — closed.
    noResponse: (c) =>
      noResponseOutcome(
        c,
        c.state.status === 'pending' && c.state.statusReason !== 'agency',
        { type: 'closed', reason: 'no_user_info' },
        'closed',
        'no_user_info',
      ),
    // п. 3.3.13.3: no answer to the solution within the confirmation period — closed.
    confirmation: (c) =>
      c.state.status !== 'solved'
        ? nothing
        : accept(
            systemEvent(
              c,
              { type: 'closed', reason: 'no_objection' },
              {
                status: 'closed',
                statusReason: 'no_objection',
                clockOps: [{ op: 'fire', name: 'confirmation', timer: 'expiry' }, ...outcomeOps(c)],
              },
            ),
          ),
  },
  mail,
  clockNames: (clock) =>
    clock.startsWith('claim:')
      ? { what: `рассмотрения претензии ${clock.slice(6)} (7 рабочих дней)` }
      : clock.startsWith('inquiry:')
        ? { what: 'ответа на запрос о статусе (3 рабочих часа, п. 3.3.9.2)', roles: ['federal'] }
        : null,
  reasonLabel: (rules, code) => rules.pendingReasons[code]?.label ?? rules.closeReasons[code]?.label,
  shownClocks: ['registration', 'resolution', 'noResponse', 'confirmation'],
  nextSteps: (_rules, state) => {
    // п. 3.3.9.2: a status inquiry is answered within 3 working hours; п. 3.3.3.2: claims within 7 days.
    const urgent = [
      ...(state.inquiries.some((i) => i.answeredAt === null) ? (['answerInquiry'] as const) : []),
      ...(state.claims.some((c) => c.resolvedAt === null) ? (['resolveClaim'] as const) : []),
    ];
    switch (state.status) {
      case 'received': // п. 3.2.1, 3.3.1: an answer from the FAQ, otherwise to СП ЕПГУ
        return [...urgent, 'answerFromFaq', 'forward'];
      case 'forwarded': // п. 3.2.2, 3.3.2: СП ЕПГУ registers it or returns it
        return [...urgent, 'register', 'return'];
      case 'returned': // п. 3.2.2.1, 3.3.3.1: СП РПГУ closes it or forwards it again
        return [...urgent, 'close', 'forward'];
      case 'assigned': // п. 3.2.4–3.2.10: solved, details asked of the user, or an agency asked
        return [...urgent, 'resolve', 'requestInfo', 'askAgency'];
      case 'pending': // п. 3.2.8: the agency's answer; п. 3.2.7.1, 3.3.2.2: the user's
        return state.statusReason === 'agency'
          ? [...urgent, 'agencyAnswered']
          : [...urgent, 'reply', 'resume'];
      case 'solved': // п. 3.2.11, 3.3.13: the user confirms the solution or disagrees
        return [...urgent, 'confirm', 'disagree'];
      default:
        return urgent;
    }
  },
});
