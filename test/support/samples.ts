/**
 * Requests from the OpenAPI document: a valid sample for a JSON schema (the route-scope walk and the
 * fuzz start from it) and hostile mutations of it (the fuzz). Only what our document uses is covered:
 * objects, arrays, strings (formats, enums, lengths), numbers, booleans, anyOf/oneOf, local $refs.
 */
export type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  examples?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
};

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) {
    const name = s.$ref.replace(/^#\/(?:\$defs|components\/schemas)\//, '');
    s = root.$defs?.[name] ?? {};
  }
  return s;
}

/** A valid value for the schema: required properties only, the first option of a choice. */
export function sampleOf(schema: JsonSchema, root: JsonSchema = schema, name = ''): unknown {
  const s = resolve(schema, root);
  if (s.const !== undefined) return s.const;
  if (s.examples?.length) return s.examples[0];
  if (s.enum?.length) return s.enum[0];
  const choice = s.anyOf ?? s.oneOf;
  if (choice?.length) return sampleOf(choice[0]!, root, name);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sampleOf(s.properties?.[key] ?? {}, root, key);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(s.items ?? {}, root, name));
    case 'number':
    case 'integer':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'email') return 'sample@example.ru';
      if (s.format === 'date') return '1985-04-12';
      if (s.format === 'date-time') return '2025-03-03T10:00:00+10:00';
      return 'Проверка'.padEnd(s.minLength ?? 0, 'я').slice(0, s.maxLength ?? 100);
    default:
      return name ? 'Проверка' : {};
  }
}

/**
 * A valid value for the schema that also names `refs` (issue #18: foreign references inside bodies):
 * every property with a key of `refs` gets its value, optional ones included, and optional objects
 * are filled in where they lead to one. Undefined when the schema names none of them.
 */
export function withReferences(
  schema: JsonSchema,
  refs: Record<string, unknown>,
  root: JsonSchema = schema,
  depth = 0,
): unknown {
  const s = resolve(schema, root);
  if (depth > 6) return undefined;
  const choice = s.anyOf ?? s.oneOf;
  if (choice?.length) {
    for (const option of choice) {
      const found = withReferences(option, refs, root, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type !== 'object' || !s.properties) return undefined;
  let named = false;
  const out = sampleOf(s, root) as Record<string, unknown>;
  for (const [key, property] of Object.entries(s.properties)) {
    if (key in refs) {
      const p = resolve(property, root);
      const isArray = (Array.isArray(p.type) ? p.type[0] : p.type) === 'array';
      out[key] = isArray ? [refs[key]] : refs[key];
      named = true;
      continue;
    }
    const inner = withReferences(property, refs, root, depth + 1);
    if (inner !== undefined) {
      out[key] = inner;
      named = true;
    }
  }
  return named ? out : undefined;
}

/** Strings a hostile client sends: what poisoned tickets, what breaks parsers, what injects. */
export const HOSTILE_STRINGS: readonly string[] = [
  'a\ud800b',
  '\udc00',
  'x\u0000y',
  '\u0000',
  '\u202eгусь\u200f\u200e',
  '\u0007\u001b[31m\u007f\u0085',
  "'); DROP TABLE tickets; --",
  '<script>alert(1)</script><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '%00%zz%E0%A4%A',
  '${7*7}{{7*7}}',
  '😀'.repeat(50),
  'я'.repeat(5000),
  ' ',
  '',
  'null',
  '\ufeff\ufffe\uffff',
];

/** One string of about a megabyte: over every field's limit and the JSON body's. */
export const MEGABYTE = 'Щ'.repeat(512 * 1024);
