import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { findTicket } from '../../db/repositories/tickets';
import { DESK, startDesk, type Desk } from './desk';

const b64 = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s)).toString('base64');

/** Malformed and hostile messages, as raw bytes. Each must be accepted or refused, never crash. */
const CORPUS: Record<string, string | Buffer> = {
  koi8r: Buffer.concat([
    Buffer.from(
      `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: =?KOI8-R?B?${b64(iconv.encode('Не списываются баллы', 'koi8-r'))}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=KOI8-R\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
    ),
    iconv.encode('Терминал не списывает баллы.\r\nФИО: Тестов Тест Тестович\r\n«Бубль-Гум»\r\n', 'koi8-r'),
  ]),
  windows1251: Buffer.concat([
    Buffer.from(
      `From: buh@romashka.ru\r\nTo: ${DESK}\r\nSubject: =?windows-1251?Q?=C2=FB=E3=F0=F3=E7=EA=E0?=\r\nContent-Type: text/plain; charset=windows-1251\r\n\r\n`,
    ),
    iconv.encode('Не формируется выгрузка отчёта.\r\n', 'win1251'),
  ]),
  encodedWordWithId: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: =?UTF-8?Q?=D0=92=D0=BE=D0=BF=D1=80=D0=BE=D1=81_=D0=BF=D0=BE_ID999999?=\r\n\r\nТекст\r\n`,
  nestedMultipart: [
    `From: tester@bubblegum.ru`,
    `To: ${DESK}`,
    'Subject: Вложенные части',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Текстовая часть',
    '--inner',
    'Content-Type: multipart/related; boundary="deepest"',
    '',
    '--deepest',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>HTML <script>alert(1)</script></p>',
    '--deepest--',
    '--inner--',
    '--outer',
    'Content-Type: image/png; name="screen.png"',
    'Content-Disposition: attachment; filename="screen.png"',
    'Content-Transfer-Encoding: base64',
    '',
    b64('not really a png'),
    '--outer--',
    '',
  ].join('\r\n'),
  brokenBoundary: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: broken\r\nContent-Type: multipart/mixed; boundary="never"\r\n\r\n--never\r\nContent-Type: text/plain\r\n\r\nунылый текст без конца\r\n`,
  missingFrom: `To: ${DESK}\r\nSubject: Без отправителя\r\n\r\nКто я?\r\n`,
  hugeHeaders: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\n${Array.from({ length: 2000 }, (_, i) => `X-Junk-${i}: ${'z'.repeat(200)}`).join('\r\n')}\r\nSubject: many headers\r\n\r\nbody\r\n`,
  binaryJunk: Buffer.concat([
    Buffer.from(`From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: junk\r\n\r\n`),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
  ]),
  headersOnly: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: только заголовки\r\n`,
  bodyOnly: `просто текст без заголовков\r\n`,
  unknownCharset: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: charset\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\nтекст\r\n`,
  brokenBase64: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: b64\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%% not base64 !!!\r\n`,
  invalidFrom: `From: not an address\r\nTo: ${DESK}\r\nSubject: from\r\n\r\nтекст\r\n`,
  injection: `From: "Robert'); DROP TABLE tickets;--" <bobby@tables.ru>\r\nTo: ${DESK}\r\nSubject: ' OR 1=1; <img src=x onerror=alert(1)>\r\n\r\nФИО: '); DELETE FROM inbox;--\r\n«Бубль-Гум»\r\n`,
  longSubject: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: ${'Очень длинная тема '.repeat(3000)}\r\n\r\nтекст\r\n`,
  replyChain: `From: tester@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: Re: RE: Fwd: Пересл.: старое\r\nIn-Reply-To: <unknown@nowhere>\r\nReferences: <a@b> <c@d> garbage\r\n\r\nновое\r\n> старое\r\n>> совсем старое\r\n`,
};

describe('hostile and malformed mail: never a crash, never a lost accepted message, always a clear outcome', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  });

  afterAll(async () => {
    await desk.close();
  });

  const unfinished = async () =>
    (
      await desk.db.db.execute<{ id: string; status: string }>(
        sql`select id, status from inbox where status in ('pending', 'processing', 'failed')`,
      )
    ).rows;

  it.each(Object.keys(CORPUS))('%s', async (name) => {
    const before = Number(
      (await desk.db.db.execute<{ n: string }>(sql`select count(*) as n from inbox`)).rows[0]!.n,
    );
    let accepted = true;
    try {
      // The envelope sender is the From: address, as a sending server sets it (a mismatch is held, see decide).
      const raw = CORPUS[name]!;
      const from = /^From:[^\r\n]*?([^\s<>"]+@[^\s<>"]+)/m.exec(raw.toString('latin1'))?.[1];
      await desk.sendRaw(raw, name === 'missingFrom' ? '' : (from ?? 'tester@bubblegum.ru'));
    } catch (e) {
      accepted = false;
      expect((e as { responseCode?: number }).responseCode).toBeGreaterThanOrEqual(400);
    }
    await desk.dispatch();
    const after = Number(
      (await desk.db.db.execute<{ n: string }>(sql`select count(*) as n from inbox`)).rows[0]!.n,
    );
    expect(after - before).toBe(accepted ? 1 : 0);
    expect(await unfinished()).toEqual([]);
  });

  it('KOI8-R and Windows-1251 are decoded into the ticket', async () => {
    const rows = (
      await desk.db.db.execute<{ ticket_id: string }>(
        sql`select ticket_id from inbox where outcome like 'ticket%' order by id`,
      )
    ).rows;
    const tickets = await Promise.all(rows.map((r) => findTicket(desk.db.db, r.ticket_id)));
    expect(
      tickets.some(
        (t) =>
          t?.subject === 'Не списываются баллы' && t.description?.includes('Терминал не списывает баллы'),
      ),
    ).toBe(true);
    expect(
      tickets.some((t) => t?.subject === 'Выгрузка' && t.description?.includes('Не формируется выгрузка')),
    ).toBe(true);
  });

  it('fuzz: random headers, bodies and structures', async () => {
    const header = fc.tuple(
      fc.constantFrom(
        'Subject',
        'From',
        'Content-Type',
        'Content-Transfer-Encoding',
        'References',
        'In-Reply-To',
        'X-Any',
        'Auto-Submitted',
        'Message-ID',
      ),
      fc.string({ maxLength: 120 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    );
    const message = fc.record({
      headers: fc.array(header, { maxLength: 8 }),
      body: fc.oneof(
        fc.string({ maxLength: 500 }),
        fc.uint8Array({ maxLength: 500 }).map((a) => Buffer.from(a).toString('latin1')),
      ),
      boundary: fc.option(fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.replace(/[\r\n"]/g, 'x'))),
    });
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const head = [
          `To: ${DESK}`,
          ...m.headers.map(([k, v]) => `${k}: ${v}`),
          ...(m.boundary ? [`Content-Type: multipart/mixed; boundary="${m.boundary}"`] : []),
        ];
        const raw = `${head.join('\r\n')}\r\n\r\n${m.boundary ? `--${m.boundary}\r\n\r\n` : ''}${m.body}\r\n`;
        try {
          await desk.sendRaw(raw, 'fuzz@example.ru');
        } catch (e) {
          expect((e as { responseCode?: number }).responseCode).toBeGreaterThanOrEqual(400);
        }
        await desk.dispatch();
        expect(await unfinished()).toEqual([]);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
