/**
 * The dispatcher's decision as a table (issue #10 "shape of the dispatcher", issue #11 mail items):
 * a message and the facts about it in, one outcome out. Pure: no database, no SMTP.
 */
import { openTicket, type Intake, type TicketState } from '../../domain';
import { decideMail, type DecisionSettings, type MailFacts, type MailOutcome } from '../../mail/decide';
import type { InboundMessage } from '../../mail/parse';

const DESK = 'help@dprim.ru';
const EPGU_DESK = 'rpgu@region.ru';
const REGIONAL = 'mailbox@rpgu.region.ru';
const FEDERAL = 'support@gosuslugi.ru';

const settings: DecisionSettings = {
  domain: 'dprim.ru',
  instance: 'r1',
  routes: { [DESK]: 'primorye', [EPGU_DESK]: 'epgu' },
  defaultRegulation: 'primorye',
  regulationSettings: { primorye: {}, epgu: {} },
  attachments: { maxFiles: 2, maxBytes: 100 },
  counterparts: { regional: [REGIONAL, 'regional@dprim.ru'], federal: [FEDERAL] },
  automaticPerHour: 10,
};

const complete =
  'Не формируется отчёт за февраль.\n\nФИО: Тестов Тест Тестович\ntester@bubblegum.ru\nРуководитель отдела\n«Бубль-Гум»';

function message(m: Partial<InboundMessage> = {}): InboundMessage {
  return {
    messageId: '<m1@bubblegum.ru>',
    fromAddress: 'tester@bubblegum.ru',
    fromName: null,
    to: [DESK],
    subject: 'Не формируется отчёт',
    text: complete,
    date: null,
    referenced: [],
    headers: {},
    attachments: [],
    deliveryReport: null,
    ...m,
  };
}

function ticket(
  regulation: 'primorye' | 'epgu',
  patch: Partial<TicketState> = {},
  intake: Partial<Intake['initiator']> = {},
): { state: TicketState; archived: boolean } {
  const opened = openTicket({
    ticketId: regulation === 'epgu' ? 'ID200001' : 'ID100001',
    regulation: { id: regulation, version: regulation === 'epgu' ? '2017-1.0' : '2023-04-20' },
    channel: 'email',
    receivedAt: '2025-03-03T00:00:00.000Z',
    intake: {
      description: 'Исходное обращение',
      initiator: {
        fullName: 'Тестов Тест Тестович',
        email: 'tester@bubblegum.ru',
        organizationId: 'bubble',
        ...intake,
      },
    },
  });
  return { state: { ...opened.state, ...patch }, archived: patch.archived ?? false };
}

function facts(m: InboundMessage | null, f: Partial<MailFacts> = {}): MailFacts {
  return {
    inboxId: 7,
    receivedAt: '2025-03-03T00:00:00.000Z',
    envelopeFrom: m?.fromAddress ?? '',
    envelopeTo: m?.to ?? [DESK],
    parsed: m ? { ok: true, message: m } : { ok: false, error: 'broken MIME' },
    duplicate: false,
    ticket: null,
    ticketNotYetRecorded: null,
    sender: null,
    senderSuppressed: false,
    senderOverAutomaticLimit: false,
    ...f,
  };
}

/** What a row asserts: the kind, and optionally the reason's words or the command's type. */
type Expected = { kind: MailOutcome['kind']; reason?: RegExp; command?: string; by?: object };

const epguTicket = (status: string, statusReason: string | null = null) =>
  ticket('epgu', { status, statusReason } as Partial<TicketState>, { email: 'smirnov@example.ru' });

const TABLE: [string, MailFacts, Expected][] = [
  ['a message that cannot be parsed is held', facts(null), { kind: 'hold', reason: /cannot be parsed/ }],
  [
    'a bounce is ignored and suppresses what it reports',
    facts(message({ deliveryReport: { failed: ['gone@bubblegum.ru'] } }), { envelopeFrom: '' }),
    { kind: 'ignore', reason: /bounce/ },
  ],
  [
    'an auto-reply is ignored',
    facts(message({ headers: { 'auto-submitted': 'auto-replied' } })),
    { kind: 'ignore', reason: /Auto-Submitted/ },
  ],
  ['a second copy is a duplicate', facts(message(), { duplicate: true }), { kind: 'duplicate' }],
  [
    'no From: address: held',
    facts(message({ fromAddress: null }), { envelopeFrom: 'x@bubblegum.ru' }),
    { kind: 'hold', reason: /no sender address/ },
  ],
  [
    'a ticket it names is being recorded: retry',
    facts(message({ subject: 'ID100009 дополнение' }), { ticketNotYetRecorded: 'ID100009' }),
    { kind: 'retry' },
  ],
  ['a complete request from a plausible sender: a new request', facts(message()), { kind: 'newRequest' }],
  [
    'п. 2.3.1.1: a request lacking mandatory fields: the missing-fields answer',
    facts(message({ text: 'Не работает.' })),
    { kind: 'missingFields', command: 'requestInfo' },
  ],
  [
    'issue #10: envelope sender of another domain than From: held, no automatic answer',
    facts(message(), { envelopeFrom: 'spammer@elsewhere.example' }),
    { kind: 'hold', reason: /does not match From/ },
  ],
  [
    'envelope of a subdomain (relaxed alignment): a new request',
    facts(message(), { envelopeFrom: 'bounces+x@mail.bubblegum.ru' }),
    { kind: 'newRequest' },
  ],
  [
    'issue #10: a null envelope sender is a bounce, never answered',
    facts(message(), { envelopeFrom: '' }),
    { kind: 'ignore' },
  ],
  [
    'issue #10: a suppressed sender: held',
    facts(message(), { senderSuppressed: true }),
    { kind: 'hold', reason: /suppressed/ },
  ],
  [
    'issue #10: a sender over the automatic-mail limit: held, however the answer would be worded',
    facts(message({ text: 'Не работает.' }), { senderOverAutomaticLimit: true }),
    { kind: 'hold', reason: /10 automatic mails this hour/ },
  ],
  [
    'п. 2.3.1.6: the initiator’s message on the ticket it names: a reply',
    facts(message({ subject: 'Re: [ID100001] отчёт', text: 'Скриншот приложен' }), {
      ticket: ticket('primorye'),
    }),
    { kind: 'reply', command: 'reply' },
  ],
  [
    'a stranger’s message on a ticket: held',
    facts(message({ fromAddress: 'stranger@elsewhere.ru', subject: 'Re: [ID100001]' }), {
      ticket: ticket('primorye'),
    }),
    { kind: 'hold', reason: /not an address of ticket ID100001/ },
  ],
  [
    'the initiator’s address with a forged envelope: held',
    facts(message({ subject: 'Re: [ID100001]' }), {
      ticket: ticket('primorye'),
      envelopeFrom: 'x@evil.example',
    }),
    { kind: 'hold', reason: /does not match From/ },
  ],
  [
    'an archived ticket: held',
    facts(message({ subject: 'Re: [ID100001]' }), { ticket: ticket('primorye', { archived: true }) }),
    { kind: 'hold', reason: /archived/ },
  ],
  [
    'a forward of a ticket’s mail by someone else: their own request',
    facts(message({ fromAddress: 'colleague@bubblegum.ru', subject: 'Fwd: [ID100001] отчёт' }), {
      ticket: ticket('primorye'),
    }),
    { kind: 'newRequest' },
  ],
  [
    'seed 003 п. 3.3.9.2: the user writes while the appeal is with СТП ЕПГУ: a status inquiry',
    facts(message({ fromAddress: 'smirnov@example.ru', to: [EPGU_DESK], subject: 'Re: [ID200001]' }), {
      ticket: epguTicket('assigned'),
    }),
    { kind: 'statusInquiry', command: 'statusInquiry' },
  ],
  [
    'seed 003 п. 3.2.8.3 (issue #11): «В ожидании / Отклонено на ведомство»: a status inquiry too',
    facts(message({ fromAddress: 'smirnov@example.ru', to: [EPGU_DESK], subject: 'Re: [ID200001]' }), {
      ticket: epguTicket('pending', 'agency'),
    }),
    { kind: 'statusInquiry', command: 'statusInquiry' },
  ],
  [
    'seed 003 п. 3.3.7.2: while the user is asked for information, their message is the answer',
    facts(message({ fromAddress: 'smirnov@example.ru', to: [EPGU_DESK], subject: 'Re: [ID200001]' }), {
      ticket: epguTicket('pending', 'user_info'),
    }),
    { kind: 'reply', command: 'reply' },
  ],
  [
    'seed 003 п. 3.3.7 (issue #11): the regional mailbox relays the user’s answer into the ticket',
    facts(message({ fromAddress: REGIONAL, to: [EPGU_DESK], subject: 'Re: [ID200001] доп. информация' }), {
      ticket: epguTicket('pending', 'user_info'),
    }),
    { kind: 'counterpart', command: 'reply', by: { kind: 'initiator', email: REGIONAL } },
  ],
  [
    'seed 003 п. 3.3.9.2 (issue #11): the regional mailbox passes a status question on: a status inquiry',
    facts(message({ fromAddress: REGIONAL, to: [EPGU_DESK], subject: 'Fwd: [ID200001] когда?' }), {
      ticket: epguTicket('forwarded'),
    }),
    { kind: 'counterpart', command: 'statusInquiry' },
  ],
  [
    'seed 003 п. 3.3.12 (issue #11): the federal mailbox’s answer is recorded on the ticket, not a request',
    facts(message({ fromAddress: FEDERAL, to: [EPGU_DESK], subject: 'Fwd: RE: [ID200001] решение' }), {
      ticket: epguTicket('assigned'),
    }),
    { kind: 'counterpart', command: 'comment', by: { role: 'federal_operator', email: FEDERAL } },
  ],
  [
    'seed 003 п. 3.1.3 (issue #11): counterpart mail naming no known ticket is held, never a request',
    facts(message({ fromAddress: FEDERAL, to: [EPGU_DESK], subject: 'Fwd: обращение' })),
    { kind: 'hold', reason: /names no known ticket/ },
  ],
  [
    'a counterpart mailbox at the desk’s own domain is still the counterpart, not «our own mail»',
    facts(message({ fromAddress: 'regional@dprim.ru', to: [EPGU_DESK], subject: 'Re: [ID200001]' }), {
      ticket: epguTicket('assigned'),
    }),
    { kind: 'counterpart', command: 'statusInquiry' },
  ],
  [
    'a counterpart mailbox in From: with another envelope sender: held',
    facts(message({ fromAddress: REGIONAL, to: [EPGU_DESK], subject: 'Re: [ID200001]' }), {
      ticket: epguTicket('assigned'),
      envelopeFrom: 'someone@rpgu.region.ru',
    }),
    { kind: 'hold', reason: /envelope sender/ },
  ],
  [
    'an operator releases a held message as a new request: taken in whatever the checks said',
    facts(message(), { envelopeFrom: 'x@elsewhere.example', senderOverAutomaticLimit: true, release: 'new' }),
    { kind: 'newRequest' },
  ],
  [
    'an operator attaches a held message to a ticket: the initiator’s message',
    facts(message({ fromAddress: 'stranger@elsewhere.ru' }), {
      ticket: ticket('primorye'),
      release: 'ticket',
    }),
    { kind: 'reply', command: 'reply' },
  ],
];

describe('the dispatcher’s decision (mail/decide.ts)', () => {
  it.each(TABLE)('%s', (_name, f, expected) => {
    const outcome = decideMail(f, settings);
    expect(outcome.kind).toBe(expected.kind);
    if (expected.reason) expect('reason' in outcome ? outcome.reason : '').toMatch(expected.reason);
    const command =
      'command' in outcome
        ? outcome.command
        : 'initialCommands' in outcome
          ? outcome.initialCommands[0]
          : undefined;
    if (expected.command) expect(command?.type).toBe(expected.command);
    if (expected.by) expect(command?.by).toMatchObject(expected.by);
  });

  describe('seed 000 п. 3.3.1–3.3.2 (issue #11): access by e-mail is authorised by the verified sender only', () => {
    const access = message({
      subject: 'Предоставить доступ к модулю',
      text: `Прошу предоставить доступ к модулю сотруднику Иванову.\n\nФИО: Тестов Тест Тестович\nboss@bubblegum.ru\nДиректор\n«Бубль-Гум»`,
    });
    const known = { organizationId: 'bubble', organizationName: '«Бубль-Гум»', personId: 'p-1' };

    it('an authorised person writing from their own address (envelope and From: the same) is authenticated', () => {
      const outcome = decideMail(facts(access, { sender: known }), settings);
      expect(outcome).toMatchObject({
        kind: 'newRequest',
        intake: { authorization: { verified: true, personId: 'p-1', organizationId: 'bubble' } },
      });
    });

    it('an address typed in the body is never the one authorised: only the sender’s is looked up', () => {
      // The sender is not an authorised person; the body names boss@bubblegum.ru, who might be.
      const outcome = decideMail(facts(access, { sender: { ...known, personId: null } }), settings);
      expect(outcome.kind).toBe('newRequest');
      expect('intake' in outcome && outcome.intake.authorization).toBeFalsy();
    });

    it('From: an authorised person but another envelope sender of the same domain: not authenticated', () => {
      const outcome = decideMail(
        facts(access, { sender: known, envelopeFrom: 'relay@bubblegum.ru' }),
        settings,
      );
      expect(outcome.kind).toBe('newRequest');
      expect('intake' in outcome && outcome.intake.authorization).toBeFalsy();
    });
  });

  it('attachments within the limits are stored with IDs derived from the message; the rest stays in the raw mail', () => {
    const files = [5, 500, 7, 9].map((n, i) => ({
      fileName: `f${i}.png`,
      contentType: 'image/png',
      size: n,
      content: Buffer.alloc(n),
    }));
    const outcome = decideMail(facts(message({ attachments: files })), settings);
    expect(outcome).toMatchObject({
      kind: 'newRequest',
      attachments: {
        refs: [
          { id: 'm7-1', fileName: 'f0.png' },
          { id: 'm7-2', fileName: 'f2.png' },
        ],
        skipped: 2,
      },
      note: 'ticket; 2 attachment(s) over the limits kept only in the raw message',
    });
  });
});

describe('issue #18, finding 4: with a sender check, only an authenticated From: speaks for anyone', () => {
  const verdict = (authenticated: boolean, fromDomain = 'bubblegum.ru'): MailFacts['auth'] => ({
    mode: 'verify',
    spf: authenticated ? 'pass' : 'fail',
    dkim: 'none',
    dmarc: authenticated ? 'pass' : 'fail',
    fromDomain,
    domain: authenticated ? fromDomain : null,
    authenticated,
    ...(authenticated && { via: 'dmarc' as const }),
  });

  it('issue #19: the initiator’s reply carries its letter’s subject into the ticket (the timeline shows it)', () => {
    const reply = message({ subject: 'Re: [ID100001] Не формируется отчёт', text: 'Скриншот приложен' });
    const outcome = decideMail(facts(reply, { ticket: ticket('primorye') }), settings);
    expect(outcome).toMatchObject({
      kind: 'reply',
      command: { type: 'reply', subject: 'Re: [ID100001] Не формируется отчёт', text: 'Скриншот приложен' },
    });
  });

  it('the initiator’s reply that fails the check is held with the reason; one that passes is applied', () => {
    const reply = message({ subject: 'Re: [ID100001] Не формируется отчёт', text: 'Ответ' });
    const onTicket = { ticket: ticket('primorye') };
    const forged = decideMail(facts(reply, { ...onTicket, auth: verdict(false) }), settings);
    expect(forged).toMatchObject({ kind: 'hold', ticketId: 'ID100001' });
    expect('reason' in forged && forged.reason).toMatch(
      /^отправитель не подтверждён \(Отправитель не подтверждён: SPF fail, DKIM none, DMARC fail\)/,
    );
    expect(decideMail(facts(reply, { ...onTicket, auth: verdict(true) }), settings).kind).toBe('reply');
  });

  it('a verdict about another domain than the parsed From: authenticates nothing', () => {
    const reply = message({ subject: 'Re: [ID100001]', text: 'Ответ' });
    const outcome = decideMail(
      facts(reply, { ticket: ticket('primorye'), auth: verdict(true, 'evil.example') }),
      settings,
    );
    expect(outcome.kind).toBe('hold');
  });

  it('a counterpart service’s mailbox that fails the check is held, not threaded into the ticket', () => {
    const relay = message({ fromAddress: REGIONAL, to: [EPGU_DESK], subject: 'Re: [ID200001]' });
    const outcome = decideMail(
      facts(relay, { ticket: ticket('epgu'), auth: verdict(false, 'rpgu.region.ru') }),
      settings,
    );
    expect(outcome).toMatchObject({ kind: 'hold', ticketId: 'ID200001' });
  });

  it('an unauthenticated request from an organisation’s domain is not filed under that organisation: a stranger does not write into its space; an authenticated one is', () => {
    const request = message({ text: 'Помогите' });
    const known = { organizationId: 'bubble', organizationName: '«Бубль-Гум»', personId: null };
    const forged = decideMail(facts(request, { sender: known, auth: verdict(false) }), settings);
    expect(forged).toMatchObject({ kind: 'missingFields', organizationId: null });
    expect('intake' in forged && forged.intake.initiator).not.toHaveProperty('organizationId');
    const real = decideMail(facts(request, { sender: known, auth: verdict(true) }), settings);
    expect(real).toMatchObject({
      organizationId: 'bubble',
      intake: { initiator: { organizationId: 'bubble', organization: '«Бубль-Гум»' } },
    });
  });

  it('a stranger’s unauthenticated request is a ticket marked so, without the automatic missing-fields request', () => {
    const bare = message({ text: 'Помогите' });
    const outcome = decideMail(facts(bare, { auth: verdict(false) }), settings);
    expect(outcome).toMatchObject({
      kind: 'missingFields',
      initialCommands: [],
      intake: { senderAuth: { authenticated: false } },
      note: 'ticket; sender not authenticated: no automatic mail',
    });
  });
});
