/**
 * Регламент информационного взаимодействия с центром поддержки пользователей Оператора ЕПГУ и служб
 * эксплуатации партнёрских интернет-сайтов (Открытая платформа госуслуг, проект 2017, версия 1.0).
 * The regional support service (СП РПГУ) fixes the appeal and answers from the FAQ; otherwise it
 * forwards to the federal support service (СП ЕПГУ), which registers a ticket in СКУФ, may involve
 * its technical support (СТП ЕПГУ), a federal agency (ФОИВ) or the claims group (ГРП).
 */
import type { EpguRegulation } from '../types';

const REGIONAL = ['regional_operator', 'manager', 'admin'] as const;
const FEDERAL = ['federal_operator', 'manager', 'admin'] as const;
const BOTH = ['regional_operator', 'federal_operator', 'manager', 'admin'] as const;

/**
 * The same text's rules as revised after the clause-by-clause audits (issues #11 and #20); new tickets
 * run these.
 */
export const epgu: EpguRegulation = {
  id: 'epgu',
  version: '2017-1.0.r3',
  title:
    'Регламент информационного взаимодействия с центром поддержки пользователей Оператора ЕПГУ и служб эксплуатации партнёрских интернет-сайтов',
  source: 'Открытая платформа госуслуг, проект 2017, версия 1.0 (seeds/003)',
  // The text names no time zone; a deployment sets its own (RegulationSettings.timeZone).
  workingHours: {
    timeZone: 'Europe/Moscow',
    workdayStart: '09:00',
    workdayEnd: '18:00',
    shortenPreHolidays: false,
  },
  signature: 'Служба поддержки пользователей',
  idPrefix: 'ID',
  statuses: {
    received: { label: 'Зафиксировано в СП РПГУ', clause: 'п. 3.2.1, 3.3.1', terminal: false },
    forwarded: { label: 'Передано в СП ЕПГУ', clause: 'п. 3.2.2, 3.3.2', terminal: false },
    returned: { label: 'Возвращено в СП РПГУ', clause: 'п. 3.2.2.1, 3.3.3.1', terminal: false },
    assigned: { label: 'Назначен', clause: 'п. 3.2.4.2, 3.2.7.3', terminal: false },
    pending: { label: 'В ожидании', clause: 'п. 3.2.7.1, 3.2.8', terminal: false },
    solved: { label: 'Решен', clause: 'п. 3.2.10, 3.3.11', terminal: false },
    closed: { label: 'Закрыт', clause: 'п. 3.2.11.1, 3.3.13.1', terminal: true },
  },
  requestTypes: {
    appeal: { label: 'Обращение', subjectLabel: 'Обращение', clause: 'п. 3.2.1, 3.3.1' },
    incident: { label: 'Инцидент', subjectLabel: 'Инцидент', clause: 'п. 3.2.4.2' },
    information_request: {
      label: 'Информационный запрос',
      subjectLabel: 'Информационный запрос',
      clause: 'п. 3.2.4.2',
    },
    claim: { label: 'Претензия', subjectLabel: 'Претензия', clause: 'п. 3.2.4.2, 3.3.3.2' },
  },
  lines: {
    rpgu: { label: 'СП РПГУ', clause: 'п. 3.2.1' },
    sp_epgu: { label: 'СП ЕПГУ', clause: 'п. 3.2.2' },
    stp_epgu: { label: 'СТП ЕПГУ', clause: 'п. 3.2.5, 3.3.5.3' },
    grp: { label: 'Группа по работе с претензиями', clause: 'п. 3.2.11.2, 3.3.3.2' },
  },
  channels: {
    phone: { label: 'телефон', clause: 'п. 3.2' },
    email: { label: 'письменное обращение (электронная почта)', clause: 'п. 3.3' },
  },
  userDataFields: [
    { field: 'initiator.fullName', label: 'ФИО', clause: 'п. 3.3.2.1' },
    { field: 'initiator.snils', label: 'СНИЛС', clause: 'п. 3.3.2.1' },
    { field: 'initiator.inn', label: 'ИНН', clause: 'п. 3.3.2.1' },
    { field: 'initiator.birthDate', label: 'дата рождения', clause: 'п. 3.3.2.1' },
    { field: 'initiator.contact', label: 'удобный способ связи для оповещения', clause: 'п. 3.3.2.1' },
    { field: 'description', label: 'суть обращения пользователя', clause: 'п. 3.3.2.1' },
  ],
  userInfoTimeout: { unit: 'workingDays', value: 3, mode: 'sameTime' }, // п. 3.2.7.2, 3.3.7.1
  // «в течение 3 (трех) дней» does not say working or calendar days; working days match п. 3.2.7.2.
  confirmationPeriod: { unit: 'workingDays', value: 3, mode: 'sameTime' },
  claimDeadline: { unit: 'workingDays', value: 7, mode: 'sameTime' }, // п. 3.2.11.2, 3.3.3.2
  statusInquiryDeadline: { unit: 'workingHours', value: 3 }, // п. 3.3.9.2
  autoAnswerStatusInquiries: true,
  resolutionTargets: { incident: null, information_request: null, claim: null, appeal: null }, // п. 3.4
  pendingReasons: {
    user_info: { label: 'Запрошена информация (пользователь)', clause: 'п. 3.2.7.1' },
    agency: { label: 'Отклонено на ведомство', clause: 'п. 3.2.8' },
    user_data: { label: 'Запрошены данные пользователя для передачи в СП ЕПГУ', clause: 'п. 3.3.2.2' },
  },
  // Closing needs a regulated basis: an operator closes only with a reason the text names, where it applies.
  closeReasons: {
    faq_answer: { label: 'Ответ предоставлен из FAQ', clause: 'п. 3.2.1.1, 3.3.1.1' },
    confirmed: { label: 'Решение подтверждено', clause: 'п. 3.2.11.1, 3.3.13.1' },
    no_objection: { label: 'Нет ответа на решение в течение 3 дней', clause: 'п. 3.3.13.3' },
    no_user_info: {
      label: 'Пользователь не предоставил информацию в течение 3 рабочих дней',
      clause: 'п. 3.2.7.2, 3.3.7.1',
    },
    not_competent: {
      label: 'Вне компетенции СП ЕПГУ',
      clause: 'п. 3.2.2.1, 3.3.3.1',
      byOperatorIn: ['returned'],
    },
    // The regulation covers appeals «по вопросу, касающемуся Проекта» (п. 3.2.1, 3.3.1); others are
    // the regional service's own business.
    outside_project: {
      label: 'Обращение не касается Проекта: рассматривается СП РПГУ по её правилам',
      clause: 'п. 3.2.1, 3.3.1',
      byOperatorIn: ['received'],
    },
    claim_registered: { label: 'Зарегистрирована претензия', clause: 'п. 3.2.11.2' },
    // Tickets closed before closing needed a basis (version 2017-1.0) carry this reason.
    operator: { label: 'Закрыто оператором', clause: '—' },
  },
  slaWarningFraction: 0.8,
  reminderWorkingDaysBefore: 1,
  followUp: { unit: 'calendarDays', value: 30 },
  followUpFromLastMessage: false,
  operatorReminders: null,
  lineRoles: {},
  federalContacts: 'СП ЕПГУ: support-op@gosuslugi.ru (п. 3.3.2)',
  faqCheckBeforeForward: true, // п. 3.2.1, 3.3.1
  inquiriesByService: true, // п. 3.2.8.3, 3.3.9, 3.3.1.2
  disputedAppealReprocessed: true, // п. 3.3.5.1, 3.3.13.2
  permissions: {
    answerFromFaq: BOTH,
    forward: REGIONAL,
    requestInfo: BOTH,
    close: BOTH,
    return: FEDERAL,
    register: FEDERAL,
    assign: FEDERAL,
    escalate: FEDERAL,
    askAgency: FEDERAL,
    agencyAnswered: FEDERAL,
    statusInquiry: BOTH,
    answerInquiry: BOTH, // СП ЕПГУ for its tickets, СП РПГУ for appeals it holds (п. 3.3.9, 3.3.1.2)
    resolve: FEDERAL,
    confirm: BOTH,
    disagree: BOTH,
    registerClaim: FEDERAL,
    resolveClaim: FEDERAL,
    comment: BOTH,
    setDeadline: FEDERAL,
    reclassify: FEDERAL,
    resume: BOTH,
    reply: BOTH,
  },
};

/**
 * The rules after the first audit (issue #11). Tickets opened under them keep them: a written
 * disagreement with a knowledge-base answer to an unregistered appeal leaves it «Назначен».
 */
export const epgu2017r2: EpguRegulation = {
  ...epgu,
  version: '2017-1.0.r2',
  disputedAppealReprocessed: false,
};

/**
 * The rules as first published (version 2017-1.0). Tickets opened under them keep them, so their
 * workflows replay (DEVELOPERS.md): forwarding without the FAQ record and the older handling of
 * status inquiries stay; refusals of what the text forbids apply to both versions.
 */
export const epgu2017: EpguRegulation = {
  ...epgu2017r2,
  version: '2017-1.0',
  faqCheckBeforeForward: false,
  inquiriesByService: false,
  permissions: { ...epgu.permissions, answerInquiry: FEDERAL },
};
