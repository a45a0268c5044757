/**
 * СНИЛС and ИНН of initiators are shown only to the roles that work with them: the regional and
 * federal operators of seed 003 (they check and forward them, п. 3.3.2.1), managers and admins.
 * For everyone else they are masked on the server, in every ticket response (the intake, the event
 * log, the correspondence), so the browser never receives them.
 */
import { normalizeInn, normalizeSnils, type Role } from '../domain';
import type { RouteSpec } from './route';

export const PERSONAL_DATA_ROLES: readonly Role[] = [
  'regional_operator',
  'federal_operator',
  'manager',
  'admin',
];

const MASKED_KEYS = new Set(['snils', 'inn']);

export const maySeePersonalData = (role: Role): boolean => PERSONAL_DATA_ROLES.includes(role);

/** «•••-•••-•89 01»: the last digits stay, so an operator can confirm them with the caller. */
export function maskIdentifier(value: string): string {
  let keep = 3;
  return [...value]
    .reverse()
    .map((c) => (/\d/.test(c) ? (keep-- > 0 ? c : '•') : c))
    .reverse()
    .join('');
}

function collect(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collect(v, found));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (MASKED_KEYS.has(k) && typeof v === 'string' && /\d{4}/.test(v)) found.add(v);
      else collect(v, found);
    }
}

/** A pattern for the digits of a value, with or without the usual separators between them. */
function patternOf(value: string): RegExp | null {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 9) return null;
  return new RegExp(digits.split('').join('[\\s-]?'), 'g');
}

/** Runs of 9–12 digits, each optionally after a space or hyphen: one digit per step, so linear time. */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){8,11}(?!\d)/g;
/** A label just before the number: «СНИЛС: », «ИНН ». */
const LABEL = /(?:снилс|инн)[^\d\n]{0,12}$/i;
/** The way СНИЛС is written: 123-456-789 01. */
const SNILS_SHAPE = /^\d{3}-\d{3}-\d{3}[ -]\d{2}$/;

/**
 * СНИЛС and ИНН in free text (a message's text or HTML, an outgoing letter, issue #18 finding 6): a
 * number with a valid checksum that is labelled as one, or a СНИЛС in its usual shape. Phone numbers
 * and other figures stay as they are.
 */
export function maskIdentifiersInText(text: string): string {
  return text.replace(DIGIT_RUN, (match: string, offset: number) => {
    const labelled = LABEL.test(text.slice(Math.max(0, offset - 20), offset));
    const digits = match.replace(/\D/g, '');
    const snils = digits.length === 11 && normalizeSnils(digits) && (labelled || SNILS_SHAPE.test(match));
    const inn = (digits.length === 10 || digits.length === 12) && labelled && normalizeInn(digits);
    return snils || inn ? maskIdentifier(match) : match;
  });
}

/** A copy of `body` with СНИЛС/ИНН values masked under their keys and wherever they recur in text. */
export function maskPersonalData<T>(body: T): T {
  const found = new Set<string>();
  collect(body, found);
  const patterns = [...found].map(patternOf).filter((p): p is RegExp => p !== null);
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (key && MASKED_KEYS.has(key)) return maskIdentifier(value);
      return maskIdentifiersInText(patterns.reduce((s, p) => s.replace(p, (m) => maskIdentifier(m)), value));
    }
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(body) as T;
}

/**
 * Wraps routes (those `which` selects, all by default) so their JSON answers are masked for roles
 * that may not see personal data: tickets, and the mail a message or a letter carries (issue #18).
 */
export function withPersonalDataMasked(
  routes: readonly RouteSpec[],
  which: (spec: RouteSpec) => boolean = () => true,
): RouteSpec[] {
  return routes.map((spec) =>
    !which(spec)
      ? spec
      : {
          ...spec,
          handler: async (input) => {
            const reply = await spec.handler(input);
            if (reply.body === undefined || !input.principal || maySeePersonalData(input.principal.role))
              return reply;
            return { ...reply, body: maskPersonalData(reply.body) };
          },
        },
  );
}
