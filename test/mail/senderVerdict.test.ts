/**
 * Issue #18, finding 4: the sender verdict from SPF, DKIM and DMARC results, and the reading of an
 * upstream MTA's Authentication-Results (RFC 8601). Pure.
 */
import { describeSenderAuth, headerFields, judge, upstreamResults } from '../../mail/auth/verdict';

const raw = (...lines: string[]) => Buffer.from([...lines, '', 'text'].join('\r\n'));

describe('the verdict', () => {
  const fromDomain = 'bubblegum.ru';
  it('DMARC pass authenticates; DMARC fail does not, whatever SPF says', () => {
    const spf = { result: 'pass', domain: 'bubblegum.ru' };
    expect(judge('verify', { fromDomain, spf, dkim: [], dmarc: 'pass' })).toMatchObject({
      authenticated: true,
      via: 'dmarc',
      domain: 'bubblegum.ru',
    });
    expect(judge('verify', { fromDomain, spf, dkim: [], dmarc: 'fail' }).authenticated).toBe(false);
  });

  it('without a DMARC record, an aligned DKIM or SPF pass authenticates; an unaligned one does not', () => {
    const none = { result: 'none', domain: null };
    expect(
      judge('verify', {
        fromDomain,
        spf: none,
        dkim: [{ result: 'pass', domain: 'mail.bubblegum.ru' }],
        dmarc: 'none',
      }),
    ).toMatchObject({ authenticated: true, via: 'dkim' });
    expect(
      judge('verify', {
        fromDomain,
        spf: none,
        dkim: [{ result: 'pass', domain: 'mailer.example' }],
        dmarc: 'none',
      }),
    ).toMatchObject({ authenticated: false, dkim: 'pass' });
    expect(
      judge('verify', {
        fromDomain,
        spf: { result: 'pass', domain: 'bulk.example' },
        dkim: [],
        dmarc: 'none',
      }).authenticated,
    ).toBe(false);
  });

  it('is described in Russian for operators', () => {
    expect(describeSenderAuth(null)).toBe('Отправитель не проверялся (MAIL_AUTH=off)');
    expect(
      describeSenderAuth(
        judge('verify', {
          fromDomain,
          spf: { result: 'softfail', domain: fromDomain },
          dkim: [],
          dmarc: 'none',
        }),
      ),
    ).toBe('Отправитель не подтверждён: SPF softfail, DKIM none, DMARC none');
  });
});

describe('an upstream MTA’s Authentication-Results', () => {
  it('reads the results of the configured authserv-id, comments and versions included', () => {
    const fields = headerFields(
      raw(
        'Authentication-Results: mx.dprim.ru 1; spf=pass (sender IP is 192.0.2.1)',
        '  smtp.mailfrom=boss@bubblegum.ru; dkim=pass header.d=bubblegum.ru header.s=s1;',
        '  dmarc=pass (p=REJECT) header.from=bubblegum.ru',
        'From: "Начальник" <boss@bubblegum.ru>',
      ),
    );
    expect(upstreamResults(fields, 'MX.dprim.ru')).toEqual({
      fromDomain: 'bubblegum.ru',
      spf: { result: 'pass', domain: 'bubblegum.ru' },
      dkim: [{ result: 'pass', domain: 'bubblegum.ru' }],
      dmarc: 'pass',
    });
  });

  it('ignores other ids, and a second From: makes the message unauthenticated', () => {
    const pass = 'dmarc=pass header.from=bubblegum.ru; dkim=pass header.d=bubblegum.ru';
    expect(
      judge(
        'upstream',
        upstreamResults(
          headerFields(raw(`Authentication-Results: evil.example; ${pass}`, 'From: boss@bubblegum.ru')),
          'mx.dprim.ru',
        ),
      ),
    ).toMatchObject({ authenticated: false, dmarc: 'none' });
    expect(
      judge(
        'upstream',
        upstreamResults(
          headerFields(
            raw(
              `Authentication-Results: mx.dprim.ru; ${pass}`,
              'From: boss@bubblegum.ru',
              'From: x@evil.example',
            ),
          ),
          'mx.dprim.ru',
        ),
      ).authenticated,
    ).toBe(false);
  });
});
