/**
 * Organisation scope, generated from the route table (issue #10, finding 2): every route × every role
 * × three keys (one of organisation A, one of organisation B, one of the whole installation), against
 * resources of organisation A. What each answer must be follows from the route's declaration alone:
 * - a role the route does not name: 403 for all three keys;
 * - `global`: 403 for both organisation keys;
 * - `organization` with owners (one resource addressed): 404 for B, and A answers as the global key;
 * - `organization` lists: B answers as the global key but sees nothing of A; A sees what the global key sees of A;
 * - `shared` and `own`: all three answer alike.
 * A new route is walked too; one with a path parameter this file cannot fill fails until it can.
 */
import { randomUUID } from 'node:crypto';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { close, listen } from '../../api/server';
import { createUser, SIGN_IN_LIMITER } from '../../db/repositories/users';
import { clearWindows } from '../../api/rateLimit';
import { ROUTES } from '../../api/app';
import { openApiDocument } from '../../api/openapi';
import type { RouteSpec } from '../../api/route';
import { ROLES, type Role } from '../../domain';
import { createApiKey } from '../../db/repositories/apiKeys';
import { storeAttachments } from '../../db/repositories/attachments';
import { saveFaqArticles } from '../../db/repositories/faq';
import { finishInbound, storeInbound } from '../../db/repositories/inbox';
import { authorizedPersons, inbox, organizations } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { sampleOf, withReferences, type JsonSchema } from '../support/samples';
import { startApi, type Api } from './harness';

const A = 'org-a';
const B = 'org-b';
const C = 'org-c';
type KeyKind = 'global' | 'own' | 'other';

const document = openApiDocument(ROUTES, 'test') as {
  components: { schemas: Record<string, JsonSchema> };
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
  >;
};

let api: Api;
const keys = {} as Record<KeyKind, Record<Role, string>>;
let baseTicket: string;
let attachmentId: string;
let heldSeq = 0;
let stream: Server;
let streamPort: number;

const incidentOfA = (email = 'petrov@example.ru') => ({
  requestType: 'incident',
  channel: 'phone',
  subject: 'Проверка области видимости',
  expectedResult: 'Покупка оплачена баллами.',
  actualResult: 'Ошибка «Недостаточно средств».',
  description: 'Не списываются баллы при оплате сертификатом.',
  initiator: {
    fullName: 'Петров Петр Петрович',
    email,
    organization: '«Бубль-Гум»',
    organizationId: A,
  },
});

async function ticketOfA(): Promise<string> {
  // Everything of A carries «org-a» (its ID, its addresses): lists of B must never show it.
  const res = await api.http().post('/tickets').set(api.as('admin')).send(incidentOfA('petrov@org-a.ru'));
  if (res.status !== 201)
    throw new Error(`cannot create a ticket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function heldMessageOfA(): Promise<number> {
  const id = await storeInbound(api.db.db, {
    envelopeFrom: `sender${++heldSeq}@org-a.ru`,
    envelopeTo: ['help@dprim.ru'],
    remoteAddress: '127.0.0.1',
    raw: Buffer.from(
      `From: sender${heldSeq}@org-a.ru\r\nTo: help@dprim.ru\r\nSubject: held\r\nMessage-ID: <held-${heldSeq}-${randomUUID()}@org-a.ru>\r\n\r\nтекст\r\n`,
    ),
  });
  await finishInbound(api.db.db, id, 'held', 'held: test');
  await api.db.db.update(inbox).set({ organizationId: A }).where(eq(inbox.id, id));
  return id;
}

/** Values for a route's path parameters, by what the path addresses; fresh ones where the route changes them. */
async function pathOf(route: RouteSpec, kind: KeyKind): Promise<string> {
  const p = route.path;
  // Another organisation's key changes nothing (404 first): it may address the shared ticket.
  const fresh = route.method !== 'get' && kind !== 'other';
  const values: Record<string, () => Promise<string>> = {
    '/tickets/:id': async () => (fresh ? ticketOfA() : baseTicket),
    '/tickets/:id/attachments/:attachmentId': async () => `${baseTicket}/attachments/${attachmentId}`,
    '/inbox/:id': async () => String(await heldMessageOfA()),
    '/faq/:id': async () => {
      const id = `faq-${randomUUID().slice(0, 8)}`;
      await saveFaqArticles(api.db.db, [{ id, question: 'Вопрос', answer: 'Ответ', source: 'test' }]);
      return id;
    },
    '/keys/:id': async () => (await createApiKey(api.db.db, { name: 'to revoke', role: 'first_line' })).id,
    '/organizations/:id': async () => A,
    '/organizations/:id/persons/:personId': async () => {
      const id = `p-${randomUUID().slice(0, 8)}`;
      await api.db.db.insert(authorizedPersons).values({
        id,
        organizationId: A,
        fullName: 'Уполномоченный',
        email: `${id}@org-a.ru`,
      });
      return `${A}/persons/${id}`;
    },
    '/regulations/:id': async () => 'primorye',
    '/calendars/:year': async () => '2028',
    '/users/:id': async () =>
      (
        await createUser(api.db.db, {
          login: `u-${randomUUID().slice(0, 8)}`,
          name: 'Сотрудник',
          role: 'first_line',
          password: 'Пароль-для-тестов-1',
        })
      ).id,
    // Saved views are the caller's own: another key's view does not exist for it.
    '/views/:id': async () => '999999',
  };
  if (!p.includes(':')) return p;
  // The longest declared prefix that addresses the resource, e.g. '/tickets/:id' for '/tickets/:id/assign'.
  const prefix = Object.keys(values)
    .filter((k) => p === k || (p.startsWith(`${k}/`) && !p.slice(k.length + 1).includes(':')))
    .sort((x, y) => y.length - x.length)[0];
  if (!prefix) throw new Error(`no fixture for the parameters of ${route.method.toUpperCase()} ${p}`);
  const value = await values[prefix]!();
  const base = prefix.slice(0, prefix.indexOf('/:'));
  return `${base}/${value}${p.slice(prefix.length)}`;
}

/** The body: a valid sample from the OpenAPI document, with the values only this installation knows. */
async function bodyOf(route: RouteSpec): Promise<unknown> {
  const key = `${route.method.toUpperCase()} ${route.path}`;
  const special: Record<string, () => Promise<unknown>> = {
    'POST /tickets': async () => incidentOfA(),
    'POST /tickets/:id/answer-from-faq': async () => {
      const id = `faq-${randomUUID().slice(0, 8)}`;
      await saveFaqArticles(api.db.db, [{ id, question: 'Вопрос', answer: 'Ответ', source: 'test' }]);
      return { articleId: id };
    },
    'POST /tickets/:id/set-deadline': async () => ({ workingHours: 8 }),
    // A third organisation: lists of B must not fill with A's moved tickets.
    'POST /tickets/:id/change-organization': async () => ({ organizationId: C, reason: 'Проверка' }),
    'POST /inbox/:id/release': async () => ({ ticketId: await ticketOfA() }),
    'POST /faq/import': async () => [{ question: 'Импорт', answer: 'Ответ' }],
    'POST /organizations': async () => ({ id: `org-${randomUUID().slice(0, 8)}`, name: 'Новая' }),
    'PUT /organizations/:id/calendar': async () => ({
      calendar: 'ru',
      schedule: { workdayStart: '08:00', workdayEnd: '17:00', shortenPreHolidays: false },
    }),
    'POST /organizations/:id/persons': async () => ({
      fullName: 'Новое лицо',
      email: `n-${randomUUID().slice(0, 8)}@org-a.ru`,
    }),
  };
  if (special[key]) return special[key]();
  const schema =
    document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method]?.requestBody?.content[
      'application/json'
    ]?.schema;
  return schema ? sampleOf(schema) : undefined;
}

const queryOf = (route: RouteSpec): Record<string, string> =>
  route.path === '/reports/sla' ? { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' } : {};

/** The live feed never ends: its answer is the status and headers. */
function askStream(
  path: string,
  key: string,
): Promise<{ status: number; text: string; code?: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = get(
      { host: '127.0.0.1', port: streamPort, path, headers: { Authorization: `Bearer ${key}` } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        // The first event, or the problem, is enough.
        setTimeout(() => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text, body: undefined });
        }, 200);
      },
    );
    req.on('error', reject);
  });
}

async function ask(route: RouteSpec, kind: KeyKind, role: Role) {
  const key = keys[kind][role];
  const path = await pathOf(route, kind);
  if (route.path === '/events') return askStream(path, key);
  const body = await bodyOf(route);
  let req = api.http()[route.method](path).query(queryOf(route)).set('Authorization', `Bearer ${key}`);
  if (body !== undefined) req = req.send(body as object);
  const res = await req;
  return { status: res.status, text: res.text, code: (res.body as { code?: string })?.code, body };
}

const roleAllowed = (route: RouteSpec, role: Role): boolean =>
  route.roles === 'public' ||
  route.roles === 'authenticated' ||
  role === 'admin' ||
  route.roles.includes(role);

beforeAll(async () => {
  api = await startApi();
  stream = await listen(api.app, '127.0.0.1', 0);
  streamPort = (stream.address() as AddressInfo).port;
  await api.db.db.insert(organizations).values([
    { id: A, name: 'Организация А', domains: ['org-a.ru'] },
    { id: B, name: 'Организация Б', domains: ['org-b.ru'] },
    { id: C, name: 'Организация В', domains: ['org-c.ru'] },
  ]);
  for (const kind of ['own', 'other'] as const) keys[kind] = {} as Record<Role, string>;
  keys.global = {} as Record<Role, string>;
  for (const role of ROLES) {
    keys.global[role] = api.keys[role];
    keys.own[role] = (await createApiKey(api.db.db, { name: `A ${role}`, role, organizationId: A })).key;
    keys.other[role] = (await createApiKey(api.db.db, { name: `B ${role}`, role, organizationId: B })).key;
  }
  baseTicket = await ticketOfA();
  const files = await storeAttachments(api.db.db, 900_001, baseTicket, [
    { id: 'm900001-1', fileName: 'screen.png', contentType: 'image/png', content: Buffer.from('png') },
  ]);
  attachmentId = files[0]!.id;
  await heldMessageOfA();
  // Mail of A's ticket for /mail/outgoing: a public comment is mailed to the initiator.
  await api
    .http()
    .post(`/tickets/${baseTicket}/comment`)
    .set(api.as('admin'))
    .send({ text: 'Ответ', visibility: 'public' });
});

afterAll(async () => {
  await close(stream);
  await api.close();
});

it('every route declares its scope', () => {
  for (const r of ROUTES) expect(['shared', 'global', 'own', 'organization']).toContain(r.scope.kind);
});

describe.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path} (${r.scope.kind})`, r] as const))(
  '%s',
  (_name, route) => {
    it.each(ROLES.map((r) => [r]))(
      'as %s: own organisation, another one, the whole installation',
      async (role) => {
        // The walk is about scope; sign-in throttling has its own tests (console.test.ts). Its
        // per-address counter would otherwise answer 429 to the walk's hundredth sign-in.
        if (route.path.startsWith('/session')) {
          await clearWindows(api.db.db, SIGN_IN_LIMITER, '');
          await clearWindows(api.db.db, 'sign-in-address', '');
        }
        const global = await ask(route, 'global', role);
        const own = await ask(route, 'own', role);
        const other = await ask(route, 'other', role);
        const where = `${route.method.toUpperCase()} ${route.path} as ${role}`;
        if (route.path.startsWith('/session')) {
          // A person's session (a cookie), not a key's: every key gets the same answer.
          expect({ where, statuses: [own.status, other.status] }).toEqual({
            where,
            statuses: [global.status, global.status],
          });
          return;
        }
        expect({ where, global: global.status }).not.toEqual({ where, global: 401 });
        expect(global.status).toBeLessThan(500);
        if (route.roles === 'public') return;
        if (!roleAllowed(route, role)) {
          expect({ where, statuses: [global.status, own.status, other.status] }).toEqual({
            where,
            statuses: [403, 403, 403],
          });
          return;
        }
        const answers = { where, own: own.status, other: other.status };
        if (route.path === '/tickets/:id/change-organization') {
          // Issue #18: only the whole installation moves a ticket; B's key does not see A's ticket.
          expect({ where, own: own.status, other: other.status }).toEqual({ where, own: 403, other: 404 });
          return;
        }
        switch (route.scope.kind) {
          case 'global':
            expect(answers).toEqual({ where, own: 403, other: 403 });
            expect(own.code).toBe('organization_scope');
            expect(global.status).not.toBe(403);
            break;
          case 'organization':
            if (route.scope.owners) {
              expect(answers).toEqual({ where, own: global.status, other: 404 });
            } else if (JSON.stringify(other.body ?? null).includes(A)) {
              // Issue #18: a body naming A (its ID, its addresses) is refused to B's key.
              expect(answers).toEqual({ where, own: global.status, other: 403 });
              expect({ where, code: other.code }).toEqual({ where, code: 'organization_scope' });
            } else {
              expect(answers).toEqual({ where, own: global.status, other: global.status });
              expect({ where, leaks: other.text.includes(A) }).toEqual({ where, leaks: false });
              if (route.method === 'get' && global.text.includes(A))
                expect({ where, sees: own.text.includes(A) }).toEqual({ where, sees: true });
            }
            break;
          default:
            expect(answers).toEqual({ where, own: global.status, other: global.status });
        }
      },
    );
  },
);

/**
 * Issue #18, finding 2: every write route × every role, with A's key, on A's resources, and a body
 * that names organisation B inside it (an organisation's ID, an address on B's domain), wherever the
 * route's schema has such a field: refused, 403 (problem+json), never carried out.
 */
const FOREIGN = {
  organizationId: B,
  targetOrganizationId: B,
  email: 'staff@org-b.ru',
  from: 'staff@org-b.ru',
  extraEmails: 'staff@org-b.ru',
};

const requestSchema = (route: RouteSpec): JsonSchema | undefined =>
  document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method]?.requestBody?.content[
    'application/json'
  ]?.schema;

const schemas = { $defs: document.components.schemas };
const foreignBody = (route: RouteSpec): unknown => withReferences(requestSchema(route)!, FOREIGN, schemas);

const writes = ROUTES.filter(
  (r) =>
    r.method !== 'get' &&
    r.scope.kind === 'organization' &&
    !r.path.startsWith('/session') &&
    requestSchema(r) &&
    foreignBody(r) !== undefined,
);

it('the walk of foreign references covers the writes that name organisations and addresses', () => {
  const names = writes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
  for (const w of [
    'POST /tickets',
    'POST /tickets/:id/reply',
    'POST /tickets/:id/register',
    'POST /tickets/:id/assign',
    'POST /tickets/:id/change-organization',
    'POST /organizations/:id/persons',
  ])
    expect(names).toContain(w);
});

describe.each(writes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
  'foreign references in the body of %s',
  (_name, route) => {
    it.each(ROLES.map((r) => [r]))('as %s of organisation A: 403', async (role) => {
      const path = await pathOf(route, 'own');
      const body = foreignBody(route) as object;
      const before = await api.db.db.select().from(organizations);
      const http = api.http();
      const res = await http[route.method](path).set('Authorization', `Bearer ${keys.own[role]}`).send(body);
      const where = `${route.method.toUpperCase()} ${route.path} as ${role}: ${JSON.stringify(body)}`;
      expect({ where, status: res.status }).toEqual({ where, status: 403 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      if (roleAllowed(route, role))
        expect({ where, code: res.body.code }).toEqual({ where, code: 'organization_scope' });
      expect(await api.db.db.select().from(organizations)).toEqual(before);
    });
  },
);
