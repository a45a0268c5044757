/**
 * API keys (issue #10, finding 2): a key for an organisation that does not exist is refused by the API
 * and the CLI; keys expire; `keys list` and GET /keys show role, scope, creation, last use and expiry.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { apiKeys } from '../../db/schema';
import { startApi, type Api } from './harness';

const BIN = join(__dirname, '../../bin/reglament.js');

function cli(args: string[], databaseUrl: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('API keys: scope, expiry, unknown organisations', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('POST /keys for an organisation that does not exist: 422, nothing created', async () => {
    const before = (await api.http().get('/keys').set(api.as('admin'))).body.items.length;
    const res = await api
      .http()
      .post('/keys')
      .set(api.as('admin'))
      .send({ name: 'чужой', role: 'first_line', organizationId: 'no-such-org' });
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain('no-such-org');
    expect((await api.http().get('/keys').set(api.as('admin'))).body.items).toHaveLength(before);
  });

  it('GET /keys shows role, scope, status, creation, last use and expiry; GET /keys/me the caller’s own', async () => {
    const created = await api.http().post('/keys').set(api.as('admin')).send({
      name: 'оператор',
      role: 'first_line',
      organizationId: 'bubble',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    const me = await api.http().get('/keys/me').set('Authorization', `Bearer ${created.body.key}`);
    expect(me.body).toMatchObject({
      id: created.body.id,
      role: 'first_line',
      scope: 'organization',
      organizationId: 'bubble',
      status: 'active',
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    const listed = (await api.http().get('/keys').set(api.as('admin'))).body.items.find(
      (k: { id: string }) => k.id === created.body.id,
    );
    expect(listed).toMatchObject({ scope: 'organization', status: 'active' });
    expect(Object.keys(listed)).toEqual(expect.arrayContaining(['createdAt', 'lastUsedAt', 'expiresAt']));
  });

  it('an expired key is refused like an unknown one', async () => {
    const created = await api
      .http()
      .post('/keys')
      .set(api.as('admin'))
      .send({ name: 'временный', role: 'manager', expiresAt: '2099-01-01T00:00:00Z' });
    await api.db.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, created.body.id));
    const res = await api.http().get('/tickets').set('Authorization', `Bearer ${created.body.key}`);
    expect(res.status).toBe(401);
    const past = await api
      .http()
      .post('/keys')
      .set(api.as('admin'))
      .send({ name: 'просрочен', role: 'manager', expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(422);
  });

  it('CLI: keys create refuses an unknown organisation; --expires; keys list shows the scope', async () => {
    const url = api.db.url;
    const refused = await cli(
      ['keys', 'create', '--role', 'first_line', '--name', 'x', '--organization', 'no-such-org'],
      url,
    );
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('organisation "no-such-org" does not exist');
    const created = await cli(
      [
        'keys',
        'create',
        '--role',
        'first_line',
        '--name',
        'Бубль\u0007Гум',
        '--organization',
        'bubble',
        '--expires',
        '30d',
      ],
      url,
    );
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/organisation bubble, expires \d{4}-/);
    const badExpiry = await cli(
      ['keys', 'create', '--role', 'admin', '--name', 'x', '--expires', 'soon'],
      url,
    );
    expect(badExpiry.code).toBe(2);
    const list = await cli(['keys', 'list'], url);
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toMatch(
      /^ID\s+ROLE\s+SCOPE\s+STATUS\s+CREATED\s+LAST USED\s+EXPIRES\s+NAME/,
    );
    expect(list.out).toMatch(/first_line\s+org:bubble\s+active\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+—\s+\d{4}-/);
    expect(list.out).toContain('БубльГум');
  }, 60_000);
});
