/**
 * The one boundary that makes text storable, used by every entry point: API JSON, MIME headers and
 * bodies after charset decoding, attachments' names, the CLI. PostgreSQL refuses some strings that
 * JavaScript holds happily (issue #10: one lone surrogate made a ticket unstorable for good):
 * - a lone UTF-16 surrogate has no UTF-8 form and jsonb refuses its `\ud800` escape → U+FFFD;
 * - NUL is refused by text and jsonb alike → U+FFFD (visible: something was there);
 * - other C0 controls but tab, newline and carriage return, DEL and the C1 controls are removed;
 * - at most `max` UTF-16 code units, never cutting a surrogate pair in half.
 * Any string in, a storable string out; applying it twice changes nothing.
 */
export const REPLACEMENT_CHARACTER = '\uFFFD';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function storableText(text: string, max = Number.POSITIVE_INFINITY): string {
  let s = String(text)
    .replace(LONE_SURROGATE, REPLACEMENT_CHARACTER)
    .replace(NUL, REPLACEMENT_CHARACTER)
    .replace(CONTROLS, '');
  if (s.length > max) {
    const limit = Math.max(0, Math.floor(max));
    s = s.slice(0, limit);
    // The cut fell between the two halves of a pair: drop the orphaned high half.
    if (/[\uD800-\uDBFF]$/.test(s)) s = s.slice(0, -1);
  }
  return s;
}

/** Whether a string passes the boundary unchanged (nothing to replace, nothing over `max`). */
export function isStorableText(text: string, max = Number.POSITIVE_INFINITY): boolean {
  return storableText(text, max) === text;
}

/**
 * A JSON value with every string (keys included) made storable: what a parsed request body, an
 * event or a ticket's state must be before it reaches a jsonb column. Other values are kept.
 */
export function storableJson<T>(value: T, maxString = Number.POSITIVE_INFINITY): T {
  if (typeof value === 'string') return storableText(value, maxString) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => storableJson(v, maxString)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // Object.fromEntries defines own properties, so a key such as "__proto__" stays plain data.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v, maxString)]),
    ) as T;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === null) {
    return storableJson({ ...value }, maxString);
  }
  return value;
}
