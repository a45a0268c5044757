/**
 * HTTP inputs from the OpenAPI document (issue #10): every operation, with valid samples and with
 * hostile mutations of the path, the query, the headers and the body; sent over real HTTP with the
 * path as written (broken percent-encodings included).
 */
import { request, Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { HOSTILE_STRINGS, MEGABYTE, sampleOf, type JsonSchema } from '../../test/support/samples';
import type { Rng } from './rng';
import { slowString, targetOfField } from './slow';

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly schema: JsonSchema;
}

interface Operation {
  readonly method: string;
  /** OpenAPI path, e.g. /tickets/{id}/assign. */
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body: JsonSchema | null;
}

export interface OpenApi {
  readonly paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
}

/** Real resources to address, so most requests get past "not found" to the rules behind. */
export interface HttpFixtures {
  readonly tickets: readonly string[];
  readonly inbox: readonly number[];
  readonly faq: readonly string[];
  readonly organizations: readonly string[];
  readonly keys: readonly string[];
  readonly attachments: readonly { readonly ticketId: string; readonly id: string }[];
  /** API keys to call with: the first is the installation's admin. */
  readonly credentials: readonly string[];
}

export interface HttpCase {
  readonly kind: string;
  readonly method: string;
  /** As sent on the request line. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export function operationsOf(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema ?? null,
    })),
  );
}

/** Percent-encodes the UTF-8 of any string (a lone surrogate becomes U+FFFD's bytes, as on the wire). */
export function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

const BROKEN_ENCODINGS = [
  '%zz',
  '%E0%A4%A',
  '%C0%AE%C0%AE',
  '%00',
  '%FF%FE',
  '%',
  '%%',
  '%ED%A0%80',
  '%u0041',
  '..%2F..%2F',
];

function hostile(rng: Rng): string {
  const r = rng.next();
  if (r < 0.6) return rng.pick(HOSTILE_STRINGS);
  if (r < 0.9) return rng.units(1 + rng.int(40));
  if (r < 0.97) return 'Ж'.repeat(1 + rng.int(30_000));
  return MEGABYTE;
}

function paramValue(op: Operation, name: string, fx: HttpFixtures, rng: Rng): string {
  const at = op.path;
  if (name === 'attachmentId') return rng.pick(fx.attachments)?.id ?? 'm1-1';
  if (name === 'personId') return `p-${rng.int(1000)}`;
  if (at.startsWith('/tickets/')) return rng.pick(fx.tickets);
  if (at.startsWith('/inbox/')) return String(rng.pick(fx.inbox));
  if (at.startsWith('/faq/')) return rng.pick(fx.faq);
  if (at.startsWith('/keys/')) return rng.pick(fx.keys);
  if (at.startsWith('/organizations/')) return rng.pick(fx.organizations);
  if (at.startsWith('/regulations/')) return rng.pick(['primorye', 'epgu']);
  return 'x';
}

/** Every leaf of a JSON value, as a path of keys. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => leaves(v, [...path, i]))];
  if (value && typeof value === 'object')
    return [path, ...Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]))];
  return [path];
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

function mutateBody(sample: unknown, rng: Rng): { kind: string; json: unknown } {
  const r = rng.int(8);
  const spots = leaves(sample).filter((p) => p.length > 0);
  const spot = spots.length ? rng.pick(spots) : [];
  switch (r) {
    case 0:
    case 1:
    case 2:
      return { kind: 'body:hostile-string', json: setAt(sample, spot, hostile(rng)) };
    case 3:
      return {
        kind: 'body:wrong-type',
        json: setAt(sample, spot, rng.pick([42, -1e308, true, null, [], {}, [hostile(rng)], { $gt: '' }])),
      };
    case 4: {
      if (!spot.length) return { kind: 'body:empty', json: {} };
      const parent = setAt(sample, spot, undefined);
      return { kind: 'body:missing-field', json: JSON.parse(JSON.stringify(parent)) as unknown };
    }
    case 5:
      return {
        kind: 'body:unknown-field',
        json:
          sample && typeof sample === 'object' && !Array.isArray(sample)
            ? { ...sample, [hostile(rng).slice(0, 50)]: hostile(rng), __proto__x: { admin: true } }
            : [sample],
      };
    case 6:
      return { kind: 'body:not-an-object', json: rng.pick([hostile(rng), 0, [], null, [sample, sample]]) };
    default:
      return { kind: 'body:megabyte', json: setAt(sample, spot, MEGABYTE) };
  }
}

/** One request for an operation: valid, or mutated in one place. */
export function httpCase(op: Operation, fx: HttpFixtures, rng: Rng): HttpCase {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${fx.credentials[rng.chance(0.85) ? 0 : rng.int(fx.credentials.length)]}`,
  };
  let kind = 'valid';
  const params = Object.fromEntries(
    op.parameters
      .filter((p) => p.in === 'path')
      .map((p) => [p.name, percentEncode(paramValue(op, p.name, fx, rng))]),
  );
  const query: string[] = op.parameters
    .filter((p) => p.in === 'query' && (p.required || rng.chance(0.3)))
    .map((p) => `${p.name}=${percentEncode(String(sampleOf(p.schema, p.schema, p.name)))}`);
  let body: unknown = op.body ? sampleOf(op.body) : undefined;
  let raw: Buffer | undefined;
  const r = rng.next();
  if (rng.chance(SLOW_SHARE)) {
    // Issue #18: a slow input where its validator or parser meets it.
    const spots = body === undefined ? [] : leaves(body).filter((p) => p.length > 0);
    const where = rng.int(4);
    if (where === 0 && spots.length) {
      const spot = rng.pick(spots);
      const s = slowString(rng, 100_000, targetOfField(String(spot[spot.length - 1])) ?? undefined);
      body = setAt(body, spot, s.text);
      kind = `slow:body:${s.target}`;
    } else if (where === 1 && op.body) {
      // The JSON parser itself: nesting and unterminated strings, repeated.
      raw = Buffer.from(slowString(rng, 100_000, 'json').text);
      kind = 'slow:json';
    } else if (where === 2 && Object.keys(params).length) {
      const name = rng.pick(Object.keys(params));
      const s = slowString(rng, 2_000, rng.pick(['subject', 'email', 'text'] as const));
      params[name] = percentEncode(s.text);
      kind = `slow:path:${s.target}`;
    } else {
      const named = op.parameters.filter((p) => p.in === 'query');
      const name = named.length ? rng.pick(named).name : 'q';
      const s = slowString(rng, 2_000, rng.chance(0.5) ? 'query' : (targetOfField(name) ?? undefined));
      // The query's own syntax (&, =, %) unencoded; the rejecting last character encoded.
      const value =
        s.target === 'query' ? s.text.slice(0, -1) + percentEncode(s.text.slice(-1)) : percentEncode(s.text);
      query.push(`${name}=${value}`);
      kind = `slow:query:${s.target}`;
    }
  } else if (r < 0.3) {
    // valid
  } else if (r < 0.6 && op.body) {
    const m = mutateBody(body, rng);
    kind = m.kind;
    body = m.json;
  } else if (r < 0.72 && Object.keys(params).length) {
    const name = rng.pick(Object.keys(params));
    params[name] = rng.chance(0.5) ? rng.pick(BROKEN_ENCODINGS) : percentEncode(hostile(rng).slice(0, 5000));
    kind = 'path:hostile';
  } else if (r < 0.84) {
    const named = op.parameters.filter((p) => p.in === 'query');
    const name =
      named.length && rng.chance(0.7) ? rng.pick(named).name : percentEncode(hostile(rng).slice(0, 40));
    const value = rng.chance(0.3) ? rng.pick(BROKEN_ENCODINGS) : percentEncode(hostile(rng).slice(0, 5000));
    query.push(`${name}=${value}`);
    if (rng.chance(0.2)) query.push(`${name}=${value}`);
    kind = 'query:hostile';
  } else {
    kind = 'headers:hostile';
    const json = Buffer.from(JSON.stringify(body ?? {}));
    switch (rng.int(7)) {
      case 0:
        headers['Content-Encoding'] = rng.pick([
          'gzip',
          'br',
          'deflate',
          'x-unknown',
          'gzip, br',
          'identity',
        ]);
        break;
      case 1:
        headers['Content-Encoding'] = 'gzip';
        raw = gzipSync(json);
        break;
      case 2:
        headers['Content-Type'] = rng.pick([
          'text/plain',
          'text/csv',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/x-www-form-urlencoded',
          '',
        ]);
        break;
      case 3:
        headers.Authorization = rng.pick([
          'Bearer',
          'Bearer rgl_',
          'Basic YTpi',
          `Bearer rgl_${'0'.repeat(12)}_${'A'.repeat(43)}`,
          'x'.repeat(3000),
        ]);
        break;
      case 4:
        headers['Idempotency-Key'] = percentEncode(hostile(rng).slice(0, 300));
        break;
      case 5:
        raw = Buffer.from(rng.chance(0.5) ? '{"description": ' : '['.repeat(50_000));
        break;
      default:
        raw = rng.bytes(1 + rng.int(2000));
    }
  }
  let path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? 'x');
  if (query.length) path += `?${query.join('&')}`;
  if (raw === undefined && body !== undefined && op.method !== 'GET' && op.method !== 'DELETE')
    raw = Buffer.from(JSON.stringify(body));
  if (raw !== undefined && headers['Content-Type'] === undefined)
    headers['Content-Type'] = 'application/json';
  if (headers['Content-Type'] === '') delete headers['Content-Type'];
  return { kind, method: op.method, path, headers, ...(raw !== undefined && { body: raw }) };
}

/** The share of inputs that are slow inputs (issue #18). */
const SLOW_SHARE = 0.2;

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** Sends a case over HTTP as it is; a connection the server closes is reported as status 0. */
export function send(base: URL, c: HttpCase): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: c.method,
        path: c.path,
        headers: { ...c.headers, ...(c.body && { 'Content-Length': String(c.body.length) }) },
        agent,
        timeout: 60_000,
      },
      (res) => {
        // A live feed (server-sent events) never ends: its status and headers are the answer.
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, body: '' });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 0, body: 'response error' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    if (c.body) req.write(c.body);
    req.end();
  });
}

export function closeHttpAgent(): void {
  agent.destroy();
}
