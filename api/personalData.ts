/**
 * СНИЛС and ИНН of initiators are shown only to the roles that work with them: the regional and
 * federal operators of seed 003 (they check and forward them, п. 3.3.2.1), managers and admins.
 * For everyone else they are masked on the server, in every ticket response (the intake, the event
 * log, the correspondence), so the browser never receives them.
 */
import type { Role } from '../domain';
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

/** A copy of `body` with СНИЛС/ИНН values masked under their keys and wherever they recur in text. */
export function maskPersonalData<T>(body: T): T {
  const found = new Set<string>();
  collect(body, found);
  const patterns = [...found].map(patternOf).filter((p): p is RegExp => p !== null);
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (key && MASKED_KEYS.has(key)) return maskIdentifier(value);
      return patterns.reduce((s, p) => s.replace(p, (m) => maskIdentifier(m)), value);
    }
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(body) as T;
}

/** Wraps ticket routes so their JSON answers are masked for roles that may not see personal data. */
export function withPersonalDataMasked(routes: readonly RouteSpec[]): RouteSpec[] {
  return routes.map((spec) => ({
    ...spec,
    handler: async (input) => {
      const reply = await spec.handler(input);
      if (reply.body === undefined || !input.principal || maySeePersonalData(input.principal.role))
        return reply;
      return { ...reply, body: maskPersonalData(reply.body) };
    },
  }));
}
