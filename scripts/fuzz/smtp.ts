/**
 * SMTP inputs (issue #10): garbage commands, broken MIME, charsets, huge headers, NUL bytes, forged
 * envelopes, too many recipients; spoken over a raw socket so nothing is cleaned on the way.
 */
import { connect, type Socket } from 'node:net';
import { HOSTILE_STRINGS } from '../../test/support/samples';
import type { Rng } from './rng';
import { slowString } from './slow';

export interface SmtpCase {
  readonly kind: string;
  /** Commands before (or instead of) a message: EHLO is sent first unless `skipGreeting`. */
  readonly commands: readonly string[];
  readonly message?: { readonly from: string; readonly to: readonly string[]; readonly raw: Buffer };
  readonly skipGreeting?: boolean;
}

export interface SmtpResult {
  /** Reply codes in order (0: the connection closed or timed out). */
  readonly codes: readonly number[];
  /** The inbox id the intake gave the message ("queued as N"), when it took it. */
  readonly queued: number | null;
}

const b64 = (s: string | Buffer): string =>
  (Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8')).toString('base64');

function hostile(rng: Rng): string {
  return rng.chance(0.6) ? rng.pick(HOSTILE_STRINGS).slice(0, 2000) : rng.units(1 + rng.int(30));
}

/** Latin-1 keeps every byte of a string as one byte: NUL and 8-bit junk reach the server as they are. */
const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

function message(rng: Rng, desk: string, from: string): { kind: string; raw: Buffer } {
  const id = `<fz-${rng.int(1e9)}@${rng.pick(['bubblegum.ru', 'example.ru', 'x'])}>`;
  const text = 'Не формируется отчёт.\r\n\r\nФИО: Тестов Тест Тестович\r\n«Бубль-Гум»\r\n';
  const head = (subject: string, extra = ''): string =>
    `From: ${from}\r\nTo: ${desk}\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\n${extra}`;
  switch (rng.int(14)) {
    case 0:
      return { kind: 'mime:plain', raw: Buffer.from(`${head('Обычное письмо')}\r\n${text}`) };
    case 1:
      return {
        kind: 'mime:hostile-subject',
        raw: Buffer.from(`${head(`=?UTF-8?B?${b64(hostile(rng))}?=`)}\r\n${text}`),
      };
    case 2:
      return {
        kind: 'charset:utf-16-lone-surrogate',
        raw: Buffer.from(
          `${head('=?utf-16le?B?IgQ1BEIEMAQA3A==?=')}Content-Type: text/plain; charset=utf-16le\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(rng.units(40), 'utf16le'))}\r\n`,
        ),
      };
    case 3:
      return {
        kind: 'charset:unknown-or-8bit',
        raw: Buffer.concat([
          bytes(
            `${head('8bit')}Content-Type: text/plain; charset=${rng.pick(['koi8-r', 'x-unknown', 'utf-7', 'windows-1251', 'iso-2022-jp'])}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
          ),
          rng.bytes(1 + rng.int(3000)),
          bytes('\r\n'),
        ]),
      };
    case 4:
      return {
        kind: 'headers:nul-and-controls',
        raw: bytes(
          `From: ${from}\r\nTo: ${desk}\r\nMessage-ID: <a\u0000${rng.int(1e9)}@x>\r\nSubject: NUL\u0000\u0001\u001b[31m\r\nX-Junk: \u0000\u00ff\u0080\r\n\r\nтело\u0000\r\n`,
        ),
      };
    case 5: {
      const n = 100 + rng.int(3000);
      return {
        kind: 'headers:huge',
        raw: Buffer.from(
          `${head('Много заголовков')}${Array.from({ length: n }, (_, i) => `X-H${i}: ${'z'.repeat(rng.int(300))}`).join('\r\n')}\r\nX-Long: ${'y'.repeat(rng.int(100_000))}\r\n\r\n${text}`,
        ),
      };
    }
    case 6: {
      const depth = 1 + rng.int(60);
      const open = Array.from(
        { length: depth },
        (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`,
      ).join('');
      return {
        kind: 'mime:nested-unterminated',
        raw: Buffer.from(`${head('Вложенность')}${open}Content-Type: text/plain\r\n\r\nглубоко\r\n`),
      };
    }
    case 7:
      return {
        kind: 'mime:broken-base64-and-qp',
        raw: Buffer.from(
          `${head('=?UTF-8?Q?=D0==ZZ?= =?bogus?X?abc?=')}Content-Transfer-Encoding: ${rng.pick(['base64', 'quoted-printable', 'x-uuencode'])}\r\n\r\n%%%% =Z= not encoded ${hostile(rng)}\r\n`,
        ),
      };
    case 8:
      return {
        kind: 'mime:hostile-attachment',
        raw: Buffer.from(
          [
            head('Вложение'),
            'MIME-Version: 1.0',
            'Content-Type: multipart/mixed; boundary="a"',
            '',
            '--a',
            'Content-Type: text/plain; charset=utf-8',
            '',
            'Смотрите вложение.',
            '--a',
            `Content-Type: ${rng.pick(['image/png', 'application/x-msdownload', 'text/html', '../../x'])}; name="=?UTF-8?B?${b64(hostile(rng).slice(0, 300))}?="`,
            `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(rng.pick(['../../etc/passwd', 'a'.repeat(500), 'отчёт.xlsx']))}`,
            'Content-Transfer-Encoding: base64',
            '',
            b64(rng.bytes(rng.int(5000))),
            '--a--',
            '',
          ].join('\r\n'),
        ),
      };
    case 9:
      return {
        kind: 'threading:many-references',
        raw: Buffer.from(
          `${head('Re: [ID100001] ответ')}In-Reply-To: <ID100001.2.infoRequest.r1@dprim.ru>\r\nReferences: ${Array.from({ length: rng.int(5000) }, (_, i) => `<r${i}@x>`).join(' ')}\r\n\r\nответ ${hostile(rng)}\r\n`,
        ),
      };
    case 10:
      return {
        kind: 'automatic:bounce-or-autoreply',
        raw: Buffer.from(
          rng.chance(0.5)
            ? `${head('Undelivered Mail Returned to Sender')}Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; ${hostile(rng).slice(0, 50)}@x.ru\r\nAction: failed\r\n--r--\r\n`
            : `${head('Автоответ: в отпуске')}Auto-Submitted: auto-replied\r\n\r\nЯ в отпуске\r\n`,
        ),
      };
    case 11:
      return {
        kind: 'mime:binary-junk',
        raw: Buffer.concat([bytes(head('junk') + '\r\n'), rng.bytes(rng.int(20_000))]),
      };
    case 12:
      return {
        kind: 'mime:headers-only-or-empty',
        raw: rng.chance(0.5) ? Buffer.from(head('только заголовки')) : Buffer.alloc(0),
      };
    default:
      return {
        kind: 'mime:hostile-body-and-from-name',
        raw: Buffer.from(
          `From: "${hostile(rng).replace(/["\r\n]/g, '')}" <${from}>\r\nTo: ${desk}\r\nSubject: ${hostile(rng).replace(/[\r\n]/g, ' ')}\r\n\r\n${hostile(rng)}\r\nФИО: ${hostile(rng).replace(/[\r\n]/g, ' ')}\r\n`,
        ),
      };
  }
}

/** Base64 in lines of 76, as MIME wants it. */
const wrapped = (s: string): string => b64(s).replace(/.{76}/g, '$&\r\n');

/**
 * Issue #18: a message with a slow input where a parser meets it: the «ФИО» line, the whole body, the
 * subject, the sender's name, an HTML-only body, a header's parameters, the thread's references.
 */
function slowMessage(rng: Rng, desk: string, from: string): { kind: string; raw: Buffer } {
  const id = `<fz-slow-${rng.int(1e9)}@bubblegum.ru>`;
  const head = (subject: string, extra = ''): string =>
    `From: ${from}\r\nTo: ${desk}\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\nMIME-Version: 1.0\r\n${extra}`;
  const utf8Body = (text: string, type = 'text/plain'): string =>
    `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrapped(text)}\r\n`;
  switch (rng.int(7)) {
    case 0: {
      const s = slowString(rng, 100_000, rng.pick(['fio', 'email'] as const));
      const text = `Не формируется отчёт.\n\nФИО: ${s.text}\n${s.text.slice(0, 2_000)}\n«Бубль-Гум»`;
      return {
        kind: `slow:fio-line:${s.target}`,
        raw: Buffer.from(`${head('Не работает')}${utf8Body(text)}`),
      };
    }
    case 1: {
      const s = slowString(rng);
      return { kind: `slow:body:${s.target}`, raw: Buffer.from(`${head('Запрос')}${utf8Body(s.text)}`) };
    }
    case 2: {
      const s = slowString(rng, 10_000, rng.pick(['subject', 'mime', 'text'] as const));
      return {
        kind: `slow:subject:${s.target}`,
        raw: Buffer.from(`${head(`=?UTF-8?B?${b64(s.text)}?=`)}${utf8Body('Текст.')}`),
      };
    }
    case 3: {
      const s = slowString(rng, 10_000, rng.pick(['fio', 'mime', 'email'] as const));
      return {
        kind: `slow:from-name:${s.target}`,
        raw: Buffer.from(
          `From: =?UTF-8?B?${b64(s.text)}?= <${from}>\r\nTo: ${desk}\r\nSubject: Имя\r\nMessage-ID: ${id}\r\n${utf8Body('Текст.')}`,
        ),
      };
    }
    case 4: {
      const s = slowString(rng, 100_000, rng.pick(['mime', 'text', 'fio'] as const));
      return {
        kind: `slow:html:${s.target}`,
        raw: Buffer.from(`${head('HTML')}${utf8Body(`<html><body>${s.text}</body></html>`, 'text/html')}`),
      };
    }
    case 5: {
      // Headers are ASCII on the wire: the slow input's ASCII units stay, the rest is dropped.
      const s = slowString(rng, 10_000, 'mime');
      const ascii = s.text.replace(/[^\x21-\x7e]/g, '');
      return {
        kind: 'slow:header-parameters',
        raw: Buffer.from(
          `${head('Параметры', `Content-Type: text/plain; charset=utf-8; x=${ascii}\r\nIn-Reply-To: ${ascii}\r\n`)}\r\nТекст.\r\n`,
        ),
      };
    }
    default: {
      const n = 100 + rng.int(3_000);
      const word = rng.pick(['=?UTF-8?B?0JA=?= ', '=?utf-8?q?=D0=90?=', 'Re: ', '[ID100001] ', 'Fwd: [']);
      return {
        kind: 'slow:encoded-words',
        raw: Buffer.from(`${head(word.repeat(n).trimEnd())}${utf8Body('Текст.')}`),
      };
    }
  }
}

/** One SMTP input: a session of garbage commands, or a message with its envelope. */
export function smtpCase(rng: Rng, desks: readonly string[]): SmtpCase {
  const desk = rng.pick(desks);
  const sender = `user${rng.int(200)}@${rng.pick(['bubblegum.ru', 'romashka.ru', 'example.ru'])}`;
  if (rng.chance(0.15)) {
    const commands = Array.from({ length: 1 + rng.int(6) }, () =>
      rng.pick([
        () => hostile(rng).replace(/[\r\n]/g, ' '),
        () => `MAIL FROM:<${hostile(rng).replace(/[\r\n<>]/g, '')}>`,
        () => `RCPT TO:<${hostile(rng).replace(/[\r\n<>]/g, '')}@dprim.ru>`,
        () => 'DATA',
        () => `HELO ${'x'.repeat(rng.int(5000))}`,
        () =>
          rng.pick([
            'VRFY root',
            'EXPN staff',
            'AUTH PLAIN AGFAYg==',
            'STARTTLS',
            'BDAT 10 LAST',
            'RSET',
            'NOOP',
            'TURN',
            'ETRN x',
          ]),
        () => 'A'.repeat(20_000),
        () => `MAIL FROM:<a@b.ru> SIZE=${rng.pick(['-1', '99999999999', 'x'])}`,
      ])(),
    );
    return { kind: 'commands:garbage', commands, skipGreeting: rng.chance(0.3) };
  }
  const r = rng.next();
  const from =
    r < 0.7
      ? sender
      : r < 0.8
        ? ''
        : r < 0.9
          ? `forged@${rng.pick(['gmail.com', 'other.example'])}`
          : hostile(rng).replace(/[\r\n<>\s]/g, '') || 'x';
  const to = rng.chance(0.85)
    ? [desk]
    : rng.chance(0.5)
      ? ['victim@gmail.com', desk]
      : Array.from({ length: 95 + rng.int(20) }, (_, i) => `d${i}@dprim.ru`);
  const author = from && from.includes('@') ? from : sender;
  const m = rng.chance(SLOW_SHARE) ? slowMessage(rng, desk, author) : message(rng, desk, author);
  return { kind: m.kind, commands: [], message: { from, to, raw: m.raw } };
}

/** The share of messages that carry a slow input (issue #18). */
const SLOW_SHARE = 0.25;

/** Speaks SMTP over a raw socket: one reply per command, 0 when the server is gone or silent. */
class Conversation {
  private buffer = '';
  private waiting: ((line: string | null) => void) | null = null;
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      this.deliver();
    });
    const end = (): void => {
      this.closed = true;
      this.deliver();
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  private deliver(): void {
    if (!this.waiting) return;
    // A reply is complete at a line "NNN " (multi-line replies use "NNN-").
    const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(this.buffer);
    if (m) {
      const end = m.index + m[0].length;
      const reply = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
      const w = this.waiting;
      this.waiting = null;
      w(reply);
    } else if (this.closed) {
      const w = this.waiting;
      this.waiting = null;
      w(null);
    }
  }

  reply(timeoutMs = 30_000): Promise<{ code: number; text: string }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve({ code: 0, text: 'timeout' });
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        const code = line ? Number(/(\d{3}) [^\r\n]*\r\n$/.exec(line)?.[1] ?? 0) : 0;
        resolve({ code, text: line ?? '' });
      };
      this.deliver();
    });
  }

  write(data: string | Buffer): void {
    if (!this.closed) this.socket.write(data);
  }
}

/** Dot-stuffing and the final dot, as a client must send DATA. */
function dataOf(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
  return Buffer.from(`${text}${text.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1');
}

export async function runSmtpCase(port: number, c: SmtpCase): Promise<SmtpResult> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const talk = new Conversation(socket);
  const codes: number[] = [];
  let queued: number | null = null;
  const say = async (line: string | Buffer): Promise<number> => {
    talk.write(typeof line === 'string' ? Buffer.from(`${line}\r\n`, 'latin1') : line);
    const r = await talk.reply();
    codes.push(r.code);
    if (r.code === 250 && /queued as (\d+)/.test(r.text)) queued = Number(/queued as (\d+)/.exec(r.text)![1]);
    return r.code;
  };
  try {
    codes.push((await talk.reply()).code);
    if (!c.skipGreeting) await say('EHLO fuzz.example');
    for (const command of c.commands) if ((await say(command)) === 0) break;
    if (c.message) {
      if ((await say(`MAIL FROM:<${c.message.from}>`)) === 250) {
        let accepted = 0;
        for (const to of c.message.to) if ((await say(`RCPT TO:<${to}>`)) === 250) accepted++;
        if (accepted && (await say('DATA')) === 354) await say(dataOf(c.message.raw));
      }
    }
    talk.write('QUIT\r\n');
  } finally {
    socket.destroy();
  }
  return { codes, queued };
}
