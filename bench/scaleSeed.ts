/**
 * A large desk's read model, fast: tickets played through the real domain (commands, timers, the
 * desk's own letters from notificationsFor), written with COPY FROM STDIN into a migrated database.
 * Proportions as measured on a region's desk (issue #21): per ticket ≈ 6.7 events, 4.4 mails, 0.8
 * inbox rows; about 5 % of tickets not archived. Deterministic for a given count.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  advanceBefore,
  notificationsFor,
  openTicket,
  receive,
  type Actor,
  type Applied,
  type Command,
  type TicketEvent,
  type TicketState,
} from '../domain';
import { snapshotOf } from '../db/repositories/tickets';

export const ORGANIZATIONS = 400;
export const OPERATORS = 60;
export const DAY = 86_400_000;

let seed = 21;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const PROBLEMS = [
  'Не списываются баллы по сертификату',
  'Ошибка выгрузки отчётности в казначейство',
  'Не работает оплата телефоном на кассе',
  'Прошу предоставить доступ к модулю для нового сотрудника',
  'Расхождение в отчёте за месяц по начислениям',
  'Не приходит уведомление о зачислении пособия',
  'Вопрос о настройке платёжного терминала',
  'Сбой при авторизации в модуле после обновления',
  'Не формируется реестр получателей',
  'Карта жителя заблокирована без причины',
  'Не отображается история операций по счёту',
  'Двойное списание при оплате проезда',
];
const DETAILS = [
  'Ошибка появляется при нажатии кнопки «Сформировать».',
  'Скриншот прилагаю, проблема повторяется второй день.',
  'Пользователи жалуются, касса стоит.',
  'Просим срочно проверить, сроки сдачи отчётности.',
  'После перезагрузки браузера ничего не меняется.',
  'Код ошибки 0x80070005, журнал приложен.',
];
const REPLIES = [
  'Прикладываю выгрузку журнала и снимок экрана с ошибкой.',
  'Номер терминала 4471, адрес кассы: ул. Светланская, 12.',
  'Проблема сохраняется, проверили на другом компьютере.',
  'Спасибо, всё заработало после обновления справочника.',
  'Уточняю: ошибка только у пользователей второго филиала.',
];
const ANSWERS = [
  'Исправили справочник тарифов, повторите операцию.',
  'Доступ выдан, логин отправлен ответственному лицу.',
  'Ошибка устранена в версии 4.12, обновление установлено.',
  'Перезапустили службу обмена с казначейством, выгрузка прошла.',
];
export const SURNAMES = ['Иванов', 'Петрова', 'Сидоренко', 'Ким', 'Орлова', 'Смирнов', 'Ли', 'Гончаренко'];
export const ADJECTIVES = ['Приморский', 'Восточный', 'Тихоокеанский', 'Уссурийский', 'Находкинский'];

export const operatorOf = (n: number): Actor & { id: string; name: string } => ({
  kind: 'operator',
  id: `op${String(n).padStart(2, '0')}`,
  name: `${SURNAMES[n % SURNAMES.length]} ${String.fromCharCode(1040 + (n % 28))}.`,
});

const initiator: Actor = { kind: 'initiator' };

export interface SeededTicket {
  readonly state: TicketState;
  readonly events: readonly TicketEvent[];
  readonly mails: readonly Mail[];
  /** How many mails came in through the SMTP intake (the inbox keeps each). */
  readonly inbound: number;
}

interface Mail {
  readonly key: string;
  readonly direction: 'in' | 'out';
  readonly template: string | null;
  readonly subject: string;
  readonly body: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly automatic: boolean;
  readonly at: number;
}

/**
 * One ticket's life up to `now`: received (by mail 60 %), registered to an operator, sometimes asked
 * for information and answered, commented, reclassified or escalated, resolved and closed; timers
 * (breaches, archiving) fire as in the workflow.
 */
export function seedTicket(index: number, now: number, years: number): SeededTicket {
  const id = `ID${1_000_000 + index}`;
  // Uniform over the period, a few more lately; most of the desk's history is closed and archived.
  const receivedAt = now - Math.floor(random() ** 1.15 * years * 365 * DAY) - 60_000;
  const org = Math.floor(random() ** 2 * ORGANIZATIONS);
  const type = pick(['incident', 'incident', 'incident', 'information', 'service']);
  // The phone is for incidents (п. 2.2); requests come in writing.
  const email = type !== 'incident' || random() < 0.6;
  const person = `user${index % 50_000}@org${org}.ru`;
  const problem = pick(PROBLEMS);
  const description = `${problem}. ${pick(DETAILS)} Организация ${ADJECTIVES[org % 5]} ${org}.`;
  const events: TicketEvent[] = [];
  const mails: Mail[] = [];
  let inbound = 0;
  let applied: Applied = openTicket({
    ticketId: id,
    regulation: { id: 'primorye', version: '2023-04-20' },
    channel: email ? 'email' : 'phone',
    receivedAt: new Date(receivedAt).toISOString(),
    requestType: type,
    intake: {
      subject: problem,
      description,
      initiator: {
        fullName: `${pick(SURNAMES)} ${String.fromCharCode(1040 + (index % 28))}. ${index}`,
        email: person,
        organization: `ГБУ «${ADJECTIVES[org % 5]} центр ${org}»`,
        organizationId: `org-${org}`,
      },
    },
  });
  const take = (a: Applied): void => {
    applied = a;
    events.push(...a.events);
    for (const e of a.events)
      for (const m of notificationsFor(e, a.state))
        mails.push({
          key: m.key,
          direction: 'out',
          template: m.template,
          subject: m.subject,
          body: m.text,
          from: 'help@dprim.ru',
          to: m.to.length ? m.to : [`${m.toRoles.join(',') || 'desk'}@dprim.ru`],
          automatic: m.automatic,
          at: Date.parse(e.at),
        });
  };
  take(applied);
  if (email) {
    mails.push({
      key: `${id}:1:in`,
      direction: 'in',
      template: null,
      subject: problem,
      body: description,
      from: person,
      to: ['help@dprim.ru'],
      automatic: false,
      at: receivedAt,
    });
    inbound++;
  }
  let at = receivedAt;
  const step = (command: Command, after: number): boolean => {
    const next = at + after;
    if (next >= now) return false;
    at = next;
    take(receive(applied.state, command, at));
    return true;
  };
  const operator = operatorOf(Math.floor(random() * OPERATORS));
  const answered = random();
  let alive = step({ type: 'register', by: operator, assignee: operator }, (5 + random() * 200) * 60_000);
  if (alive && random() < 0.15)
    alive = step({ type: 'reclassify', by: operator, requestType: 'service', reason: 'Уточнили' }, 600_000);
  if (alive && random() < 0.3)
    alive = step({ type: 'comment', by: operator, text: `Проверил журнал: ${pick(DETAILS)}` }, 1_800_000);
  if (alive && type === 'incident' && random() < 0.4) {
    alive = step(
      { type: 'requestInfo', by: operator, question: 'Пришлите, пожалуйста, снимок экрана.' },
      3_600_000,
    );
    const text = pick(REPLIES);
    if (alive && step({ type: 'reply', by: initiator, text }, (1 + random() * 30) * 3_600_000)) {
      mails.push({
        key: `${id}:${applied.state.seq}:in`,
        direction: 'in',
        template: null,
        subject: `Re: ${problem}`,
        body: text,
        from: person,
        to: ['help@dprim.ru'],
        automatic: false,
        at,
      });
      if (email) inbound++;
    } else alive = false;
  }
  if (alive && random() < 0.1)
    alive = step(
      {
        type: 'escalate',
        by: operator,
        toLine: 'second',
        reason: 'Нужен разработчик',
        assignee: operatorOf(7),
      },
      7_200_000,
    );
  if (alive && answered < 0.97)
    alive = step(
      { type: 'resolve', by: operator, text: pick(ANSWERS) },
      random() ** 3 * 12 * DAY + 3_600_000,
    );
  take(advanceBefore(applied.state, now));
  return { state: applied.state, events, mails, inbound };
}

// ---- COPY text format ------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const field = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!);
};
const textArray = (xs: readonly string[]): string =>
  `{${xs.map((x) => `"${x.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
const line = (values: readonly unknown[]): string => `${values.map(field).join('\t')}\n`;

export const TICKET_COLUMNS = [
  'id',
  'regulation',
  'regulation_version',
  'type',
  'status',
  'status_reason',
  'line',
  'channel',
  'assignee_id',
  'assignee_name',
  'organization',
  'organization_id',
  'initiator_name',
  'initiator_email',
  'subject',
  'description',
  'received_at',
  'registered_at',
  'outcome_at',
  'sla_due_at',
  'sla_due_provisional',
  'sla_breached',
  'sla_paused',
  'resolution_minutes',
  'paused_minutes',
  'awaiting_operator',
  'obscene',
  'archived',
  'seq',
  'state',
  'updated_at',
];

export interface Chunk {
  tickets: string;
  events: string;
  mails: string;
  inbox: string;
  counts: { events: number; mails: number; inbox: number };
}

let inboxId = 0;
export function chunkOf(from: number, to: number, now: number, years: number): Chunk {
  const out: Chunk = {
    tickets: '',
    events: '',
    mails: '',
    inbox: '',
    counts: { events: 0, mails: 0, inbox: 0 },
  };
  const t: string[] = [];
  const e: string[] = [];
  const m: string[] = [];
  const b: string[] = [];
  for (let i = from; i < to; i++) {
    const seeded = seedTicket(i, now, years);
    const s = snapshotOf(seeded.state, now);
    t.push(
      line([
        s.id,
        s.regulation,
        s.regulationVersion,
        s.type,
        s.status,
        s.statusReason,
        s.line,
        s.channel,
        s.assigneeId,
        s.assigneeName,
        s.organization,
        s.organizationId,
        s.initiatorName,
        s.initiatorEmail,
        s.subject,
        s.description,
        s.receivedAt,
        s.registeredAt,
        s.outcomeAt,
        s.slaDueAt,
        s.slaDueProvisional,
        s.slaBreached,
        s.slaPaused,
        s.resolutionMinutes,
        s.pausedMinutes,
        s.awaitingOperator,
        s.obscene,
        s.archived,
        s.seq,
        s.state,
        s.updatedAt,
      ]),
    );
    for (const ev of seeded.events) e.push(line([s.id, ev.seq, ev.type, ev.at, ev.by, ev]));
    for (const mail of seeded.mails) {
      const at = new Date(mail.at);
      m.push(
        line([
          s.id,
          mail.direction,
          mail.key,
          mail.template,
          `<${mail.key.replace(/:/g, '.')}@bench>`,
          mail.from,
          textArray(mail.to),
          mail.subject,
          mail.body,
          mail.direction === 'in' ? 'received' : 'stored',
          mail.automatic,
          at,
          mail.direction === 'out' ? at : null,
        ]),
      );
      if (mail.direction === 'in' && seeded.state.channel === 'email') {
        const raw = Buffer.from(
          `From: ${mail.from}\r\nTo: help@dprim.ru\r\nSubject: ${mail.subject}\r\nMessage-ID: <${mail.key}@bench>\r\n\r\n${mail.body}\r\n`,
        );
        b.push(
          line([
            ++inboxId,
            at,
            mail.from,
            '{help@dprim.ru}',
            `\\x${raw.toString('hex')}`,
            raw.length,
            `<${mail.key}@bench>`,
            'done',
            mail.key.endsWith(':1:in') ? 'ticket' : 'reply',
            s.id,
            at,
            s.organizationId,
          ]),
        );
      }
    }
    out.counts.events += seeded.events.length;
    out.counts.mails += seeded.mails.length;
  }
  out.counts.inbox = b.length;
  out.tickets = t.join('');
  out.events = e.join('');
  out.mails = m.join('');
  out.inbox = b.join('');
  return out;
}

export async function copyInto(client: pg.PoolClient, statement: string, data: string): Promise<void> {
  if (!data) return;
  await pipeline(Readable.from([data]), client.query(copyFrom(statement)));
}

/** Three connections held for the whole load: connecting while a chunk is generated would time out. */
export interface Loaders {
  readonly mail: pg.PoolClient;
  readonly events: pg.PoolClient;
  readonly inbox: pg.PoolClient;
}

/** Triggers are off while loading (the caller computes search vectors and counters once, after). */
export async function openLoaders(pool: pg.Pool): Promise<Loaders> {
  const [mail, events, inbox] = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
  for (const c of [mail, events, inbox]) {
    await c.query('set synchronous_commit = off');
    await c.query('set session_replication_role = replica');
  }
  return { mail: mail!, events: events!, inbox: inbox! };
}

/** Copies one chunk, each table on its own session. */
export async function copyChunk(loaders: Loaders, chunk: Chunk): Promise<void> {
  await Promise.all([
    (async () => {
      await copyInto(
        loaders.mail,
        `copy correspondence (ticket_id, direction, key, template, message_id, from_address, to_addresses, subject, body, status, automatic, created_at, sent_at) from stdin`,
        chunk.mails,
      );
      await copyInto(loaders.mail, `copy tickets (${TICKET_COLUMNS.join(', ')}) from stdin`, chunk.tickets);
    })(),
    copyInto(
      loaders.events,
      `copy ticket_events (ticket_id, seq, type, at, actor, event) from stdin`,
      chunk.events,
    ),
    copyInto(
      loaders.inbox,
      `copy inbox (id, received_at, envelope_from, envelope_to, raw, size, message_id, status, outcome, ticket_id, processed_at, organization_id) from stdin`,
      chunk.inbox,
    ),
  ]);
}
