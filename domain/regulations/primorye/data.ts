/**
 * Регламент работы технической поддержки пользователей модуля «Социальный процессинг» Сервиса карта
 * жителя ИС «Цифровое Приморье» (ООО «Цифровое Приморье», приказ № 1/20-04 от 20.04.2023).
 * Every rule cites its clause; docs/regulations.md maps clause → rule → code → test.
 */
import type { FieldRequirement, PrimoryeRegulation } from '../types';

const LINE_STAFF = ['first_line', 'second_line', 'third_line', 'manager', 'admin'] as const;
const EXECUTORS = ['first_line', 'second_line', 'third_line'] as const;

const common: FieldRequirement[] = [
  { field: 'initiator.fullName', label: 'фамилия, имя и отчество Инициатора', clause: 'п. 2.3.1.1' },
  { field: 'initiator.email', label: 'электронный адрес для обратной связи', clause: 'п. 2.3.1.1' },
  { field: 'initiator.organization', label: 'наименование органа или организации', clause: 'п. 2.3.1.1' },
  { field: 'description', label: 'подробное описание проблемы', clause: 'п. 2.3.1.1' },
];

/** The same text's rules as revised after the clause-by-clause audit (issue #11); new tickets run these. */
export const primorye: PrimoryeRegulation = {
  id: 'primorye',
  version: '2023-04-20.r2',
  title: 'Регламент работы технической поддержки пользователей модуля «Социальный процессинг»',
  source: 'ООО «Цифровое Приморье», приказ № 1/20-04 от 20.04.2023 (seeds/000)',
  // п. 2.2: вторая и третья линии — в рабочие дни с 9 до 18 часов МСК+7; п. 3.1.x fixes 18:00.
  workingHours: {
    timeZone: 'Asia/Vladivostok',
    workdayStart: '09:00',
    workdayEnd: '18:00',
    shortenPreHolidays: false,
  },
  signature:
    'Служба технической поддержки модуля «Социальный процессинг» (ООО «Цифровое Приморье»)\nhelp@dprim.ru, 8 (800) 250-88-70',
  idPrefix: 'ID', // п. 2.4: идентификатор, начинающийся с «ID»
  statuses: {
    received: { label: 'Поступила', clause: 'п. 2.4', terminal: false },
    new: { label: 'Новая', clause: 'п. 2.4', terminal: false },
    in_progress: { label: 'В работе', clause: 'п. 2.4', terminal: false },
    awaiting_reply: { label: 'Ожидает ответа', clause: 'п. 3.2', terminal: false },
    done: { label: 'Выполнена', clause: 'п. 3.3, 3.4', terminal: true },
    closed: { label: 'Закрыт', clause: 'п. 3.4', terminal: true },
    rejected: { label: 'Отклонена', clause: 'п. 3.5', terminal: true },
    // п. 3.5 (причина 3): a change request waits for the ministry's approval.
    awaiting_approval: { label: 'На согласовании в министерстве', clause: 'п. 3.5', terminal: false },
  },
  requestTypes: {
    information: {
      label: 'Запрос на информирование',
      subjectLabel: 'Запрос на информирование',
      clause: 'п. 2.1, 2.3.1.4',
    },
    incident: { label: 'Инцидент', subjectLabel: 'Инцидент', clause: 'п. 2.1, 2.3.1.4' },
    change: { label: 'Запрос на изменение', subjectLabel: 'Запрос на изменение', clause: 'п. 2.1, 2.3.1.4' },
    service: {
      label: 'Запрос на обслуживание',
      subjectLabel: 'Запрос на обслуживание',
      clause: 'п. 2.1, 2.3.1.4',
    },
  },
  lines: {
    first: { label: 'Первая линия', clause: 'п. 1' },
    second: { label: 'Вторая линия', clause: 'п. 1' },
    third: { label: 'Третья линия (разработчики)', clause: 'п. 1' },
  },
  firstLine: 'first',
  lineOrder: ['first', 'second', 'third'],
  accessLine: 'second', // п. 3.3.1 (2), (3)
  accessAuthenticationMethodRequired: true, // п. 3.3.1 (1)
  // п. 1: each line's specialists work the requests that line holds.
  lineRoles: {
    first: ['first_line'],
    second: ['second_line'],
    third: ['third_line'],
  },
  channels: {
    email: { label: 'электронная почта', clause: 'п. 2.2' },
    phone: { label: 'телефон контактного центра', clause: 'п. 2.2' },
  },
  channelsByType: {
    information: ['email', 'phone'],
    incident: ['email', 'phone'],
    service: ['email', 'phone'],
    change: ['email'], // п. 2.3.1.11
  },
  registrationDeadline: { unit: 'calendarHours', value: 4 }, // п. 2.4, first line works 24/7 (п. 2.2)
  resolutionTargets: {
    information: { unit: 'workingHours', value: 24 }, // п. 3.1.1
    incident: { unit: 'workingHours', value: 60 }, // п. 3.1.2
    change: null, // п. 3.1.3: определяются отдельно для каждого запроса
    service: { unit: 'workingHours', value: 16 }, // п. 3.1.4
  },
  requiredFields: {
    all: common,
    byType: {
      // п. 2.3.1.3 and the note after п. 3.5: для запросов на изменение — должность инициатора.
      change: [{ field: 'initiator.position', label: 'должность Инициатора', clause: 'п. 2.3.1.3' }],
    },
  },
  contentByType: {
    incident: [
      {
        field: 'actualResult',
        label: 'фактический результат: что произошло при выполнении действий в Модуле, какие отклонения',
        clause: 'п. 2.3.1.9',
        required: true,
      },
      {
        field: 'expectedResult',
        label: 'ожидаемый результат: что вы ожидали получить при выполнении действий в Модуле',
        clause: 'п. 2.3.1.9',
        required: true,
      },
      {
        label: 'ссылки на страницы Модуля, на которых проявляется инцидент',
        clause: 'п. 2.3.1.9',
        required: false,
      },
      {
        label: 'полноэкранный скриншот рабочего стола или видео ошибки (при необходимости)',
        clause: 'п. 2.3.1.2, 2.3.1.9',
        required: false,
      },
    ],
    change: [
      {
        label: 'детальное описание рабочей задачи, решаемой в Модуле, и предлагаемого способа решения',
        clause: 'п. 2.3.1.10',
        required: true,
      },
      {
        field: 'expectedResult',
        label: 'ожидаемое поведение Модуля по шагам и результат его работы',
        clause: 'п. 2.3.1.10',
        required: true,
      },
      {
        label:
          'по возможности: круг заинтересованных пользователей и нормативные правовые акты, которым должно соответствовать изменение',
        clause: 'п. 2.3.1.10',
        required: false,
      },
    ],
    service: [
      { label: 'детальное описание рабочей задачи', clause: 'п. 2.3.1.12', required: true },
      {
        field: 'expectedResult',
        label: 'описание ожидаемого результата',
        clause: 'п. 2.3.1.12',
        required: true,
      },
    ],
  },
  contentRequiredByPhone: true,
  escalationUnassigns: true,
  infoRequestTypes: ['incident'], // п. 3.2: исполнитель Заявки типа «Инцидент» вправе уточнить
  noResponseTimeout: { unit: 'workingDays', value: 2, mode: 'sameTime' }, // п. 3.5
  rejectionReasons: {
    regulation_violation: { label: 'Нарушение условий настоящего Регламента', clause: 'п. 3.5' },
    no_feedback: {
      label:
        'Отсутствие обратной связи от Инициатора в течение 2 рабочих дней с момента направления Запроса Инициатору',
      clause: 'п. 3.5',
      automaticOnly: true,
    },
    no_ministry_approval: {
      label:
        'Отсутствие согласования министерства цифрового развития и связи Приморского края Запроса на согласование «Запросов на изменение»',
      clause: 'п. 3.5',
      types: ['change'],
      // Only after the request was sent for approval (requestApproval).
      statuses: ['awaiting_approval'],
    },
    obscene_language: {
      label: 'Ненормативная лексика в тексте Заявки и комментариях к ней',
      clause: 'п. 3.5',
    },
    unclear_task: {
      label: 'Нечеткая постановка задачи или вопроса, не позволяющая приступить к её исполнению',
      clause: 'п. 3.5',
    },
  },
  slaWarningFraction: 0.8,
  reminderWorkingDaysBefore: 1,
  followUp: { unit: 'calendarDays', value: 30 },
  followUpFromLastMessage: true, // п. 3.3, 3.4: «любое количество раз»
  // п. 3.2: the answer waits for the operator, who is reminded (beyond the text, configurable).
  operatorReminders: {
    assignee: { unit: 'workingHours', value: 2 },
    manager: { unit: 'workingDays', value: 1, mode: 'sameTime' },
  },
  individualDeadlineReminder: { unit: 'workingDays', value: 1, mode: 'sameTime' }, // п. 3.1.3

  permissions: {
    register: ['first_line', 'manager', 'admin'], // п. 2.4: регистрирует первая линия
    assign: LINE_STAFF,
    escalate: EXECUTORS,
    requestInfo: [...EXECUTORS, 'manager'],
    resume: LINE_STAFF,
    resolve: EXECUTORS,
    closeUnreproducible: EXECUTORS,
    reject: LINE_STAFF,
    comment: LINE_STAFF,
    setDeadline: ['first_line', 'second_line', 'third_line', 'manager', 'admin'],
    reclassify: LINE_STAFF,
    reply: LINE_STAFF, // a message from the initiator, entered by an operator (phone)
    requestApproval: LINE_STAFF, // п. 3.5
  },
};

/**
 * The rules as first published (version 2023-04-20). Tickets opened under them keep them, so their
 * workflows replay (DEVELOPERS.md): the audit's changes that alter what a ticket's normal life does —
 * reminders to staff, the follow-up window restarting with each message, content fields required
 * from a call, the approval status — are off; refusals of what the text forbids apply to both.
 */
export const primorye20230420: PrimoryeRegulation = {
  ...primorye,
  version: '2023-04-20',
  statuses: Object.fromEntries(Object.entries(primorye.statuses).filter(([s]) => s !== 'awaiting_approval')),
  rejectionReasons: {
    ...primorye.rejectionReasons,
    no_ministry_approval: { ...primorye.rejectionReasons.no_ministry_approval!, statuses: undefined },
  },
  contentRequiredByPhone: false,
  escalationUnassigns: false,
  followUpFromLastMessage: false,
  operatorReminders: null,
  individualDeadlineReminder: null,
  accessAuthenticationMethodRequired: false,
  permissions: Object.fromEntries(
    Object.entries(primorye.permissions).filter(([c]) => c !== 'requestApproval'),
  ),
};
