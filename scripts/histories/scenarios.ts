/** Ticket lives used for replay fixtures, recorded (record.ts) or synthesized (synthesize.ts). */
import { businessCalendar, type Actor } from '../../domain';
import type { TicketWorkflowInput } from '../../workflows/messages';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface ScriptedSignal {
  readonly at: number;
  readonly name: string;
  readonly payload: Record<string, unknown>;
}

export interface HistoryScenario {
  readonly name: string;
  readonly input: TicketWorkflowInput;
  readonly signals: readonly ScriptedSignal[];
  /** Run the timers up to here. */
  readonly until: number;
}

/** Monday 7 December 2026, 10:00 in Vladivostok: the start of an ordinary fortnight. */
export const SYNTHETIC_MONDAY = Date.parse('2026-12-07T00:00:00Z');

/**
 * The first Monday more than a day after `now` whose week and the next are ordinary working weeks
 * (ten working days in a row) in Vladivostok and Moscow, so scenario deadlines can be worked out by
 * hand. Read from the production calendar; throws when the calendar has no such week left.
 */
export function nextOrdinaryMonday(now: number): string {
  const zones = ['Asia/Vladivostok', 'Europe/Moscow'].map((timeZone) =>
    businessCalendar({ timeZone, workdayStart: '09:00', workdayEnd: '18:00', shortenPreHolidays: false }),
  );
  const date = (t: number): string => new Date(t).toISOString().slice(0, 10);
  for (let t = Date.parse(`${date(now + DAY)}T12:00:00Z`); ; t += DAY) {
    if (new Date(t).getUTCDay() !== 1) continue;
    const days = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11].map((d) => date(t + d * DAY));
    try {
      if (days.every((d) => zones.every((cal) => cal.day(d).working))) return date(t);
    } catch {
      throw new Error(
        'no ordinary fortnight left in the production calendar: add the next year to domain/calendar',
      );
    }
  }
}

const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };
const regional: Actor = { kind: 'operator', id: 'r1', name: 'Оператор СП РПГУ', role: 'regional_operator' };
const federal: Actor = { kind: 'operator', id: 'f1', name: 'Оператор СП ЕПГУ', role: 'federal_operator' };
const initiator: Actor = { kind: 'initiator', name: 'Петров П. П.', email: 'petrov@example.ru' };
const ivanov = { id: 'ivanov', name: 'Иванов И. И.', email: 'ivanov@dprim.ru' };

/** The scenarios, starting at `monday` (epoch ms of an ordinary Monday, 10:00 Vladivostok). */
export function scenarios(monday: number): HistoryScenario[] {
  return [
    {
      // Seed 000: registration, a question, silence, automatic rejection (п. 2.4, 3.2, 3.5), archive.
      name: 'primorye-no-response',
      input: {
        open: {
          ticketId: 'ID100001',
          regulation: { id: 'primorye', version: '2023-04-20' },
          channel: 'email',
          receivedAt: new Date(monday).toISOString(),
          requestType: 'incident',
          intake: {
            subject: 'Не списываются баллы',
            description: 'При оплате сертификатом ошибка «Недостаточно средств».',
            initiator: {
              fullName: 'Петров Петр Петрович',
              email: 'petrov@example.ru',
              organization: '«Бубль-Гум»',
            },
            sourceMessageId: '<req-1@example.ru>',
          },
        },
      },
      signals: [
        { at: monday + 20 * MINUTE, name: 'register', payload: { by: operator, assignee: ivanov } },
        {
          at: monday + HOUR,
          name: 'requestInfo',
          payload: { by: operator, question: 'Пришлите скриншот ошибки.' },
        },
      ],
      until: monday + 60 * DAY,
    },
    {
      // Seed 000: pause and resume (п. 3.2), a duplicate delivery, resolution (п. 3.3), a message after it.
      name: 'primorye-pause-resolve',
      input: {
        open: {
          ticketId: 'ID100002',
          regulation: { id: 'primorye', version: '2023-04-20' },
          channel: 'phone',
          receivedAt: new Date(monday).toISOString(),
          requestType: 'incident',
          intake: {
            description: 'Терминал не списывает баллы по карте жителя.',
            initiator: {
              fullName: 'Иванова Иванна Ивановна',
              email: 'ivanova@example.ru',
              organization: 'ООО «Ромашка»',
            },
          },
        },
        initialCommands: [{ type: 'register', by: operator, assignee: ivanov }],
      },
      signals: [
        {
          at: monday + HOUR,
          name: 'requestInfo',
          payload: { by: operator, question: 'Укажите адрес точки продаж.' },
        },
        {
          at: monday + DAY,
          name: 'reply',
          payload: { by: initiator, text: 'ул. Светланская, 1', commandId: 'mail-1' },
        },
        {
          at: monday + DAY + 1000,
          name: 'reply',
          payload: { by: initiator, text: 'ул. Светланская, 1', commandId: 'mail-1' },
        },
        { at: monday + 26 * HOUR, name: 'resume', payload: { by: operator } },
        {
          at: monday + 27 * HOUR,
          name: 'resolve',
          payload: { by: operator, text: 'Терминал перенастроен.' },
        },
        { at: monday + 28 * HOUR, name: 'reply', payload: { by: initiator, text: 'Спасибо, работает.' } },
      ],
      until: monday + 60 * DAY,
    },
    {
      // Seed 003: forward, federal registration, agency, status inquiry, solution closed by silence.
      name: 'epgu-agency-confirmation',
      input: {
        open: {
          ticketId: 'ID100003',
          regulation: { id: 'epgu', version: '2017-1.0' },
          channel: 'email',
          receivedAt: new Date(monday + 6 * HOUR).toISOString(),
          intake: {
            description: 'Отказ в услуге без объяснения причин.',
            initiator: {
              fullName: 'Кузнецова Мария Петровна',
              email: 'kuznetsova@example.ru',
              snils: '112-233-445 95',
              inn: '500100732259',
              birthDate: '1979-02-01',
              contact: 'kuznetsova@example.ru',
            },
          },
        },
        initialCommands: [{ type: 'forward', by: regional }],
      },
      signals: [
        {
          at: monday + 7 * HOUR,
          name: 'register',
          payload: { by: federal, requestType: 'information_request' },
        },
        { at: monday + 8 * HOUR, name: 'askAgency', payload: { by: federal, agency: 'СФР' } },
        { at: monday + 30 * HOUR, name: 'statusInquiry', payload: { by: regional, channel: 'email' } },
        {
          at: monday + 50 * HOUR,
          name: 'agencyAnswered',
          payload: { by: federal, text: 'Не приложен документ.' },
        },
        {
          at: monday + 51 * HOUR,
          name: 'resolve',
          payload: { by: federal, text: 'Подайте заявление с документом.' },
        },
      ],
      until: monday + 60 * DAY,
    },
  ];
}
