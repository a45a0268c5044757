/**
 * Intake fields from a request written as free text, like the examples in the table after п. 3.5 of
 * seed 000: the request, then «ФИО: …», the e-mail, the position and the organisation on their own
 * lines, mandatory ones marked «*». The original text is kept as the description (п. 2.3.1.7: the
 * request is recorded in the initiator's own words).
 */
import {
  normalizeEmail,
  normalizeInn,
  normalizePhone,
  normalizeSnils,
  type AccessRequest,
  type Intake,
  type RegulationId,
} from '../domain';
import type { InboundMessage } from './parse';

export interface Extracted {
  readonly intake: Intake;
  /** The type the request names, if it does (seed 000 п. 2.3.1.4). */
  readonly requestType?: string;
}

const MAX_DESCRIPTION = 20_000;

// «ФИО:» and «ФИО инициатора:», not «ФИО клиента:» or «ФИО сотрудника:», which name other people.
const KEYS: ReadonlyArray<[RegExp, keyof Fields]> = [
  [/^(?:ф\.?\s?и\.?\s?о\.?|фио)(?:\s+инициатора|\s+заявителя|\s+пользователя)?$/i, 'fullName'],
  [/^инициатор$/i, 'fullName'],
  [/^(?:e-?mail|эл(?:ектронная|\.)?\s*почта|почта|адрес эл(?:ектронной|\.)? почты)$/i, 'email'],
  [/^(?:должность|должность инициатора)$/i, 'position'],
  [
    /^(?:организация|наименование организации|орган|наименование органа(?: или организации)?|учреждение)$/i,
    'organization',
  ],
  [/^(?:телефон|тел\.?|контактный телефон|телефон инициатора)$/i, 'phone'],
  [/^снилс$/i, 'snils'],
  [/^инн$/i, 'inn'],
  [/^дата рождения$/i, 'birthDate'],
  [/^(?:удобный способ связи|способ связи|способ связи для оповещения)$/i, 'contact'],
];

interface Fields {
  fullName?: string;
  email?: string;
  position?: string;
  organization?: string;
  phone?: string;
  snils?: string;
  inn?: string;
  birthDate?: string;
  contact?: string;
}

const ORGANISATION =
  /«[^«»]+»|"[^"]+"|\b(?:ООО|ОАО|ПАО|ЗАО|АО|ИП|ГБУ|КГБУ|КГКУ|МБУ|МКУ|ФГБУ|ГАУ|АНО)\b|министерств|департамент|управлени|администрац|учреждени|агентств|инспекци/i;
/**
 * A line that starts with a post is the position, even when it goes on to name the organisation
 * («Специалист-эксперт отдела … министерства труда …», as in seed 000's example requests).
 */
const POSITION =
  /^(?:главный|ведущий|старший|младший|заместитель|начальник|руководитель|директор|генеральный|специалист|эксперт|консультант|советник|инспектор|менеджер|бухгалтер|главбух|инженер|программист|аналитик|оператор|кассир|администратор|секретарь|референт|помощник|заведующ|председатель|министр|глава)/i;

/**
 * Extraction works on bounded lines (issue #18, finding 1): the fields of seed 000's requests are a
 * few short lines, so only the first lines are read and each only so far. Work per message is linear
 * in these bounds, whatever the sender wrote.
 */
export const EXTRACT_LIMITS = { lines: 1000, lineChars: 1000 } as const;

// Characters that end a word that might be an address («ФИО: Тестов Т.Т.* Email@gmail.ru*»).
const ADDRESS_STOP = /[\s<>()[\]*,;:"«»]/u;

/**
 * The first word in a line that looks like an address: something, «@», something with a dot inside.
 * A scan in one pass instead of a pattern: the pattern it replaces let «@» into both halves and took
 * cubic time on «a@a@a@…» (issue #18, finding 1: 1,400 characters froze the desk for 9 s).
 */
export function emailInLine(line: string): string | undefined {
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i < line.length && !ADDRESS_STOP.test(line[i]!)) continue;
    const word = line.slice(start, i);
    start = i + 1;
    const at = word.indexOf('@', 1);
    const dot = word.lastIndexOf('.', word.length - 2);
    if (at > 0 && dot > at + 1) return word;
  }
  return undefined;
}

/** «Ключ: значение» with the key before the first colon, at most 40 characters once trimmed. */
function keyed(line: string): { key: string; value: string } | null {
  const m = /^([^:：]*)[:：](.*)$/.exec(line);
  if (!m || m[1]!.length < 2) return null;
  const key = m[1]!.trim();
  return key.length <= 40 ? { key, value: m[2]! } : null;
}

const clean = (v: string): string => v.replace(/\*+/g, '').replace(/\s+/g, ' ').trim();

/** dd.mm.yyyy (or yyyy-mm-dd) → yyyy-mm-dd; anything else is kept for the operator to fix. */
function isoDate(value: string): string {
  const ru = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(value);
  if (ru) return `${ru[3]}-${ru[2]!.padStart(2, '0')}-${ru[1]!.padStart(2, '0')}`;
  return value;
}

/** The request's own text: quoted earlier messages («> …») are not part of it. */
function ownText(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*>/.test(l))
    .join('\n')
    .trim();
}

function fieldsFrom(lines: readonly string[]): Fields {
  const fields: Fields = {};
  for (let i = 0; i < lines.length; i++) {
    const m = keyed(lines[i]!);
    if (!m) continue;
    const key = KEYS.find(([re]) => re.test(m.key))?.[1];
    if (!key) continue;
    let value = clean(m.value);
    if (key === 'fullName') {
      // «ФИО: Тестов Тест Тестович* Email@gmail.ru*» on one line: the address is not part of the name.
      const email = emailInLine(value);
      if (email) {
        fields.email ??= email;
        value = clean(value.replace(email, ''));
      }
      fields.fullName ??= value || undefined;
      // The lines right after the name: e-mail, position, organisation (the regulation's examples).
      for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) {
        const line = clean(lines[j]!);
        // Keyed lines («Должность: …») are read by the outer loop; the block goes on after them.
        if (!line || /^[^:：]{2,40}[:：]/.test(line)) continue;
        const inLine = emailInLine(line);
        if (inLine && clean(line.replace(inLine, '')).length < 3) fields.email ??= inLine;
        else if (POSITION.test(line) && !fields.position) fields.position = line;
        else if (ORGANISATION.test(line)) fields.organization ??= line;
        else if (normalizePhone(line)) fields.phone ??= line;
        else if (/^[\p{L}\s\-–,.()]+$/u.test(line) && line.length <= 200) fields.position ??= line;
      }
    } else if (value) {
      fields[key] ??= value;
    }
  }
  return fields;
}

// Words are bounded ({0,30}, {1,40}): a pattern that starts at every «запрос» of «запросзапрос…» and
// reads the rest of the word each time would be quadratic (issue #18).
function typeNamed(text: string): string | undefined {
  if (/запрос\p{L}{0,30}\s+на\s+изменени/iu.test(text)) return 'change';
  if (/запрос\p{L}{0,30}\s+на\s+обслуживани/iu.test(text)) return 'service';
  if (/запрос\p{L}{0,30}\s+на\s+(?:информировани|консультаци)/iu.test(text)) return 'information';
  if (/запрос\p{L}{0,30}\s+на\s+решение\s+инцидента|(?<!\p{L})инцидент(?!\p{L})/iu.test(text))
    return 'incident';
  return undefined;
}

// Literal patterns (not built at run time) so that the lint rule checks them too.
const DEACTIVATION =
  /(?:деактивир|деактивац|заблокир|блокировк|отключ|прекра|аннулир|закры)\p{L}{0,30}\s+(?:[\p{L}-]{1,40}\s+){0,4}доступ/iu;
const CHANGE = /измен\p{L}{0,30}\s+(?:[\p{L}-]{1,40}\s+){0,4}доступ/iu;
const GRANT = /(?:предостав|выда|откры|дать|добав|подключ)\p{L}{0,30}\s+(?:[\p{L}-]{1,40}\s+){0,4}доступ/iu;

/** Seed 000 п. 3.3.1–3.3.2: access requests are recognised so the first line authenticates them. */
function accessNamed(text: string): AccessRequest | undefined {
  if (DEACTIVATION.test(text)) return { kind: 'deactivation' };
  if (CHANGE.test(text)) return { kind: 'change' };
  if (GRANT.test(text)) return { kind: 'grant' };
  return undefined;
}

export function extractIntake(message: InboundMessage, regulation: RegulationId): Extracted {
  const text = ownText(message.text);
  const lines = text.split('\n', EXTRACT_LIMITS.lines).map((l) => l.slice(0, EXTRACT_LIMITS.lineChars));
  const f = fieldsFrom(lines);
  const from = message.fromAddress ? normalizeEmail(message.fromAddress) : null;
  const stated = f.email ? normalizeEmail(f.email) : null;
  // Issue #18, finding 8: the desk writes only to the address the mail came from; one typed in the
  // body is kept for the operator, never a mail target.
  const email = from ?? undefined;
  const statedEmail = stated && stated.toLowerCase() !== from?.toLowerCase() ? stated : undefined;
  const displayName =
    message.fromName && /^[\p{Lu}][\p{L}-]+(?:\s+[\p{Lu}][\p{L}-]+){1,2}$/u.test(message.fromName.trim())
      ? message.fromName.trim()
      : undefined;
  const requestType =
    regulation === 'primorye' ? typeNamed(`${message.subject}\n${lines.slice(0, 3).join('\n')}`) : undefined;
  const access = regulation === 'primorye' ? accessNamed(`${message.subject}\n${text}`) : undefined;
  const intake: Intake = {
    ...(message.subject && { subject: message.subject.slice(0, 500) }),
    ...(text && { description: text.slice(0, MAX_DESCRIPTION) }),
    initiator: {
      ...((f.fullName ?? displayName) && { fullName: f.fullName ?? displayName }),
      ...(email && { email }),
      ...(statedEmail && { statedEmail }),
      ...(f.position && { position: f.position }),
      ...(f.organization && { organization: f.organization }),
      ...(f.phone && { phone: normalizePhone(f.phone) ?? f.phone }),
      ...(f.snils && { snils: normalizeSnils(f.snils) ?? f.snils }),
      ...(f.inn && { inn: normalizeInn(f.inn) ?? f.inn }),
      ...(f.birthDate && { birthDate: isoDate(f.birthDate) }),
      ...(regulation === 'epgu' && { contact: f.contact ?? (email ? `e-mail: ${email}` : undefined) }),
    },
    ...(access && { access }),
    ...(message.messageId && { sourceMessageId: message.messageId }),
  };
  const type = requestType ?? (access ? 'service' : undefined);
  return { intake, ...(type && { requestType: type }) };
}
