/**
 * Issue #18, finding 6: СНИЛС and ИНН are masked for roles that may not see them in every view — an
 * inbox message's text and HTML, the inbox list, outgoing letters — as they are in tickets
 * (api/personalData.ts). Finding 10: exports neutralise formula injection.
 */
import { randomUUID } from 'node:crypto';
import { finishInbound, storeInbound } from '../../db/repositories/inbox';
import { createUser } from '../../db/repositories/users';
import { maskIdentifiersInText } from '../../api/personalData';
import { toCsv } from '../../api/csv';
import { phoneIncident, startApi, type Api } from './harness';

// Valid checksums: СНИЛС 112-233-445 95, ИНН 7707083893.
const SNILS = '112-233-445 95';
const INN = '7707083893';

let api: Api;

beforeAll(async () => {
  api = await startApi();
});

afterAll(() => api.close());

describe('finding 6: personal data masked in mail views', () => {
  it('GET /inbox/:id: the text and the HTML are masked for the first line, not for the regional operator', async () => {
    const id = await storeInbound(api.db.db, {
      envelopeFrom: 'someone@example.ru',
      envelopeTo: ['help@dprim.ru'],
      remoteAddress: '127.0.0.1',
      raw: Buffer.from(
        [
          'From: someone@example.ru',
          'To: help@dprim.ru',
          'Subject: Данные',
          `Message-ID: <${randomUUID()}@example.ru>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/alternative; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          `СНИЛС: ${SNILS}, ИНН ${INN}, телефон +7 914 123-45-67`,
          '--b',
          'Content-Type: text/html; charset=utf-8',
          '',
          `<p>СНИЛС: <b>${SNILS}</b> ИНН: ${INN}</p>`,
          '--b--',
          '',
        ].join('\r\n'),
      ),
    });
    await finishInbound(api.db.db, id, 'held', 'held: test');
    const masked = await api.http().get(`/inbox/${id}`).set(api.as('first_line'));
    expect(masked.status).toBe(200);
    const seen = JSON.stringify(masked.body);
    expect(seen).not.toContain(SNILS);
    expect(seen).not.toContain(INN);
    expect(masked.body.text).toContain('•••-•••-••5 95');
    expect(masked.body.text).toContain('+7 914 123-45-67');
    expect(masked.body.html).not.toContain(SNILS);
    const plain = await api.http().get(`/inbox/${id}`).set(api.as('regional_operator'));
    expect(plain.body.text).toContain(SNILS);
    expect(plain.body.text).toContain(INN);
  });

  it('GET /mail/outgoing: a letter carrying an СНИЛС is masked for the first line', async () => {
    const id = (await api.http().post('/tickets').set(api.as('admin')).send(phoneIncident)).body.id;
    await api
      .http()
      .post(`/tickets/${id}/comment`)
      .set(api.as('admin'))
      .send({ text: `Проверили СНИЛС ${SNILS} и ИНН ${INN}.`, visibility: 'public' });
    const masked = await api.http().get('/mail/outgoing').set(api.as('first_line')).query({ ticketId: id });
    expect(masked.status).toBe(200);
    expect(masked.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(masked.body)).not.toContain(SNILS);
    expect(JSON.stringify(masked.body)).not.toContain(INN);
    const manager = await api.http().get('/mail/outgoing').set(api.as('manager')).query({ ticketId: id });
    expect(JSON.stringify(manager.body)).toContain(SNILS);
  });

  it('free text: labelled or shaped identifiers with valid checksums only; linear on hostile digits', () => {
    expect(maskIdentifiersInText(`ИНН: ${INN}`)).toBe('ИНН: •••••••893');
    expect(maskIdentifiersInText(`счёт ${INN}`)).toBe(`счёт ${INN}`);
    expect(maskIdentifiersInText('СНИЛС 112-233-445 96')).toBe('СНИЛС 112-233-445 96');
    const hostile = '1 '.repeat(200_000);
    const started = process.hrtime.bigint();
    maskIdentifiersInText(hostile);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
  });
});

describe('finding 10: exports neutralise formula injection', () => {
  it('/reports/sla?format=csv: an assignee named like a formula is text', async () => {
    await createUser(api.db.db, {
      login: 'formula',
      name: '=HYPERLINK("http://evil.example","x")',
      role: 'first_line',
      password: 'Пароль-сотрудника-1',
    });
    const id = (
      await api
        .http()
        .post('/tickets')
        .set(api.as('first_line'))
        .send({ ...phoneIncident, assignee: { id: 'formula', name: 'x' } })
    ).body.id;
    expect(id).toBeTruthy();
    const csv = await api
      .http()
      .get('/reports/sla')
      .query({ from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', groupBy: 'assignee', format: 'csv' })
      .set(api.as('manager'));
    expect(csv.status).toBe(200);
    const row = csv.text.split('\r\n').find((l) => l.startsWith('formula,'));
    expect(row).toBe(`formula,"'=HYPERLINK(""http://evil.example"",""x"")",1,0,0,,0,0,,,0`);
  });

  it('every cell that starts with =, +, -, @, a tab or CR gets a leading quote; numbers stay numbers', () => {
    const out = toCsv(['a'], [['=1+2'], ['+7'], ['-2'], ['@SUM(A1)'], ['\tx'], ['\rx'], [-3], ['ok']]);
    expect(out.split('\r\n').slice(1, -1)).toEqual([
      "'=1+2",
      "'+7",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
      '-3',
      'ok',
    ]);
  });
});
